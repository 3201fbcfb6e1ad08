import { silentLogger } from '@pitchline/core';
import type { ResponseEnvelope } from 'ask-sdk-model';
import { describe, expect, it } from 'vitest';
import { createSkillMetrics } from '../recording/metrics';
import { enforceResponseLimits, RESPONSE_MAX_BYTES, responseBytes, serializeWithinLimits } from './limits';

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

  it('hands back the JSON of the envelope as it leaves, trimmed or not, counted in UTF-8 bytes', () => {
    const metrics = createSkillMetrics();
    for (const [speech, extra] of [
      [100, 100],
      [7_000, 10_000],
      [7_000, 20_000],
    ] as const) {
      const { envelope: out, json } = serializeWithinLimits(envelope(speech, extra), metrics, silentLogger);
      expect(json).toBe(JSON.stringify(out));
    }
    // 9,000 three-byte characters: 27 KB of UTF-8 in 9,000 UTF-16 units, over the limit only in bytes.
    const wide = envelope(100, 10);
    wide.sessionAttributes = { last: { speech: '€'.repeat(9_000) } };
    const { envelope: out, json } = serializeWithinLimits(wide, metrics, silentLogger);
    expect(out.sessionAttributes?.last).toBeUndefined();
    expect(json).toBe(JSON.stringify(out));
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(RESPONSE_MAX_BYTES);
  });
});
