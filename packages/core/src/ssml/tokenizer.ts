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
export interface RawError {
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

export function tokenize(src: string, errors: RawError[]): SsmlToken[] {
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

export function locate(src: string, raw: RawError[]): SsmlError[] {
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
