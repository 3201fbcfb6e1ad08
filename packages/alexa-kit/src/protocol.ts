/*
 * Facts of Alexa's request-signing protocol that both sides share: the skill endpoint checks them and
 * the development CA reproduces them (see Amazon's "Verify that the request was sent by Alexa").
 */

/** The DNS name every Alexa signing certificate carries in its Subject Alternative Names. */
export const ALEXA_SIGNING_SAN = 'echo-api.amazon.com';
