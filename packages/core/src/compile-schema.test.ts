import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compile, INVALID } from './compile-schema';
import { EVENT_TYPES, eventSchema } from './events';
import { newEventId } from './ids';

const check = compile(eventSchema);

/** The compiled checker and zod must agree on every input: same verdict, same output. */
function agree(input: unknown): void {
  const zod = eventSchema.safeParse(input);
  const fast = check(input);
  if (zod.success) expect(fast).toStrictEqual(zod.data);
  else expect(fast).toBe(INVALID);
}

const uuid = () => newEventId();
const base = () => ({
  event_id: uuid(),
  ts: 1_760_000_000_000,
  merchant_id: uuid(),
  skill_id: 'amzn1.ask.skill.test',
  user_id: 'u1',
  session_id: 's1',
});
const slot = { name: 'product', value: 'coffee', resolved_id: 'p1', resolution: 'match' };
const order = { order_id: uuid(), amount: 1999, currency: 'USD', variants: ['welcome:a'] };

/** One valid event of every type, with every optional field set. */
const valid: Record<string, Record<string, unknown>> = {
  session_start: { locale: 'en-US', has_screen: true, new_user: false },
  turn: {
    locale: 'en-US',
    has_screen: false,
    request_id: 'r1',
    request_type: 'IntentRequest',
    intent: 'BuyIntent',
    slots: [slot, { name: 'n', value: '', resolution: 'none', resolved_value: 'x' }],
    dialog_state: 'COMPLETED',
    response_ssml: '<speak>hi "there"\n</speak>',
    reprompt_ssml: '<speak>and?</speak>',
    should_end_session: false,
    latency_ms: 12.5,
    error: 'boom',
  },
  pitch_exposure: {
    experiment_id: uuid(),
    experiment_key: 'welcome',
    variant_key: 'a',
    assignment_probability: 0.5,
    product_id: uuid(),
  },
  cart_add: { product_id: uuid(), quantity: 2, unit_amount: 1499, currency: 'USD' },
  cart_remove: { product_id: uuid(), quantity: 1, unit_amount: 0, currency: 'EUR' },
  checkout_prompt: { amount: 2998, currency: 'USD', item_count: 2 },
  order_confirmed: order,
  order_declined: order,
  payment_succeeded: { ...order, payment_intent_id: 'pi_1' },
  payment_failed: { ...order, payment_intent_id: 'pi_1', failure_code: 'card_declined' },
  payment_action_required: { ...order, payment_intent_id: 'pi_1' },
  refund: { ...order, refund_id: 're_1' },
  session_end: { reason: 'user_stop', last_prompt: '<speak>bye</speak>' },
  request_rejected: { reason: 'bad_signature', detail: 'x' },
};

/** Values that break some field of some type: wrong kinds, boundaries on both sides, hostile text. */
const probes: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'x'.repeat(100),
  'x'.repeat(101),
  'x'.repeat(200),
  'x'.repeat(201),
  'x'.repeat(500),
  'x'.repeat(501),
  'x'.repeat(24_000),
  'x'.repeat(24_001),
  'usd',
  'USDX',
  'ÜSD',
  '0195a3c4-1111-7000-8000-000000000001',
  '0195a3c4-1111-7000-c000-000000000001',
  '0195A3C4-1111-7000-8000-00000000000Z',
  '00000000-0000-0000-0000-000000000000',
  '\u2028"\\</speak>\ud800',
  0,
  -0,
  -1,
  0.5,
  1,
  1.5,
  1000,
  1001,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '1',
  true,
  false,
  [],
  ['a'],
  [1],
  Array.from({ length: 51 }, () => 'a'),
  [slot],
  [{ ...slot, resolution: 'maybe' }],
  [{ ...slot, extra: 1 }],
  {},
  'match',
  'user_stop',
  'nope',
  new Date(0),
];

describe('compiled event schema', () => {
  it('covers every event type', () => {
    expect(Object.keys(valid).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('accepts what zod accepts and returns the same stripped object', () => {
    for (const [type, fields] of Object.entries(valid)) {
      const event = { ...base(), type, ...fields, unknown_key: 'dropped' };
      expect(eventSchema.safeParse(event).success).toBe(true);
      agree(event);
    }
  });

  it('agrees with zod when any one field takes any probe value, or is removed', () => {
    let rejected = 0;
    for (const [type, fields] of Object.entries(valid)) {
      const event: Record<string, unknown> = { ...base(), type, ...fields };
      for (const key of Object.keys(event)) {
        const { [key]: _, ...without } = event;
        agree(without);
        for (const probe of probes) {
          const mutated = { ...event, [key]: probe };
          agree(mutated);
          if (!eventSchema.safeParse(mutated).success) rejected++;
        }
      }
    }
    // The probes really exercise rejections, not only acceptances.
    expect(rejected).toBeGreaterThan(1000);
  });

  it('agrees on non-objects and prototype tricks', () => {
    for (const input of [undefined, null, 1, 'turn', [], [base()], Object.create(null)]) agree(input);
    const inherited = Object.assign(Object.create({ type: 'session_end', reason: 'error' }), base());
    agree(inherited);
  });

  it('refuses to compile a schema it cannot reproduce exactly', () => {
    expect(() => compile(z.string().email())).toThrow();
    expect(() => compile(z.object({ a: z.string() }).strict())).toThrow();
    expect(() => compile(z.string().transform((s) => s.length))).toThrow();
    expect(() => compile(z.number().multipleOf(5))).toThrow();
    expect(() => compile(z.string().regex(/a/g))).toThrow();
  });
});
