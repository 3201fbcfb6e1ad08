import type { PitchlineEvent } from '@pitchline/core';

/**
 * A seeded generator of realistic voice-commerce traffic for query tests: several merchants, returning
 * shoppers, sessions of turns with pitches heard, carts, checkouts, orders, payments that succeed or fail,
 * refunds days later, fallbacks, catalog misses (some with hostile text), stops and rejected requests.
 * Timestamps inside a session strictly increase, so "first event of a step" is never a tie.
 */

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededUuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ['8', '9', 'a', 'b'][Math.floor(rand() * 4)] ?? '8';
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** What shoppers ask for that no catalog has; some are the kind of text that breaks careless SQL. */
export const WANTED = [
  'oat milk',
  'green tea',
  'crème brûlée',
  "o'reilly's blend",
  "'; DROP TABLE events; --",
  '{merchantId:UUID}',
  'chai \\ latte',
  '抹茶',
];

export const EXPERIMENTS = ['voice-pitch', 'price-anchor'] as const;
const LOCALES = ['en-US', 'en-GB', 'de-DE'];
const STOP_REASONS = ['user_stop', 'user_initiated', 'exceeded_max_reprompts'] as const;

export interface GeneratedData {
  events: PitchlineEvent[];
  merchants: string[];
  products: Map<string, { id: string; price: number }[]>;
}

export interface GenerateOptions {
  seed: number;
  merchants: number;
  sessionsPerMerchant: number;
  /** Sessions start uniformly in [startMs, startMs + days). */
  startMs: number;
  days: number;
}

