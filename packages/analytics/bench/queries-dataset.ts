/*
 * The benchmark's synthetic history: 50 merchants over 90 days, generated inside ClickHouse with
 * INSERT … SELECT from numbers() and deterministic hashes, so every run has the same data.
 */

export const DB = 'bench_queries';
export const MERCHANTS = 50;
export const DAYS = 90;
export const BASE = Date.parse('2026-01-01T00:00:00Z');
export const FROM = '2026-01-01';
export const TO = '2026-03-31';

export const merchantUuid = (m: string) =>
  `toUUID(concat('0195a3c4-0000-7000-8000-', leftPad(toString(${m}), 12, '0')))`;
/** A UUID (v4 layout) from two 64-bit hashes: deterministic ids without generateUUIDv4's randomness. */
const hashUuid = (a: string, b: string) => {
  const h = `lower(concat(leftPad(hex(${a}), 16, '0'), leftPad(hex(${b}), 16, '0')))`;
  const part = (from: number, len: number) => `substring(${h}, ${from}, ${len})`;
  return `toUUID(concat(${part(1, 8)}, '-', ${part(9, 4)}, '-4', ${part(14, 3)}, '-8', ${part(18, 3)}, '-', ${part(21, 12)}))`;
};

/** A uniform number in [0, 1) from the session number and a salt: deterministic, so every run has the same data. */
const rnd = (salt: number) => `(cityHash64(s, ${salt}) % 1000000) / 1000000`;

const INTENTS = [
  'BrowseCatalogIntent',
  'ProductDetailsIntent',
  'AddToCartIntent',
  'AMAZON.FallbackIntent',
  'SearchProductIntent',
  'AMAZON.HelpIntent',
  'ReviewCartIntent',
  'AMAZON.YesIntent',
  'AMAZON.NoIntent',
  'NextIntent',
];
const WANTED = ['oat milk', 'green tea', 'decaf pods', 'crème brûlée', 'gift card', 'espresso machine'];

/**
 * One session per number: a funnel of probabilities (70 % hear a pitch, 35 % of them add to cart, 65 %
 * check out, 85 % confirm, 90 % pay, 10 % refund), 2–12 turns, days skewed towards the big merchants.
 * The session's events are an array of (type, offset ms, turn index) exploded with ARRAY JOIN.
 */
