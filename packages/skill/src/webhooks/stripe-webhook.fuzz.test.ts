import { ORDER_STATUSES, silentLogger } from '@pitchline/core';
import { orders, processedWebhookEvents } from '@pitchline/db';
import { count, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventSink,
  openPaymentsFixture,
  type PaymentsFixture,
  stripeSignature,
} from '../payments/testing/fixtures';
import { createStripeWebhookApp } from './stripe-webhook';

/**
 * Hostile input against the Stripe webhook (verification, then parsing, then the order update), on a
 * real migrated database: a signed payment for a waiting order, mutated byte by byte or in its
 * Stripe-Signature header, is refused with a 400 and changes nothing; correctly signed garbage (any JSON,
 * handled event types with fields of any shape) is answered 200, 400 or 404, never a 500 or a throw, and
 * records only events that pass the core contract. The unmutated delivery at the end pays the order:
 * the refusals were the mutations' doing. Fixed seeds; run counts keep the file to a few seconds.
 */
const SECRET = 'whsec_fuzz_webhook';
const TOTAL = 12_900;

let fx: PaymentsFixture;
let sink: ReturnType<typeof eventSink>;
let app: ReturnType<typeof createStripeWebhookApp>;
/** A waiting order the signed payment would pay. */
let target: string;
let payload: string;
let header: string;
const enc = new TextEncoder();

async function newOrder(paymentIntentId: string, paid = false): Promise<string> {
  const [row] = await fx.database.db
    .insert(orders)
    .values({
      merchantId: fx.merchantId,
      skillId: fx.skillId,
      userId: 'hashed-fuzz-user',
      sessionId: `fuzz-session-${paymentIntentId}`,
      status: paid ? 'paid' : 'awaiting_action',
      amountTotal: TOTAL,
      currency: 'USD',
      paymentIntentId,
      ...(paid ? { paidAt: new Date() } : {}),
    })
    .returning({ id: orders.id });
  return row?.id as string;
}

function paymentEvent(orderId: string, paymentIntentId: string) {
  return {
    id: `evt_fuzz_${paymentIntentId}`,
    object: 'event',
    type: 'payment_intent.succeeded',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: paymentIntentId,
        object: 'payment_intent',
        amount: TOTAL,
        amount_received: TOTAL,
        currency: 'usd',
        // Multi-byte text, so byte mutations also split UTF-8 sequences.
        description: 'Café Huila ☕ × 1',
        metadata: { order_id: orderId, variants: 'voice-pitch:story' },
      },
    },
  };
}

async function post(body: Uint8Array | string, signature: string) {
  const res = await app.request('/', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
  });
  return { status: res.status, answer: (await res.json()) as Record<string, unknown> };
}

/** What a delivery could have changed: the target order, the processed ids, the recorded events. */
async function snapshot() {
  const [order] = await fx.database.db.select().from(orders).where(eq(orders.id, target));
  const [processed] = await fx.database.db.select({ n: count() }).from(processedWebhookEvents);
  return { order, processed: processed?.n, recorded: sink.events.length };
}

beforeAll(async () => {
  fx = await openPaymentsFixture();
  sink = eventSink();
  app = createStripeWebhookApp({
    db: fx.database.db,
    stripeWebhookSecret: SECRET,
    recordEvent: sink.recordEvent,
    logger: silentLogger,
  });
  target = await newOrder('pi_fuzz_target');
  payload = JSON.stringify(paymentEvent(target, 'pi_fuzz_target'));
  // Signed once: every run is well inside Stripe's five-minute tolerance.
  header = stripeSignature(payload, SECRET);
}, 60_000);

afterAll(async () => {
  await fx?.database.close();
});

/** Byte edits: flip, insert, delete, truncate, append. */
const byteEdit = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }) }),
);
type ByteEdit = typeof byteEdit extends fc.Arbitrary<infer T> ? T : never;

function applyEdit(bytes: Uint8Array, e: ByteEdit): Uint8Array {
  const at = 'at' in e ? e.at % (bytes.length + 1) : bytes.length;
  switch (e.kind) {
    case 'flip': {
      const out = bytes.slice();
      const i = Math.min(at, out.length - 1);
      out[i] = (out[i] as number) ^ e.xor;
      return out;
    }
    case 'insert':
      return new Uint8Array([...bytes.subarray(0, at), ...e.bytes, ...bytes.subarray(at)]);
    case 'delete':
      return new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + e.length)]);
    case 'truncate':
      return bytes.subarray(0, Math.min(at, bytes.length - 1));
    case 'append':
      return new Uint8Array([...bytes, ...e.bytes]);
  }
}

