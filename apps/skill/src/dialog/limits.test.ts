import type { ResponseEnvelope } from 'ask-sdk-model';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../recording/logger';
import { createSkillMetrics } from '../recording/metrics';
import { enforceResponseLimits, RESPONSE_MAX_BYTES, responseBytes } from './limits';

function envelope(speechChars: number, extraBytes: number): ResponseEnvelope {
  return {
    version: '1.0',
    sessionAttributes: { cart: [], last: { speech: 'x'.repeat(extraBytes) } },
    response: {
      outputSpeech: { type: 'SSML', ssml: `<speak>${'a'.repeat(speechChars)}</speak>` },
      reprompt: { outputSpeech: { type: 'SSML', ssml: '<speak>What next?</speak>' } },
      card: { type: 'Simple', title: 't', content: 'c'.repeat(extraBytes) },
      shouldEndSession: false,
    },
  };
}

describe('enforceResponseLimits', () => {
  it('leaves a response within the limits alone', () => {
    const metrics = createSkillMetrics();
    const small = envelope(100, 100);
    const copy = structuredClone(small);
    expect(enforceResponseLimits(small, metrics, silentLogger)).toEqual(copy);
    expect(metrics.responsesTrimmed).toBe(0);
  });

  it('replaces speech over 8,000 characters with a short apology', () => {
    const metrics = createSkillMetrics();
    const out = enforceResponseLimits(envelope(8_000, 10), metrics, silentLogger);
    const ssml = out.response.outputSpeech?.type === 'SSML' ? out.response.outputSpeech.ssml : '';
    expect(ssml.length).toBeLessThan(200);
    expect(metrics.responsesTrimmed).toBe(1);
  });

  it('drops the card first, then the Repeat copy, to get under 24 KB', () => {
    const metrics = createSkillMetrics();
    const cardOnly = enforceResponseLimits(envelope(7_000, 10_000), metrics, silentLogger);
    expect(cardOnly.response.card).toBeUndefined();
    expect(cardOnly.sessionAttributes?.last).toBeDefined();
    expect(responseBytes(cardOnly)).toBeLessThanOrEqual(RESPONSE_MAX_BYTES);

    const both = enforceResponseLimits(envelope(7_000, 20_000), metrics, silentLogger);
    expect(both.sessionAttributes?.last).toBeUndefined();
    expect(responseBytes(both)).toBeLessThanOrEqual(RESPONSE_MAX_BYTES);
    expect(metrics.responsesTrimmed).toBe(2);
  });
});