export function generateSql(sessions: number, offset: number): string {
  const wanted = `[${WANTED.map((w) => `'${w}'`).join(', ')}]`;
  const intents = `[${INTENTS.map((w) => `'${w}'`).join(', ')}]`;
  return `
INSERT INTO ${DB}.events (event_id, ts, merchant_id, skill_id, user_id, session_id, type, locale, has_screen, new_user,
  request_id, request_type, intent, slots.name, slots.value, slots.resolved_id, slots.resolved_value, slots.resolution,
  response_ssml, should_end_session, latency_ms, error, experiment_id, experiment_key, variant_key, assignment_probability,
  product_id, quantity, unit_amount, amount, currency, item_count, order_id, variants, payment_intent_id, reason, last_prompt)
SELECT
  ${hashUuid('cityHash64(s, ev.2, 1)', 'cityHash64(s, ev.2, 2)')} AS event_id,
  fromUnixTimestamp64Milli(toInt64(t0 + ev.2), 'UTC') AS ts,
  ${merchantUuid('m')} AS merchant_id,
  concat('amzn1.ask.skill.', toString(m)) AS skill_id,
  user_id, session_id, ev.1 AS type,
  if(ev.1 IN ('session_start', 'turn'), locale, '') AS locale,
  ev.1 IN ('session_start', 'turn') AND screen AS has_screen,
  ev.1 = 'session_start' AND cityHash64(s, 30) % 4 = 0 AS new_user,
  if(ev.1 = 'turn', concat('amzn1.echo-api.request.', lower(hex(cityHash64(s, ev.3, 31)))), '') AS request_id,
  multiIf(ev.1 != 'turn', '', ev.3 = 0, 'LaunchRequest', 'IntentRequest') AS request_type,
  multiIf(ev.1 != 'turn' OR ev.3 = 0, '', ev.3 = 1, 'ProductDetailsIntent', ${intents}[1 + cityHash64(s, ev.3, 32) % ${INTENTS.length}]) AS intent,
  if(intent = 'SearchProductIntent', ['product'], []) AS \`slots.name\`,
  if(intent = 'SearchProductIntent', [${wanted}[1 + cityHash64(s, ev.3, 33) % ${WANTED.length}]], []) AS \`slots.value\`,
  if(intent = 'SearchProductIntent', [''], []) AS \`slots.resolved_id\`,
  if(intent = 'SearchProductIntent', [''], []) AS \`slots.resolved_value\`,
  if(intent = 'SearchProductIntent', ['no_match'], []) AS \`slots.resolution\`,
  if(ev.1 = 'turn', concat('<speak>', multiIf(ev.3 = 0, 'Welcome back to the roastery. Would you like to hear about this week''s coffees?',
    intent = 'ProductDetailsIntent', concat('Our coffee number ', toString(product), ' is the one our roasters drink at home: light and floral, with jasmine and a bright lemon finish, for ', toString(price), ' cents a bag. Shall I add it to your cart?'),
    intent = 'AMAZON.FallbackIntent', 'Sorry, I did not catch that. You can ask for our coffees, or say checkout.',
    concat('Okay. ', intent, ' done. Anything else?')), '</speak>'), '') AS response_ssml,
  ev.1 = 'turn' AND ev.3 + 1 = nturns AS should_end_session,
  if(ev.1 = 'turn', toFloat32(30 + cityHash64(s, ev.3, 34) % 800), 0) AS latency_ms,
  if(ev.1 = 'turn' AND cityHash64(s, ev.3, 35) % 100 = 0, 'HandlerTimeout', '') AS error,
  if(ev.1 = 'pitch_exposure', toUUID('0195a3c4-0000-7000-8000-0000000e0001'), toUUID('00000000-0000-0000-0000-000000000000')) AS experiment_id,
  if(ev.1 = 'pitch_exposure', 'voice-pitch', '') AS experiment_key,
  if(ev.1 = 'pitch_exposure', variant, '') AS variant_key,
  if(ev.1 = 'pitch_exposure', 0.5, 0) AS assignment_probability,
  if(ev.1 IN ('pitch_exposure', 'cart_add'), toUUID(concat('0195a3c4-0000-7000-9000-', leftPad(toString(m * 100 + product), 12, '0'))), toUUID('00000000-0000-0000-0000-000000000000')) AS product_id,
  if(ev.1 = 'cart_add', qty, 0) AS quantity,
  if(ev.1 = 'cart_add', price, 0) AS unit_amount,
  multiIf(ev.1 IN ('checkout_prompt', 'order_confirmed', 'payment_succeeded'), price * qty, ev.1 = 'refund', intDiv(price * qty, if(cityHash64(s, 36) % 2 = 0, 1, 3)), 0) AS amount,
  if(ev.1 IN ('cart_add', 'checkout_prompt', 'order_confirmed', 'payment_succeeded', 'refund'), if(m % 5 = 4, 'EUR', 'USD'), '') AS currency,
  if(ev.1 = 'checkout_prompt', 1, 0) AS item_count,
  if(ev.1 IN ('order_confirmed', 'payment_succeeded', 'refund'), ${hashUuid('cityHash64(s, 37)', 'cityHash64(s, 38)')}, toUUID('00000000-0000-0000-0000-000000000000')) AS order_id,
  if(ev.1 IN ('order_confirmed', 'payment_succeeded', 'refund'), [concat('voice-pitch:', variant)], []) AS variants,
  if(ev.1 = 'payment_succeeded', concat('pi_', lower(hex(cityHash64(s, 39)))), '') AS payment_intent_id,
  if(ev.1 = 'session_end', multiIf(ordered, 'completed', ['user_stop', 'user_initiated', 'exceeded_max_reprompts', 'user_stop', 'error'][1 + cityHash64(s, 40) % 5]), '') AS reason,
  if(ev.1 = 'session_end', ['<speak>Shall I add it to your cart?</speak>', '<speak>Anything else?</speak>', '<speak>Your order is placed.</speak>', '<speak>Sorry, I did not catch that.</speak>'][1 + cityHash64(s, 41) % 4], '') AS last_prompt
FROM (
  SELECT s, m, user_id, session_id, t0, locale, screen, variant, product, price, qty, nturns, ordered,
    arrayConcat(
      [('session_start', 0, 0)],
      arrayMap(i -> ('turn', toUInt64(i * 7000 + 400 + cityHash64(s, i, 50) % 3000), i), range(nturns)),
      if(exposed, [('pitch_exposure', toUInt64(7000), 1)], []),
      if(carted, [('cart_add', toUInt64(14000), 2)], []),
      if(checkout, [('checkout_prompt', toUInt64(21000), 3)], []),
      if(ordered, [('order_confirmed', toUInt64(28000), 4)], []),
      if(paid, [('payment_succeeded', toUInt64(33000 + cityHash64(s, 51) % 600000), 0)], []),
      if(refunded, [('refund', toUInt64(2 * 86400000 + cityHash64(s, 52) % 86400000), 0)], []),
      [('session_end', toUInt64(nturns * 7000 + 500), 0)]
    ) AS evs
  FROM (
    SELECT number + ${offset} AS s,
      toUInt32(floor(pow(${rnd(1)}, 1.6) * ${MERCHANTS})) AS m,
      concat('u', lower(hex(cityHash64(m, cityHash64(s, 2) % 9000)))) AS user_id,
      concat('amzn1.echo-api.session.', lower(hex(cityHash64(s, 3))), lower(hex(cityHash64(s, 4)))) AS session_id,
      ${BASE} + cityHash64(s, 5) % ${DAYS * 86_400_000} AS t0,
      ['en-US', 'en-US', 'en-GB', 'de-DE', 'en-IN'][1 + cityHash64(user_id, 6) % 5] AS locale,
      cityHash64(user_id, 7) % 10 < 4 AS screen,
      if(cityHash64(user_id, 8) % 2 = 0, 'control', 'story') AS variant,
      cityHash64(s, 15) % 20 AS product,
      toInt64(500 + cityHash64(m, product) % 3000) AS price,
      toUInt16(1 + cityHash64(s, 16) % 3) AS qty,
      ${rnd(9)} < 0.7 AS exposed,
      exposed AND ${rnd(10)} < if(variant = 'story', 0.38, 0.32) AS carted,
      carted AND ${rnd(11)} < 0.65 AS checkout,
      checkout AND ${rnd(12)} < 0.85 AS ordered,
      ordered AND ${rnd(13)} < 0.9 AS paid,
      paid AND ${rnd(14)} < 0.1 AS refunded,
      toUInt64(if(ordered, 5 + cityHash64(s, 17) % 4, 2 + cityHash64(s, 17) % 5)) AS nturns
    FROM numbers(${sessions})
  )
)
ARRAY JOIN evs AS ev`;
}
