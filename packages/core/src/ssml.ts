/**
 * SSML for Alexa: escaping, a small typed builder, a plain-text view and a validator.
 *
 * Alexa limits this code enforces or relies on (developer.amazon.com, "SSML Reference" and
 * "Request and Response JSON Reference"):
 * - outputSpeech and reprompt SSML: at most 8,000 characters each, tags included.
 * - a whole response: at most 24 KB, so speech + reprompt + card + APL share that budget.
 * - at most 5 <audio> tags per response, at most 240 s of audio in total (durations are not
 *   checkable here); audio src must be HTTPS (or an Alexa soundbank:// URL).
 * - <break time> at most 10 s; prosody pitch between -33.3% and +50%, volume at most +4.08dB,
 *   rate at least 20%.
 * - only the tags in SUPPORTED_SSML_TAGS; anything else makes Alexa reject the whole response
 *   ("Invalid SSML"), which the shopper hears as "There was a problem with the requested skill's
 *   response" — so a bad pitch must be caught before it is spoken, not after.
 */

declare const ssmlBrand: unique symbol;
/**
 * A string known to be SSML produced by this module (escaped text, checked tags). Plain strings are
 * not assignable to it, so a product name can never reach speech without going through text().
 */
export type Ssml = string & { readonly [ssmlBrand]: true };

export const SSML_MAX_CHARS = 8000;
export const SSML_MAX_AUDIO_TAGS = 5;
export const SSML_MAX_BREAK_MS = 10_000;

export const SUPPORTED_SSML_TAGS = [
  'speak',
  'p',
  's',
  'break',
  'emphasis',
  'lang',
  'phoneme',
  'prosody',
  'say-as',
  'sub',
  'voice',
  'w',
  'audio',
  'mark',
  'amazon:effect',
  'amazon:emotion',
  'amazon:domain',
  'amazon:auto-breaths',
  'amazon:breath',
] as const;
export type SsmlTag = (typeof SUPPORTED_SSML_TAGS)[number];

export const SAY_AS_INTERPRETATIONS = [
  'characters',
  'spell-out',
  'cardinal',
  'number',
  'ordinal',
  'digits',
  'fraction',
  'unit',
  'date',
  'time',
  'telephone',
  'address',
  'interjection',
  'expletive',
] as const;
export type SayAsInterpretation = (typeof SAY_AS_INTERPRETATIONS)[number];

const SAY_AS_DATE_FORMATS = ['mdy', 'dmy', 'ymd', 'md', 'dm', 'ym', 'my', 'd', 'm', 'y'] as const;
export const EMPHASIS_LEVELS = ['strong', 'moderate', 'reduced'] as const;
export type EmphasisLevel = (typeof EMPHASIS_LEVELS)[number];
const BREAK_STRENGTHS = ['none', 'x-weak', 'weak', 'medium', 'strong', 'x-strong'];
/** The locales Alexa speaks (and `<lang xml:lang>` accepts). */
export const ALEXA_LOCALES = [
  'de-DE',
  'en-AU',
  'en-CA',
  'en-GB',
  'en-IN',
  'en-US',
  'es-ES',
  'es-MX',
  'es-US',
  'fr-CA',
  'fr-FR',
  'hi-IN',
  'it-IT',
  'ja-JP',
  'pt-BR',
] as const;
const BREATH_SIZES = ['default', 'x-short', 'short', 'medium', 'long', 'x-long'];
const BREATH_VOLUMES = ['default', 'x-soft', 'soft', 'medium', 'loud', 'x-loud'];
const BREATH_FREQUENCIES = ['default', 'x-low', 'low', 'medium', 'high', 'x-high'];

// ---------------------------------------------------------------------------------------------
// Escaping and the builder

/**
 * Characters XML 1.0 forbids (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF)
 * make the SSML unparsable; C1 controls and DEL are legal XML but never meant to be spoken. All go.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSPEAKABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|\p{Cs}/gu;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Makes arbitrary text (a product name from a merchant's catalog) safe to embed in SSML as spoken text. */
