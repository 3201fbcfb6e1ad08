/**
 * SSML for Alexa: escaping, a small typed builder, a plain-text view and a validator. The limits they
 * enforce, and where Alexa documents them, are in constants.ts.
 */
export { concat, emphasis, p, pause, type Ssml, s, sayAs, speak, text, trustedSsml } from './builder';
export {
  ALEXA_LOCALES,
  EMPHASIS_LEVELS,
  type EmphasisLevel,
  SAY_AS_INTERPRETATIONS,
  type SayAsInterpretation,
  SSML_MAX_AUDIO_TAGS,
  SSML_MAX_BREAK_MS,
  SSML_MAX_CHARS,
  type SsmlTag,
  SUPPORTED_SSML_TAGS,
} from './constants';
export { escapeSsmlText } from './escape';
export { ssmlToPlainText } from './plain-text';
export { type SsmlAttribute, type SsmlError, type SsmlToken, tokenizeSsml } from './tokenizer';
export {
  SsmlValidationError,
  type SsmlValidationResult,
  type ValidateSsmlOptions,
  validateSsml,
} from './validator';
