import { describe, expect, it } from 'vitest';
import { envelope } from './test-fixtures';
import { envelopeSchema, parseEnvelopeFields } from './verifier';

/** What zod alone decides: the verdict, the fields, and the detail of a refusal. */
function viaZod(json: unknown) {
  const parsed = envelopeSchema.safeParse(json);
  if (parsed.success) return { success: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  return { success: false, detail: issue ? `${issue.path.join('.')}: ${issue.message}` : 'not an envelope' };
}

const base = JSON.parse(envelope()) as Record<string, unknown>;

describe('parseEnvelopeFields', () => {
  it('agrees with the zod schema on real, edge and hostile envelopes', () => {
    const cases: unknown[] = [
      base,
      JSON.parse(envelope({ type: 'IntentRequest' })),
      { ...base, session: undefined },
      { ...base, context: {} },
      { ...base, context: { System: {} } },
      { ...base, context: { System: { application: null } } },
      { ...base, context: null },
      { ...base, context: [] },
      { ...base, session: null },
      { ...base, session: { application: { applicationId: '' } } },
      { ...base, session: { application: { applicationId: 'x'.repeat(201) } } },
      { ...base, session: { application: { applicationId: 5 } } },
      { ...base, version: 'v'.repeat(21) },
      { ...base, version: 1 },
      { ...base, request: { type: '', timestamp: 't' } },
      { ...base, request: { type: 'x'.repeat(201), timestamp: 't' } },
      { ...base, request: { type: 'LaunchRequest', timestamp: 't'.repeat(65) } },
      { ...base, request: { type: 'LaunchRequest', timestamp: 't', requestId: null } },
      { ...base, request: { type: 'LaunchRequest', timestamp: 't', requestId: 'r'.repeat(201) } },
      { ...base, request: { type: 'LaunchRequest' } },
      { ...base, request: 'LaunchRequest' },
      [],
      null,
      'envelope',
      42,
    ];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const junk = [undefined, null, '', 'x'.repeat(300), 0, [], {}, true];
    const mutate = (value: unknown, depth: number): unknown => {
      if (random() < 0.12) return junk[Math.floor(random() * junk.length)];
      if (value && typeof value === 'object' && !Array.isArray(value) && depth < 4) {
        const copy: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) if (random() > 0.08) copy[k] = mutate(v, depth + 1);
        return copy;
      }
      return value;
    };
    for (let i = 0; i < 2000; i++) cases.push(mutate(base, 0));
    let accepted = 0;
    for (const json of cases) {
      const ours = parseEnvelopeFields(json);
      expect(ours).toEqual(viaZod(json));
      if (ours.success) accepted++;
    }
    // Both sides of the verdict were exercised.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(cases.length - 100);
  });
});