export function generateEvents(o: GenerateOptions): GeneratedData {
  const rand = mulberry32(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const events: PitchlineEvent[] = [];
  const merchants: string[] = [];
  const products = new Map<string, { id: string; price: number }[]>();

  for (let m = 0; m < o.merchants; m++) {
    const merchantId = seededUuid(rand);
    merchants.push(merchantId);
    const skillId = `amzn1.ask.skill.${seededUuid(rand)}`;
    const catalog = Array.from({ length: 5 }, () => ({
      id: seededUuid(rand),
      price: 500 + Math.floor(rand() * 3000),
    }));
    products.set(merchantId, catalog);
    const currency = m % 2 === 0 ? 'USD' : 'EUR';
    const users = Array.from({ length: Math.max(1, Math.floor(o.sessionsPerMerchant / 3)) }, () => ({
      id: `u${seededUuid(rand).replaceAll('-', '')}`,
      locale: pick(LOCALES),
      hasScreen: rand() < 0.4,
      variant: { 'voice-pitch': pick(['control', 'story']), 'price-anchor': pick(['plain', 'anchor']) },
      seen: false,
    }));

    for (let s = 0; s < o.sessionsPerMerchant; s++) {
      const user = pick(users);
      const sessionId = `amzn1.echo-api.session.${seededUuid(rand)}`;
      const base = { merchant_id: merchantId, skill_id: skillId, user_id: user.id, session_id: sessionId };
      const device = { locale: user.locale, has_screen: user.hasScreen };
      let t = o.startMs + Math.floor(rand() * o.days * 86_400_000);
      const next = (minMs: number, maxMs: number) => {
        t += minMs + Math.floor(rand() * (maxMs - minMs));
        return t;
      };
      const ev = (e: Record<string, unknown>) =>
        events.push({ ...base, event_id: seededUuid(rand), ...e } as PitchlineEvent);
      let lastSpeech = '';
      const turn = (
        requestType: string,
        intent: string | undefined,
        speech: string,
        extra: Record<string, unknown> = {},
      ) => {
        lastSpeech = speech;
        ev({
          type: 'turn',
          ts: next(5, 40),
          ...device,
          request_id: `amzn1.echo-api.request.${seededUuid(rand)}`,
          request_type: requestType,
          ...(intent ? { intent } : {}),
          slots: [],
          response_ssml: `<speak>${speech}</speak>`,
          should_end_session: false,
          latency_ms: 20 + Math.floor(rand() * 900),
          ...extra,
        });
      };

      ev({ type: 'session_start', ts: t, ...device, new_user: !user.seen });
      user.seen = true;
      turn('LaunchRequest', undefined, 'Welcome back. What would you like?');

      const cart: { id: string; price: number; qty: number }[] = [];
      const heard = new Set<string>();
      let stage: 'browse' | 'pitched' | 'cart' | 'checkout' | 'done' = 'browse';
      let end: { reason: string } | undefined;
      for (let step = 0; step < 14 && !end; step++) {
        next(1500, 12_000);
        const r = rand();
        if (r < 0.08) {
          turn('IntentRequest', 'AMAZON.FallbackIntent', 'Sorry, I did not get that.');
        } else if (r < 0.15) {
          const value = pick(WANTED);
          turn('IntentRequest', 'SearchProductIntent', 'We do not carry that.', {
            slots: [{ name: 'product', value, resolution: 'no_match' }],
          });
        } else if (r < 0.19) {
          turn('IntentRequest', 'AMAZON.HelpIntent', 'You can ask for our coffees.', {
            ...(rand() < 0.3 ? { error: 'HandlerTimeout' } : {}),
          });
        } else if (r < 0.29) {
          end = { reason: pick(STOP_REASONS) };
          if (end.reason === 'user_stop') turn('IntentRequest', 'AMAZON.StopIntent', 'Goodbye.');
        } else if (r < 0.31) {
          turn('IntentRequest', 'BrowseCatalogIntent', 'Something went wrong.', { error: 'CatalogDown' });
          end = { reason: 'error' };
        } else if (stage === 'browse' || (stage === 'pitched' && rand() < 0.3)) {
          const product = pick(catalog);
          const experiment = rand() < 0.75 ? 'voice-pitch' : 'price-anchor';
          const variant = user.variant[experiment];
          heard.add(`${experiment}:${variant}`);
          ev({
            type: 'pitch_exposure',
            ts: next(1, 5),
            experiment_id: `00000000-0000-4000-8000-00000000000${experiment === 'voice-pitch' ? '1' : '2'}`,
            experiment_key: experiment,
            variant_key: variant,
            assignment_probability: 0.5,
            product_id: product.id,
          });
          turn(
            'IntentRequest',
            'ProductDetailsIntent',
            `Here is a pitch (${variant}). Add it to your cart?`,
            {
              slots: [
                {
                  name: 'product',
                  value: 'coffee',
                  resolved_id: product.id,
                  resolved_value: 'Coffee',
                  resolution: 'match',
                },
              ],
            },
          );
          stage = 'pitched';
        } else if (stage === 'pitched' && rand() < 0.55) {
          const product = pick(catalog);
          const qty = 1 + Math.floor(rand() * 3);
          cart.push({ ...product, qty });
          ev({
            type: 'cart_add',
            ts: next(1, 5),
            product_id: product.id,
            quantity: qty,
            unit_amount: product.price,
            currency,
          });
          turn('IntentRequest', 'AddToCartIntent', 'Added. Anything else?');
          if (rand() < 0.1 && cart.length > 1) {
            const removed = cart.shift();
            if (removed) {
              next(1000, 4000);
              ev({
                type: 'cart_remove',
                ts: next(1, 5),
                product_id: removed.id,
                quantity: removed.qty,
                unit_amount: removed.price,
                currency,
              });
              turn('IntentRequest', 'RemoveFromCartIntent', 'Removed.');
            }
          }
          if (rand() < 0.6) stage = 'cart';
        } else if (stage === 'cart') {
          const amount = cart.reduce((a, c) => a + c.price * c.qty, 0);
          ev({ type: 'checkout_prompt', ts: next(1, 5), amount, currency, item_count: cart.length });
          turn('IntentRequest', 'CheckoutIntent', 'Your total is ready. Shall I place the order?');
          stage = 'checkout';
        } else if (stage === 'checkout') {
          const amount = cart.reduce((a, c) => a + c.price * c.qty, 0);
          const orderId = seededUuid(rand);
          const order = { order_id: orderId, amount, currency, variants: [...heard].sort() };
          if (rand() < 0.85) {
            ev({ type: 'order_confirmed', ts: next(1, 5), ...order });
            turn('IntentRequest', 'AMAZON.YesIntent', 'Your order is placed.');
            const payTs = t + 1000 + Math.floor(rand() * 600_000);
            if (rand() < 0.88) {
              events.push({
                ...base,
                event_id: seededUuid(rand),
                type: 'payment_succeeded',
                ts: payTs,
                ...order,
                payment_intent_id: `pi_${s}`,
              });
              if (rand() < 0.15) {
                const first = rand() < 0.5 ? amount : Math.max(1, Math.floor(amount / 3));
                const refundTs = payTs + 86_400_000 + Math.floor(rand() * 4 * 86_400_000);
                events.push({
                  ...base,
                  event_id: seededUuid(rand),
                  type: 'refund',
                  ts: refundTs,
                  ...order,
                  amount: first,
                });
                if (first < amount && rand() < 0.5) {
                  events.push({
                    ...base,
                    event_id: seededUuid(rand),
                    type: 'refund',
                    ts: refundTs + 3_600_000,
                    ...order,
                    amount: amount - first,
                  });
                }
              }
            } else {
              events.push({
                ...base,
                event_id: seededUuid(rand),
                type: 'payment_failed',
                ts: payTs,
                ...order,
                failure_code: 'card_declined',
              });
            }
            end = { reason: 'completed' };
          } else {
            ev({ type: 'order_declined', ts: next(1, 5), ...order });
            turn('IntentRequest', 'AMAZON.NoIntent', 'No problem. Anything else?');
            stage = 'done';
          }
        } else {
          turn('IntentRequest', 'BrowseCatalogIntent', 'We have five coffees.');
        }
      }
      end ??= { reason: 'exceeded_max_reprompts' };
      if (end.reason !== 'user_stop' && end.reason !== 'error' && end.reason !== 'completed') {
        ev({
          type: 'turn',
          ts: next(8000, 8001),
          ...device,
          request_id: `amzn1.echo-api.request.${seededUuid(rand)}`,
          request_type: 'SessionEndedRequest',
          slots: [],
          response_ssml: '',
          should_end_session: true,
          latency_ms: 5 + Math.floor(rand() * 20),
        });
      }
      ev({ type: 'session_end', ts: t, reason: end.reason, last_prompt: `<speak>${lastSpeech}</speak>` });
    }

    for (let i = 0; i < 3 + m; i++) {
      events.push({
        event_id: seededUuid(rand),
        ts: o.startMs + Math.floor(rand() * o.days * 86_400_000),
        merchant_id: merchantId,
        skill_id: skillId,
        user_id: 'unknown',
        session_id: 'unknown',
        type: 'request_rejected',
        reason: pick(['bad_signature', 'stale_timestamp', 'wrong_application']),
        detail: "it's not from Alexa",
        // Aggregated rows (one per merchant, reason and minute) beside single ones from before aggregation.
        ...(i % 2 === 0 ? { count: (i % 5) + 2 } : {}),
      });
    }
  }
  return { events, merchants, products };
}
