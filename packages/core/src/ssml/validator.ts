import {
  ALEXA_LOCALES,
  BREAK_STRENGTHS,
  BREATH_FREQUENCIES,
  BREATH_SIZES,
  BREATH_VOLUMES,
  EMPHASIS_LEVELS,
  SAY_AS_DATE_FORMATS,
  SAY_AS_INTERPRETATIONS,
  SSML_MAX_AUDIO_TAGS,
  SSML_MAX_BREAK_MS,
  SSML_MAX_CHARS,
  type SsmlTag,
} from './constants';
import { locate, type RawError, type SsmlError, type SsmlToken, tokenize } from './tokenizer';

type AttrCheck = (value: string) => string | null;

const oneOf =
  (values: readonly string[]): AttrCheck =>
  (v) =>
    values.includes(v) ? null : `must be one of ${values.join(', ')}`;
const nonEmpty: AttrCheck = (v) => (v.trim() === '' ? 'must not be empty' : null);

const breakTime: AttrCheck = (v) => {
  const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(v);
  if (!m) return 'must be a duration such as 500ms or 2s';
  const ms = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  return ms > SSML_MAX_BREAK_MS ? 'must be at most 10s (Alexa limit)' : null;
};

const percent = /^([+-]?)(\d+(?:\.\d+)?)%$/;
const prosodyRate: AttrCheck = (v) => {
  if (['x-slow', 'slow', 'medium', 'fast', 'x-fast'].includes(v)) return null;
  const m = percent.exec(v);
  if (m?.[1] !== '') return 'must be x-slow, slow, medium, fast, x-fast or a percentage such as 90%';
  const n = Number(m[2]);
  return n < 20 || n > 200 ? 'must be between 20% and 200%' : null;
};
const prosodyPitch: AttrCheck = (v) => {
  if (['x-low', 'low', 'medium', 'high', 'x-high'].includes(v)) return null;
  const m = percent.exec(v);
  if (!m || m[1] === '')
    return 'must be x-low, low, medium, high, x-high or a relative percentage such as +10%';
  const n = Number(m[2]) * (m[1] === '-' ? -1 : 1);
  return n < -33.3 || n > 50 ? 'must be between -33.3% and +50% (Alexa limit)' : null;
};
const prosodyVolume: AttrCheck = (v) => {
  if (['silent', 'x-soft', 'soft', 'medium', 'loud', 'x-loud'].includes(v)) return null;
  const m = /^([+-])(\d+(?:\.\d+)?)dB$/.exec(v);
  if (!m) return 'must be silent, x-soft, soft, medium, loud, x-loud or a relative level such as +2dB';
  return m[1] === '+' && Number(m[2]) > 4.08 ? 'must be at most +4.08dB (Alexa limit)' : null;
};
const audioSrc: AttrCheck = (v) =>
  /^https:\/\/\S+$/.test(v) || /^soundbank:\/\/\S+$/.test(v)
    ? null
    : 'must be an https:// or soundbank:// URL';

interface ElementRule {
  attributes: Record<string, AttrCheck>;
  required?: string[];
  empty?: boolean;
}

const RULES: Record<SsmlTag, ElementRule> = {
  speak: { attributes: {} },
  p: { attributes: {} },
  s: { attributes: {} },
  break: { attributes: { time: breakTime, strength: oneOf(BREAK_STRENGTHS) }, empty: true },
  emphasis: { attributes: { level: oneOf(EMPHASIS_LEVELS) } },
  lang: { attributes: { 'xml:lang': oneOf(ALEXA_LOCALES) }, required: ['xml:lang'] },
  phoneme: {
    attributes: { alphabet: oneOf(['ipa', 'x-sampa']), ph: nonEmpty },
    required: ['alphabet', 'ph'],
  },
  prosody: { attributes: { rate: prosodyRate, pitch: prosodyPitch, volume: prosodyVolume } },
  'say-as': {
    attributes: { 'interpret-as': oneOf(SAY_AS_INTERPRETATIONS), format: oneOf(SAY_AS_DATE_FORMATS) },
    required: ['interpret-as'],
  },
  sub: { attributes: { alias: nonEmpty }, required: ['alias'] },
  voice: { attributes: { name: nonEmpty }, required: ['name'] },
  w: {
    attributes: { role: oneOf(['amazon:VB', 'amazon:VBD', 'amazon:NN', 'amazon:SENSE_1']) },
    required: ['role'],
  },
  audio: { attributes: { src: audioSrc }, required: ['src'] },
  mark: { attributes: { name: nonEmpty }, required: ['name'], empty: true },
  'amazon:effect': { attributes: { name: oneOf(['whispered']) }, required: ['name'] },
  'amazon:emotion': {
    attributes: { name: oneOf(['excited', 'disappointed']), intensity: oneOf(['low', 'medium', 'high']) },
    required: ['name', 'intensity'],
  },
  'amazon:domain': {
    attributes: { name: oneOf(['conversational', 'long-form', 'music', 'news', 'fun']) },
    required: ['name'],
  },
  'amazon:auto-breaths': {
    attributes: {
      volume: oneOf(BREATH_VOLUMES),
      frequency: oneOf(BREATH_FREQUENCIES),
      duration: oneOf(BREATH_SIZES),
    },
  },
  'amazon:breath': {
    attributes: { duration: oneOf(BREATH_SIZES), volume: oneOf(BREATH_VOLUMES) },
    empty: true,
  },
};

export interface ValidateSsmlOptions {
  /** Alexa's limit for one outputSpeech is 8,000 characters. */
  maxChars?: number;
  /**
   * 'document': one <speak> root (what goes in outputSpeech). 'fragment': mixed text and tags with
   * no <speak> (a pitch, a sentence the handler will wrap). 'auto' (default): a document if it
   * starts with <speak>, else a fragment.
   */
  mode?: 'document' | 'fragment' | 'auto';
}

