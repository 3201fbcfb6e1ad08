import {
  type EmphasisLevel,
  SAY_AS_DATE_FORMATS,
  type SayAsInterpretation,
  SSML_MAX_BREAK_MS,
} from './constants';
import { escapeSsmlText } from './escape';
import { SsmlValidationError, type ValidateSsmlOptions, validateSsml } from './validator';

declare const ssmlBrand: unique symbol;
/**
 * A string known to be SSML produced by this module (escaped text, checked tags). Plain strings are
 * not assignable to it, so a product name can never reach speech without going through text().
 */
export type Ssml = string & { readonly [ssmlBrand]: true };

const brand = (s: string) => s as Ssml;

/** Escaped spoken text. */
export function text(value: string | number): Ssml {
  return brand(escapeSsmlText(String(value)));
}

/** Joins fragments without adding anything between them. */
export function concat(...parts: Ssml[]): Ssml {
  return brand(parts.join(''));
}

/** The whole outputSpeech value. */
export function speak(...parts: Ssml[]): Ssml {
  return brand(`<speak>${parts.join('')}</speak>`);
}

/** A pause; Alexa caps a single break at 10 s. */
export function pause(ms: number): Ssml {
  if (!Number.isFinite(ms) || ms < 0 || ms > SSML_MAX_BREAK_MS) {
    throw new RangeError(`pause must be between 0 and ${SSML_MAX_BREAK_MS} ms, got ${ms}`);
  }
  return brand(`<break time="${Math.round(ms)}ms"/>`);
}

export function sayAs(interpretAs: SayAsInterpretation, content: string | number, format?: string): Ssml {
  if (format !== undefined && !(SAY_AS_DATE_FORMATS as readonly string[]).includes(format)) {
    throw new RangeError(`unsupported say-as format "${format}"`);
  }
  const fmt = format === undefined ? '' : ` format="${format}"`;
  return brand(`<say-as interpret-as="${interpretAs}"${fmt}>${escapeSsmlText(String(content))}</say-as>`);
}

export function emphasis(content: Ssml, level: EmphasisLevel = 'moderate'): Ssml {
  return brand(`<emphasis level="${level}">${content}</emphasis>`);
}

export function p(...parts: Ssml[]): Ssml {
  return brand(`<p>${parts.join('')}</p>`);
}

export function s(...parts: Ssml[]): Ssml {
  return brand(`<s>${parts.join('')}</s>`);
}

/**
 * Accepts SSML written by a person (a pitch template, a constant) after validating it. This is the
 * only way a string that did not come from the builder becomes Ssml.
 */
export function trustedSsml(source: string, options: ValidateSsmlOptions = {}): Ssml {
  const result = validateSsml(source, options);
  if (!result.ok) throw new SsmlValidationError(result.errors);
  return brand(source);
}