export function escapeSsmlText(value: string): string {
  return value.replace(UNSPEAKABLE, '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

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

// ---------------------------------------------------------------------------------------------
// Tokenizer

export interface SsmlError {
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units like offset. */
  column: number;
  /** 0-based index into the source string. */
  offset: number;
}

export interface SsmlAttribute {
  name: string;
  /** With entity references decoded. */
  value: string;
  offset: number;
  valueOffset: number;
}

export type SsmlToken =
  | { kind: 'text'; raw: string; value: string; offset: number; end: number }
  | {
      kind: 'open';
      name: string;
      attributes: SsmlAttribute[];
      selfClosing: boolean;
      offset: number;
      end: number;
    }
  | { kind: 'close'; name: string; offset: number; end: number };

/** An error before line/column are known; positions are resolved once per source. */
interface RawError {
  message: string;
  offset: number;
}

const PREDEFINED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[A-Za-z0-9_:.-]/;
const WS = /[ \t\r\n]/;

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * Decodes entity references in text or an attribute value, reporting bare '&', unknown names (XML
 * predefines only five; &nbsp; is an HTML habit that breaks SSML) and numeric references to
 * characters XML forbids.
 */
function decodeReferences(raw: string, base: number, errors: RawError[]): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const amp = raw.indexOf('&', i);
    if (amp < 0) {
      out += raw.slice(i);
      break;
    }
    out += raw.slice(i, amp);
    const m = /^&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_][A-Za-z0-9_.-]*);/.exec(raw.slice(amp, amp + 40));
    if (!m) {
      errors.push({ message: "bare '&' in text: write it as &amp;", offset: base + amp });
      out += '&';
      i = amp + 1;
      continue;
    }
    const ref = m[1] as string;
    if (ref.startsWith('#')) {
      const cp = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      if (isXmlChar(cp)) out += String.fromCodePoint(cp);
      else
        errors.push({
          message: `character reference &${ref}; is not a legal XML character`,
          offset: base + amp,
        });
    } else {
      const ch = PREDEFINED_ENTITIES[ref];
      if (ch === undefined) {
        errors.push({
          message: `unknown entity &${ref}; (SSML knows only &amp; &lt; &gt; &quot; &apos; and numeric references)`,
          offset: base + amp,
        });
      } else out += ch;
    }
    i = amp + m[0].length;
  }
  return out;
}

function checkChars(raw: string, base: number, errors: RawError[]): void {
  for (let i = 0; i < raw.length; i++) {
    const cp = raw.codePointAt(i) as number;
    if (!isXmlChar(cp)) {
      errors.push({
        message: `character U+${cp.toString(16).toUpperCase().padStart(4, '0')} is not allowed in SSML`,
        offset: base + i,
      });
    }
    if (cp > 0xffff) i++;
  }
}

/** Splits SSML into text, start-tag and end-tag tokens; never throws, reports what it cannot read. */
export function tokenizeSsml(src: string): { tokens: SsmlToken[]; errors: SsmlError[] } {
  const raw: RawError[] = [];
  const tokens = tokenize(src, raw);
  return { tokens, errors: locate(src, raw) };
}

