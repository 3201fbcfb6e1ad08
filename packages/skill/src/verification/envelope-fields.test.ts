import { describe, expect, it } from 'vitest';
import { envelope } from './test-fixtures';
import { parseEnvelopeFields } from './verifier';

/*
 * The fields the verifier reads before it trusts anything: present, of the right type, and bounded, so a
 * hostile envelope is refused with the field it got wrong, before any lookup or certificate fetch.
 */

const base = JSON.parse(envelope()) as Record<string, unknown>;

describe('parseEnvelopeFields', () => {
  it('accepts real envelopes, with or without a session', () => {
    for (const json of [
      base,
      JSON.parse(envelope({ type: 'IntentRequest' })),
      { ...base, session: undefined },
    ]) {
      expect(parseEnvelopeFields(json).success).toBe(true);
    }
  });

  it.each<[string, unknown, RegExp]>([
    [
      'an applicationId that is empty',
      { ...base, session: { application: { applicationId: '' } } },
      /session\.application\.applicationId/,
    ],
    [
      'an applicationId over 200 characters',
      { ...base, session: { application: { applicationId: 'x'.repeat(201) } } },
      /session\.application\.applicationId/,
    ],
    [
      'an applicationId that is a number',
      { ...base, session: { application: { applicationId: 5 } } },
      /session\.application\.applicationId/,
    ],
    ['a version over 20 characters', { ...base, version: 'v'.repeat(21) }, /^version/],
    ['a version that is a number', { ...base, version: 1 }, /^version/],
    ['an empty request type', { ...base, request: { type: '', timestamp: 't' } }, /request\.type/],
    [
      'a request type over 200 characters',
      { ...base, request: { type: 'x'.repeat(201), timestamp: 't' } },
      /request\.type/,
    ],
    [
      'a timestamp over 64 characters',
      { ...base, request: { type: 'LaunchRequest', timestamp: 't'.repeat(65) } },
      /request\.timestamp/,
    ],
    ['a missing timestamp', { ...base, request: { type: 'LaunchRequest' } }, /request\.timestamp/],
    ['a request that is a string', { ...base, request: 'LaunchRequest' }, /^request/],
    ['a context that is an array', { ...base, context: [] }, /^context/],
  ])('refuses %s, naming the field', (_what, json, field) => {
    const result = parseEnvelopeFields(json);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.detail).toMatch(field);
  });

  it.each([[[]], [null], ['envelope'], [42]])('refuses %o, which is not an envelope at all', (json) => {
    expect(parseEnvelopeFields(json).success).toBe(false);
  });
});
