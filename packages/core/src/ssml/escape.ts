/**
 * Characters XML 1.0 forbids (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF)
 * make the SSML unparsable; C1 controls and DEL are legal XML but never meant to be spoken. All go.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
export const UNSPEAKABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|\p{Cs}/gu;

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