function tokenize(src: string, errors: RawError[]): SsmlToken[] {
  const tokens: SsmlToken[] = [];
  let i = 0;
  let textStart = 0;
  const flushText = (end: number) => {
    if (end > textStart) {
      const rawText = src.slice(textStart, end);
      checkChars(rawText, textStart, errors);
      // XML forbids this sequence in text (it ends a CDATA section); Alexa's parser refuses the document.
      const cdataEnd = rawText.indexOf(']]>');
      if (cdataEnd >= 0)
        errors.push({ message: "']]>' must be written ]]&gt; in text", offset: textStart + cdataEnd });
      tokens.push({
        kind: 'text',
        raw: rawText,
        value: decodeReferences(rawText, textStart, errors),
        offset: textStart,
        end,
      });
    }
  };

  while (i < src.length) {
    if (src[i] !== '<') {
      i++;
      continue;
    }
    const start = i;
    const rest = src.slice(i, i + 9);
    const special: [string, string, string][] = [
      ['<!--', '-->', 'comments are not supported in Alexa SSML'],
      ['<![CDATA[', ']]>', 'CDATA sections are not supported in Alexa SSML; escape the text instead'],
      ['<?', '?>', 'processing instructions and XML declarations are not supported in Alexa SSML'],
      ['<!', '>', 'DOCTYPE and other declarations are not supported in Alexa SSML'],
    ];
    const sp = special.find(([open]) => rest.startsWith(open));
    if (sp) {
      flushText(start);
      errors.push({ message: sp[2], offset: start });
      const close = src.indexOf(sp[1], i + sp[0].length);
      i = close < 0 ? src.length : close + sp[1].length;
      textStart = i;
      continue;
    }

    const isClose = src[i + 1] === '/';
    let j = i + (isClose ? 2 : 1);
    if (!NAME_START.test(src[j] ?? '')) {
      // A lone '<' is text to a person but a broken tag to XML.
      errors.push({ message: "'<' must be written &lt; in text", offset: start });
      i++;
      continue;
    }
    flushText(start);
    const nameStart = j;
    while (j < src.length && NAME_CHAR.test(src[j] as string)) j++;
    const name = src.slice(nameStart, j);

    if (isClose) {
      while (WS.test(src[j] ?? '')) j++;
      if (src[j] !== '>') {
        errors.push({ message: `expected '>' to end </${name}>`, offset: j });
        const gt = src.indexOf('>', j);
        j = gt < 0 ? src.length - 1 : gt;
      }
      tokens.push({ kind: 'close', name, offset: start, end: j + 1 });
      i = j + 1;
      textStart = i;
      continue;
    }

    const attributes: SsmlAttribute[] = [];
    let selfClosing = false;
    let closed = false;
    while (j < src.length) {
      let sawSpace = false;
      while (WS.test(src[j] ?? '')) {
        j++;
        sawSpace = true;
      }
      if (src[j] === '>') {
        closed = true;
        j++;
        break;
      }
      if (src[j] === '/' && src[j + 1] === '>') {
        closed = true;
        selfClosing = true;
        j += 2;
        break;
      }
      if (j >= src.length) break;
      if (!NAME_START.test(src[j] as string)) {
        errors.push({ message: `unexpected '${src[j]}' in <${name}> tag`, offset: j });
        const gt = src.indexOf('>', j);
        j = gt < 0 ? src.length : gt + 1;
        closed = gt >= 0;
        break;
      }
      if (!sawSpace) errors.push({ message: 'attributes must be separated by whitespace', offset: j });
      const attrStart = j;
      while (j < src.length && NAME_CHAR.test(src[j] as string)) j++;
      const attrName = src.slice(attrStart, j);
      while (WS.test(src[j] ?? '')) j++;
      if (src[j] !== '=') {
        errors.push({ message: `attribute ${attrName} needs a value: ${attrName}="…"`, offset: j });
        continue;
      }
      j++;
      while (WS.test(src[j] ?? '')) j++;
      const quote = src[j];
      if (quote !== '"' && quote !== "'") {
        errors.push({ message: `the value of ${attrName} must be quoted`, offset: j });
        while (j < src.length && !WS.test(src[j] as string) && src[j] !== '>' && src[j] !== '/') j++;
        continue;
      }
      const valueStart = j + 1;
      const valueEnd = src.indexOf(quote, valueStart);
      if (valueEnd < 0) {
        errors.push({ message: `unterminated value of ${attrName}`, offset: j });
        j = src.length;
        break;
      }
      const rawValue = src.slice(valueStart, valueEnd);
      const lt = rawValue.indexOf('<');
      if (lt >= 0)
        errors.push({ message: "'<' is not allowed in an attribute value", offset: valueStart + lt });
      checkChars(rawValue, valueStart, errors);
      const value = decodeReferences(rawValue, valueStart, errors);
      if (attributes.some((a) => a.name === attrName)) {
        errors.push({ message: `duplicate attribute ${attrName}`, offset: attrStart });
      } else attributes.push({ name: attrName, value, offset: attrStart, valueOffset: valueStart });
      j = valueEnd + 1;
    }
    if (!closed) errors.push({ message: `unterminated <${name}> tag`, offset: start });
    // An unterminated tag is reported once, not again as "never closed".
    tokens.push({
      kind: 'open',
      name,
      attributes,
      selfClosing: selfClosing || !closed,
      offset: start,
      end: j,
    });
    i = j;
    textStart = i;
  }
  flushText(src.length);
  return tokens;
}

function locate(src: string, raw: RawError[]): SsmlError[] {
  const lineStarts = [0];
  for (let i = 0; i < src.length; i++) if (src[i] === '\n') lineStarts.push(i + 1);
  return raw
    .sort((a, b) => a.offset - b.offset)
    .map(({ message, offset }) => {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((lineStarts[mid] as number) <= offset) lo = mid;
        else hi = mid - 1;
      }
      return { message, offset, line: lo + 1, column: offset - (lineStarts[lo] as number) + 1 };
    });
}

// ---------------------------------------------------------------------------------------------
// Validation

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

// ---------------------------------------------------------------------------------------------
// Plain text

/**
 * What a card or transcript shows for some SSML: tags dropped, <sub> shown as written (the alias is
 * only how it sounds), paragraphs and breaks as spaces, entities decoded, whitespace collapsed.
 * Lenient on purpose: a transcript of broken SSML is still useful.
 */
export function ssmlToPlainText(ssml: string): string {
  const { tokens } = tokenizeSsml(ssml);
  let out = '';
  for (const token of tokens) {
    if (token.kind === 'text') out += token.value;
    else if (['p', 's', 'break', 'speak', 'amazon:breath'].includes(token.name)) out += ' ';
  }
  return out
    .replace(UNSPEAKABLE, '')
    .replace(/\s+/g, ' ')
    .replace(/ ([.,!?;:])/g, '$1')
    .trim();
}