const HEX = '0123456789abcdef';

describe('Stripe webhook under hostile input', () => {
  it('a signed payment with any byte changed is refused with a 400 and changes nothing', async () => {
    const before = await snapshot();
    const original = enc.encode(payload);
    let sameText = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(byteEdit, { minLength: 1, maxLength: 3 }), async (edits) => {
        const mutated = edits.reduce(applyEdit, original);
        if (Buffer.from(mutated).equals(Buffer.from(original))) return;
        const { status, answer } = await post(mutated, header);
        // Stripe verifies the UTF-8 decoding of the bytes: an edit that decodes to the very text that was
        // signed (an invalid byte for a literal U+FFFD) is that text. Anything else must be refused.
        if (new TextDecoder().decode(mutated) === payload) {
          sameText++;
          return;
        }
        expect([status, answer]).toEqual([400, { error: 'invalid_signature' }]);
      }),
      { seed: 7301, numRuns: 250 },
    );
    expect(sameText).toBe(0);
    expect(await snapshot()).toEqual(before);
  }, 60_000);

  it('a signed payment under any broken Stripe-Signature is refused with a 400 and changes nothing', async () => {
    const before = await snapshot();
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(header) ?? [];
    expect(v1).toHaveLength(64);
    const ts = Number(t);
    const otherHex = (c: string) => fc.constantFrom(...HEX.replace(c, ''));
    const brokenHeader = fc.oneof(
      // One hex digit of the signature changed.
      fc
        .nat({ max: 63 })
        .chain((i) =>
          otherHex((v1 as string)[i] as string).map(
            (c) => `t=${t},v1=${(v1 as string).slice(0, i)}${c}${(v1 as string).slice(i + 1)}`,
          ),
        ),
      // The timestamp moved, the signature kept: it no longer signs this (timestamp, payload).
      fc
        .integer({ min: -10_000, max: 10_000 })
        .filter((d) => d !== 0)
        .map((d) => `t=${ts + d},v1=${v1}`),
      // Cut anywhere: the signature (the last element) is always shortened or gone.
      fc.nat({ max: header.length - 1 }).map((n) => header.slice(0, n)),
      // The right signature under another scheme, or none.
      // (An empty v1, a bare "v1" and a signature of the right length in non-ASCII characters made the SDK
      // throw plain errors that the endpoint once took for "signed, but not JSON".)
      fc.constantFrom(
        `t=${t},v0=${v1}`,
        `t=${t},V1=${v1}`,
        `t=${t}`,
        `v1=${v1}`,
        `t=${t},v1=`,
        `t=${t},v1`,
        `t=${t},v1=${'é'.repeat(64)}`,
      ),
      // Signed, but with another secret or over another payload.
      fc
        .string({ minLength: 1, maxLength: 40 })
        .filter((s) => s !== SECRET)
        .map((s) => stripeSignature(payload, s)),
      fc
        .string({ maxLength: 40 })
        .filter((s) => s !== payload)
        .map((s) => stripeSignature(s, SECRET)),
      // Expired: correctly signed more than five minutes ago.
      fc.integer({ min: 301, max: 10_000_000 }).map((age) => stripeSignature(payload, SECRET, ts - age)),
      // Whatever a client can put in a header.
      fc.string({
        unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
        maxLength: 120,
      }),
    );
    await fc.assert(
      fc.asyncProperty(brokenHeader, async (broken) => {
        if (broken === header) return;
        const { status, answer } = await post(payload, broken);
        // An empty header is refused as missing; any other as not a valid signature.
        expect([status, answer]).toEqual([
          400,
          { error: broken === '' ? 'missing_signature' : 'invalid_signature' },
        ]);
      }),
      { seed: 7302, numRuns: 250 },
    );
    expect(await snapshot()).toEqual(before);
  }, 60_000);

  it('correctly signed garbage is answered 200, 400 or 404, never a 500, and records only valid events', async () => {
    const handledTypes = [
      'payment_intent.succeeded',
      'payment_intent.payment_failed',
      'checkout.session.completed',
      'charge.refunded',
    ];
    const fields = [
      'id',
      'amount',
      'amount_received',
      'amount_refunded',
      'amount_total',
      'currency',
      'metadata',
      'payment_intent',
      'payment_status',
      'client_reference_id',
      'last_payment_error',
      'refunds',
    ];
    // One to three fields of a handled event replaced by any JSON: the order lookup, the amounts and the
    // currency all see shapes Stripe never sends. Aimed at a fresh order each run (waiting or paid), so
    // every run can reach the update and the recording, not only the first one.
    type Aimed = (order: { id: string; pi: string }) => string;
    // Any JSON, and ids longer than the analytics contract carries (Stripe's are a few dozen characters).
    const anyValue = fc.oneof(
      { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 4 },
      { arbitrary: fc.string({ minLength: 190, maxLength: 260 }), weight: 1 },
      { arbitrary: fc.string({ minLength: 190, maxLength: 260 }).map((id) => ({ id })), weight: 1 },
      {
        arbitrary: fc.string({ minLength: 190, maxLength: 260 }).map((id) => ({ data: [{ id }] })),
        weight: 1,
      },
    );
    const victimEvent: fc.Arbitrary<Aimed> = fc
      .record({
        type: fc.constantFrom(...handledTypes),
        changes: fc.uniqueArray(fc.tuple(fc.constantFrom(...fields), anyValue), {
          minLength: 1,
          maxLength: 3,
          selector: ([field]) => field,
        }),
        refunded: fc.integer({ min: 0, max: 3 * TOTAL }),
      })
      .map(({ type, changes, refunded }) => (order) => {
        const event = paymentEvent(order.id, order.pi);
        const object: Record<string, unknown> = {
          ...event.data.object,
          amount_refunded: refunded,
          amount_total: TOTAL,
          payment_status: 'paid',
          client_reference_id: order.id,
          payment_intent: order.pi,
          ...Object.fromEntries(changes),
        };
        return JSON.stringify({ ...event, type, data: { object } });
      });
    // Well formed, but about an order and PaymentIntent nobody has (ids of any text): 404, Stripe retries.
    const strayEvent: fc.Arbitrary<Aimed> = fc
      .record({
        type: fc.constantFrom(...handledTypes),
        orderId: fc.oneof(fc.uuid(), fc.string()),
        pi: fc.string(),
      })
      .map(({ type, orderId, pi }) => () => {
        const event = paymentEvent(orderId, `pi_stray_${pi}`);
        const object = {
          ...event.data.object,
          amount_refunded: 100,
          payment_status: 'paid',
          payment_intent: `pi_stray_${pi}`,
        };
        return JSON.stringify({ ...event, id: `evt_stray_${orderId}_${pi}`, type, data: { object } });
      });
    const garbage = fc.oneof(
      { arbitrary: victimEvent, weight: 3 },
      { arbitrary: strayEvent, weight: 1 },
      {
        arbitrary: fc.jsonValue({ maxDepth: 3 }).map(
          (v): Aimed =>
            () =>
              JSON.stringify(v),
        ),
        weight: 1,
      },
      {
        arbitrary: fc.string({ minLength: 1, maxLength: 200 }).map(
          (v): Aimed =>
            () =>
              v,
        ),
        weight: 1,
      },
    );
    const statuses = new Map<number, number>();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(garbage, fc.boolean(), async (aim, paid) => {
        const pi = `pi_fuzz_victim_${++n}`;
        const victim = await newOrder(pi, paid);
        const [before] = await fx.database.db.select().from(orders).where(eq(orders.id, victim));
        const body = aim({ id: victim, pi });
        const { status } = await post(body, stripeSignature(body, SECRET));
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        expect([200, 400, 404], body).toContain(status);
        const [after] = await fx.database.db.select().from(orders).where(eq(orders.id, victim));
        // A refused event changes nothing; an accepted one leaves a state the orders table can hold.
        if (status !== 200) expect(after).toEqual(before);
        expect(ORDER_STATUSES).toContain(after?.status);
        expect(after?.refundedAmount).toBeLessThanOrEqual(TOTAL);
      }),
      { seed: 7303, numRuns: 300 },
    );
    // Each kind of answer came up: the garbage reached every branch, not only the first refusal.
    expect([...statuses.keys()].sort()).toEqual([200, 400, 404]);
    // eventSink validated every recorded event against the core contract (a failure would have been a
    // 500); and no order's payment was counted twice.
    const paidOrders = sink.events.filter((e) => e.type === 'payment_succeeded').map((e) => e.order_id);
    expect(new Set(paidOrders).size).toBe(paidOrders.length);
    console.log(
      'signed garbage answered:',
      Object.fromEntries(statuses),
      `${sink.events.length} events recorded`,
    );
  }, 60_000);

  it('the unmutated delivery pays the order: what was refused was refused for the mutation', async () => {
    const { status, answer } = await post(payload, header);
    expect([status, answer.outcome, answer.to]).toEqual([200, 'processed', 'paid']);
    const after = await snapshot();
    expect(after.order?.status).toBe('paid');
    expect(sink.events.filter((e) => e.type === 'payment_succeeded' && e.order_id === target)).toHaveLength(
      1,
    );
  });
});
