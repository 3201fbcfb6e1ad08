/**
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

export const SAY_AS_DATE_FORMATS = ['mdy', 'dmy', 'ymd', 'md', 'dm', 'ym', 'my', 'd', 'm', 'y'] as const;
export const EMPHASIS_LEVELS = ['strong', 'moderate', 'reduced'] as const;
export type EmphasisLevel = (typeof EMPHASIS_LEVELS)[number];
export const BREAK_STRENGTHS = ['none', 'x-weak', 'weak', 'medium', 'strong', 'x-strong'];
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
export const BREATH_SIZES = ['default', 'x-short', 'short', 'medium', 'long', 'x-long'];
export const BREATH_VOLUMES = ['default', 'x-soft', 'soft', 'medium', 'loud', 'x-loud'];
export const BREATH_FREQUENCIES = ['default', 'x-low', 'low', 'medium', 'high', 'x-high'];