export type SsmlValidationResult = { ok: true } | { ok: false; errors: SsmlError[] };

export function validateSsml(source: string, options: ValidateSsmlOptions = {}): SsmlValidationResult {
  const maxChars = options.maxChars ?? SSML_MAX_CHARS;
  const mode =
    options.mode === undefined || options.mode === 'auto'
      ? /^\s*<speak[\s/>]/.test(source)
        ? 'document'
        : 'fragment'
      : options.mode;
  const errors: RawError[] = [];
  if (source.length > maxChars) {
    errors.push({
      message: `speech is ${source.length} characters; the limit is ${maxChars}`,
      offset: maxChars,
    });
  }
  const tokens = tokenize(source, errors);
  const stack: { name: string; offset: number; hasContent: boolean }[] = [];
  let audioTags = 0;
  let rootSeen = false;
  let rootClosed = false;

  for (const token of tokens) {
    const top = stack[stack.length - 1];
    if (token.kind === 'text') {
      const blank = token.raw.trim() === '';
      if (top && !blank) top.hasContent = true;
      if (mode === 'document' && !blank && stack.length === 0) {
        errors.push({
          message: rootClosed ? 'text after </speak>' : 'text before <speak>',
          offset: token.offset + (token.raw.length - token.raw.trimStart().length),
        });
      }
      continue;
    }
    if (token.kind === 'open') {
      if (top) top.hasContent = true;
      checkOpenTag(token, stack, errors);
      if (token.name === 'audio') audioTags++;
      if (token.name === 'speak') {
        if (mode === 'fragment') {
          errors.push({ message: '<speak> is not allowed inside a fragment', offset: token.offset });
        } else if (stack.length > 0 || rootSeen) {
          errors.push({ message: 'only one <speak> root is allowed', offset: token.offset });
        }
        rootSeen = true;
      } else if (mode === 'document' && stack.length === 0) {
        errors.push({
          message: `<${token.name}> must be inside <speak>`,
          offset: token.offset,
        });
      }
      if (!token.selfClosing) stack.push({ name: token.name, offset: token.offset, hasContent: false });
      continue;
    }
    // close tag
    const idx = stack.map((e) => e.name).lastIndexOf(token.name);
    if (idx < 0) {
      errors.push({ message: `unexpected </${token.name}> with no matching open tag`, offset: token.offset });
      continue;
    }
    for (let k = stack.length - 1; k > idx; k--) {
      const unclosed = stack[k] as { name: string; offset: number };
      errors.push({
        message: `<${unclosed.name}> is not closed before </${token.name}>`,
        offset: unclosed.offset,
      });
    }
    const open = stack[idx] as { name: string; offset: number; hasContent: boolean };
    const rule = RULES[open.name as SsmlTag] as ElementRule | undefined;
    if (rule?.empty && open.hasContent) {
      errors.push({ message: `<${open.name}> must be empty`, offset: open.offset });
    }
    stack.length = idx;
    if (token.name === 'speak' && idx === 0) rootClosed = true;
  }
  for (const unclosed of stack) {
    errors.push({ message: `<${unclosed.name}> is never closed`, offset: unclosed.offset });
  }
  if (mode === 'document' && !rootSeen) errors.push({ message: 'missing <speak> root', offset: 0 });
  if (audioTags > SSML_MAX_AUDIO_TAGS) {
    errors.push({
      message: `${audioTags} <audio> tags; Alexa allows at most ${SSML_MAX_AUDIO_TAGS} per response`,
      offset: 0,
    });
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors: locate(source, errors) };
}

function checkOpenTag(
  token: Extract<SsmlToken, { kind: 'open' }>,
  stack: { name: string }[],
  errors: RawError[],
): void {
  const rule = RULES[token.name as SsmlTag] as ElementRule | undefined;
  if (!rule) {
    errors.push({ message: `<${token.name}> is not a tag Alexa supports`, offset: token.offset });
    return;
  }
  if (token.name === 'p' && stack.some((e) => e.name === 'p' || e.name === 's')) {
    errors.push({ message: '<p> cannot be nested inside <p> or <s>', offset: token.offset });
  }
  if (token.name === 's' && stack.some((e) => e.name === 's')) {
    errors.push({ message: '<s> cannot be nested inside <s>', offset: token.offset });
  }
  for (const attr of token.attributes) {
    const check = rule.attributes[attr.name];
    if (!check) {
      errors.push({ message: `<${token.name}> has no attribute ${attr.name}`, offset: attr.offset });
      continue;
    }
    const problem = check(attr.value);
    if (problem) {
      errors.push({
        message: `${token.name} ${attr.name}="${attr.value}" ${problem}`,
        offset: attr.valueOffset,
      });
    }
  }
  for (const name of rule.required ?? []) {
    if (!token.attributes.some((a) => a.name === name)) {
      errors.push({ message: `<${token.name}> requires attribute ${name}`, offset: token.offset });
    }
  }
  if (token.name === 'say-as') {
    const interpret = token.attributes.find((a) => a.name === 'interpret-as')?.value;
    if (token.attributes.some((a) => a.name === 'format') && interpret !== 'date') {
      errors.push({ message: 'say-as format applies only to interpret-as="date"', offset: token.offset });
    }
  }
}

export class SsmlValidationError extends Error {
  constructor(readonly errors: SsmlError[]) {
    const first = errors[0];
    super(
      first
        ? `invalid SSML at ${first.line}:${first.column}: ${first.message}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ''}`
        : 'invalid SSML',
    );
    this.name = 'SsmlValidationError';
  }
}
