/**
 * Dashboard query benchmark: generates ~10M events (about 1.3M sessions, 50 merchants) INSIDE ClickHouse
 * with INSERT … SELECT from numbers() and deterministic hashes, into a database under a temp DATA_DIR,
 * then times each dashboard query (median of 5 warm runs) beside a naive windowFunnel over the raw events,
 * alternating them round by round so machine load hits both alike.
 *
 *   npm run bench:queries [-- --sessions 1300000 --runs 5 --keep-unmerged --data-dir DIR]
 *
 * The funnels read session_funnel (migration 0004); session_summary stays for the session search. The
 * overview's other queries read overview_rollup (0005); each is also timed over the raw events, and the
 * answers of both are compared. Reusing a data directory applies any newer migration to it first (timed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ClickHouseHandle, createClickHouse } from '../src/clickhouse';
import { migrateClickHouse } from '../src/migrate';
import { queryCatalogGaps } from '../src/queries/catalog-gaps.query';
import { queryDialogHealth } from '../src/queries/dialog-health.query';
import { queryExitPoints } from '../src/queries/exit-points.query';
import { funnelSql, queryFunnel } from '../src/queries/funnel.query';
import { queryFunnelDropoffs } from '../src/queries/funnel-drilldown.query';
import { queryFunnelOverTime } from '../src/queries/funnel-over-time.query';
import { DEFAULT_FUNNEL_STEPS, funnelSpecSchema } from '../src/queries/funnel-spec';
import { queryOverview } from '../src/queries/overview.query';
import { queryRejectedRequests } from '../src/queries/rejected-requests.query';
import { queryRevenueSummary } from '../src/queries/revenue.query';
import { queryRevenueBreakdown } from '../src/queries/revenue-breakdown.query';
import { queryRevenueByProduct } from '../src/queries/revenue-by-product.query';
import { querySessionSearch } from '../src/queries/session-search.query';
import { querySkillLatency } from '../src/queries/skill-latency.query';
import { queryTopIntents } from '../src/queries/top-intents.query';
import { queryTranscript } from '../src/queries/transcript.query';
import { queryTurnsToPurchase } from '../src/queries/turns-to-purchase.query';

const { values: args } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1300000' },
    runs: { type: 'string', default: '5' },
    /** Skip OPTIMIZE … FINAL: time the tables as the inserts left them, before background merges. */
    'keep-unmerged': { type: 'boolean', default: false },
    /** Reuse (and keep) a data directory: generation is skipped when its events table is filled. */
    'data-dir': { type: 'string' },
  },
});
const SESSIONS = Number(args.sessions);
const RUNS = Number(args.runs);
const MERCHANTS = 50;
const DAYS = 90;
const BASE = Date.parse('2026-01-01T00:00:00Z');
const FROM = '2026-01-01';
const TO = '2026-03-31';

const keep = args['data-dir'] !== undefined;
const root = args['data-dir'] ?? mkdtempSync(join(tmpdir(), 'pitchline-bench-queries-'));
const DB = 'bench_queries';

const merchantUuid = (m: string) =>
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
function generateSql(sessions: number, offset: number): string {
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

async function scalar(ch: ClickHouseHandle, query: string): Promise<number> {
  const rows = await (await ch.client.query({ query, format: 'JSONEachRow' })).json<{ v: string | number }>();
  return Number(rows[0]?.v ?? 0);
}

function naiveFunnelSql(merchantId: string | undefined): string {
  const tenant = merchantId ? `merchant_id = toUUID('${merchantId}') AND ` : '';
  return `
SELECT bd, [toUInt32(countIf(level >= 1)), toUInt32(countIf(level >= 2)), toUInt32(countIf(level >= 3)), toUInt32(countIf(level >= 4)), toUInt32(countIf(level >= 5))] AS counts
FROM (
  SELECT session_id,
    argMinIf(concat(experiment_key, ':', variant_key), ts, type = 'pitch_exposure') AS bd,
    windowFunnel(86400)(toDateTime(ts), type = 'session_start', type = 'pitch_exposure', type = 'cart_add', type = 'order_confirmed', type = 'payment_succeeded') AS level
  FROM ${DB}.events
  WHERE ${tenant}type IN ('session_start', 'pitch_exposure', 'cart_add', 'order_confirmed', 'payment_succeeded')
    AND ts >= toDateTime('${FROM} 00:00:00', 'UTC') AND ts < toDateTime('${TO} 00:00:00', 'UTC') + INTERVAL 1 DAY
  GROUP BY session_id
)
GROUP BY bd ORDER BY bd`;
}

async function rows(
  ch: ClickHouseHandle,
  query: string,
  params: Record<string, unknown> = {},
): Promise<unknown[]> {
  return (await (
    await ch.client.query({ query, query_params: params, format: 'JSONEachRow' })
  ).json()) as unknown[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/** One warm-up, then RUNS timed rounds; the tasks of a group alternate inside each round. */
async function timeGroup(tasks: Record<string, () => Promise<unknown>>): Promise<Record<string, number>> {
  for (const fn of Object.values(tasks)) await fn();
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
  for (let r = 0; r < RUNS; r++) {
    for (const [name, fn] of Object.entries(tasks)) {
      const t = performance.now();
      await fn();
      times[name]?.push(performance.now() - t);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

const ms = (x: number) => `${x.toFixed(1)} ms`.padStart(10);
const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function main() {
  const load0 = loadavg();
  console.log(
    `bench:queries — ${SESSIONS.toLocaleString('en')} sessions, ${MERCHANTS} merchants, ${DAYS} days; ${cpus().length} cores, load ${load0.map((l) => l.toFixed(2)).join(' ')}`,
  );
  const ch = createClickHouse({ dataDir: root, database: DB });
  try {
    let t = performance.now();
    const applied = await migrateClickHouse(ch);
    console.log(
      `migrations applied: [${applied.map((m) => m.version).join(', ')}] in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    t = performance.now();
    const chunk = 200_000;
    const reuse = keep && (await scalar(ch, `SELECT count() AS v FROM ${DB}.events`)) > 0;
    for (let off = 0; off < (reuse ? 0 : SESSIONS); off += chunk) {
      await ch.client.command({ query: generateSql(Math.min(chunk, SESSIONS - off), off) });
    }
    if (reuse) console.log(`reusing the events in ${root}`);
    else
      await ch.client.command({
        query: `INSERT INTO ${DB}.events (event_id, ts, merchant_id, skill_id, user_id, session_id, type, reason, detail)
SELECT generateUUIDv4(number), fromUnixTimestamp64Milli(toInt64(${BASE} + cityHash64(number, 1) % ${DAYS * 86_400_000}), 'UTC'),
  ${merchantUuid(`cityHash64(number, 2) % ${MERCHANTS}`)}, 'amzn1.ask.skill.x', 'unknown', 'unknown', 'request_rejected',
  ['bad_signature', 'stale_timestamp', 'wrong_application'][1 + cityHash64(number, 3) % 3], ''
FROM numbers(${Math.round(SESSIONS / 100)})`,
      });
    const generated = performance.now() - t;
    t = performance.now();
    if (!args['keep-unmerged'] && !reuse) {
      // A table that has lived a while is merged by the background; the bench measures that steady state.
      await ch.client.command({ query: `OPTIMIZE TABLE ${DB}.events FINAL` });
      await ch.client.command({ query: `OPTIMIZE TABLE ${DB}.session_summary FINAL` });
      await ch.client.command({ query: `OPTIMIZE TABLE ${DB}.session_funnel FINAL` });
    }
    // The rollup is new to a reused directory too: merge what its backfill and the view wrote.
    if (!args['keep-unmerged'])
      await ch.client.command({ query: `OPTIMIZE TABLE ${DB}.overview_rollup FINAL` });
    const merged = performance.now() - t;
    const events = await scalar(ch, `SELECT count() AS v FROM ${DB}.events`);
    const sessions = await scalar(ch, `SELECT uniqExact(session_key) AS v FROM ${DB}.session_summary`);
    const summaryRows = await scalar(ch, `SELECT count() AS v FROM ${DB}.session_summary`);
    const bytes = async (table: string) =>
      scalar(
        ch,
        `SELECT sum(bytes_on_disk) AS v FROM system.parts WHERE database = '${DB}' AND table = '${table}' AND active`,
      );
    const [eventBytes, summaryBytes, funnelBytes, rollupBytes] = [
      await bytes('events'),
      await bytes('session_summary'),
      await bytes('session_funnel'),
      await bytes('overview_rollup'),
    ];
    const rollupRows = await scalar(ch, `SELECT count() AS v FROM ${DB}.overview_rollup`);
    console.log(
      `generated ${events.toLocaleString('en')} events / ${sessions.toLocaleString('en')} sessions in ${(generated / 1000).toFixed(1)} s` +
        `${args['keep-unmerged'] ? ' (unmerged)' : `, merged in ${(merged / 1000).toFixed(1)} s`}; events ${(eventBytes / 2 ** 20).toFixed(0)} MiB` +
        ` (${(eventBytes / events).toFixed(1)} B/event), session_summary ${summaryRows.toLocaleString('en')} rows ${(summaryBytes / 2 ** 20).toFixed(0)} MiB, session_funnel ${(funnelBytes / 2 ** 20).toFixed(0)} MiB` +
        `, overview_rollup ${rollupRows.toLocaleString('en')} rows ${(rollupBytes / 2 ** 20).toFixed(0)} MiB`,
    );

    // The merchant with the most events: the slowest single-tenant case.
    const big = (await rows(
      ch,
      `SELECT toString(merchant_id) AS id, count() AS n FROM ${DB}.events GROUP BY merchant_id ORDER BY n DESC LIMIT 1`,
    )) as { id: string; n: number }[];
    const merchantId = big[0]?.id as string;
    const spec = funnelSpecSchema.parse({
      merchantId,
      from: FROM,
      to: TO,
      steps: DEFAULT_FUNNEL_STEPS,
      breakdown: 'variant',
    });
    const ours = funnelSql(DB, spec, 'all');
    const oursRaw = funnelSql(DB, { ...spec, source: 'events' }, 'all');
    const base = { merchantId, from: FROM, to: TO, tz: 'America/New_York' };

    // Same answer check, side by side: first-occurrence funnel vs windowFunnel (see funnel-spec.ts).
    const sumCounts = (rs: unknown[]) =>
      (rs as { counts: (number | string)[] }[]).reduce(
        (acc, r) => acc.map((a, i) => a + Number(r.counts[i] ?? 0)),
        [0, 0, 0, 0, 0],
      );
    const allOurs = sumCounts(await rows(ch, ours.sql, ours.params));
    const allNaive = sumCounts(await rows(ch, naiveFunnelSql(undefined)));
    console.log(
      `funnel totals, all merchants: rollup [${allOurs.join(', ')}]  windowFunnel [${allNaive.join(', ')}]`,
    );

    const all = await timeGroup({
      naive: () => rows(ch, naiveFunnelSql(undefined)),
      rollup: () => rows(ch, ours.sql, ours.params),
      oursRaw: () => rows(ch, oursRaw.sql, oursRaw.params),
    });
    const one = await timeGroup({
      naive: () => rows(ch, naiveFunnelSql(merchantId)),
      rollup: () => queryFunnel(ch, { ...base, steps: DEFAULT_FUNNEL_STEPS, breakdown: 'variant' }),
    });
    // Same answers from the overview rollup and from the raw events, at full size.
    const raw = { source: 'events' } as const;
    const sameOverview =
      JSON.stringify(await queryOverview(ch, base)) === JSON.stringify(await queryOverview(ch, base, raw));
    console.log(`overview page from overview_rollup = from the raw events: ${sameOverview ? 'yes' : 'NO'}`);
    const overviewParts = await timeGroup({
      revenueSummary: () => queryRevenueSummary(ch, base),
      revenueByDay: () => queryRevenueBreakdown(ch, { ...base, by: 'day' }),
      funnelByVariant: () => queryFunnel(ch, { ...base, steps: DEFAULT_FUNNEL_STEPS, breakdown: 'variant' }),
      dialogHealth: () => queryDialogHealth(ch, base),
      topIntents: () => queryTopIntents(ch, { ...base, limit: 5 }),
    });
    const overviewRaw = await timeGroup({
      revenueSummary: () => queryRevenueSummary(ch, base, raw),
      revenueByDay: () => queryRevenueBreakdown(ch, { ...base, by: 'day' }, raw),
      dialogHealth: () => queryDialogHealth(ch, base, raw),
      topIntents: () => queryTopIntents(ch, { ...base, limit: 5 }, raw),
    });
    const kolkata = { ...base, tz: 'Asia/Kolkata' };
    const kathmandu = { ...base, tz: 'Asia/Kathmandu' };
    // Rollup readers and raw scans timed apart: a raw scan just before evicts what the next query reads.
    const overview = {
      ...(await timeGroup({
        overview: () => queryOverview(ch, base),
        kolkata: () => queryOverview(ch, kolkata),
      })),
      ...(await timeGroup({
        raw: () => queryOverview(ch, base, raw),
        kathmandu: () => queryOverview(ch, kathmandu),
      })),
    };
    const dropped = await queryFunnelDropoffs(ch, {
      merchantId,
      funnel: { ...base, steps: DEFAULT_FUNNEL_STEPS },
      droppedAfterStep: 3,
      limit: 20,
    });
    const sessionId = dropped[0]?.unit ?? '';
    // The Conversations page: first page (50), filtered, text searched, and the page after via the cursor.
    const search = { ...base, limit: 50 };
    const firstPage = await querySessionSearch(ch, search);
    const cursor = firstPage.nextCursor ?? undefined;
    const others = await timeGroup({
      'funnel over time': () =>
        queryFunnelOverTime(ch, { ...base, steps: DEFAULT_FUNNEL_STEPS, breakdown: 'variant' }),
      'funnel drop-offs (step 3)': () =>
        queryFunnelDropoffs(ch, {
          merchantId,
          funnel: { ...base, steps: DEFAULT_FUNNEL_STEPS },
          droppedAfterStep: 3,
          limit: 50,
        }),
      'funnel by user, raw events': () =>
        queryFunnel(ch, { ...base, steps: DEFAULT_FUNNEL_STEPS, unit: 'user', breakdown: 'locale' }),
      'funnel with intent filter, raw': () =>
        queryFunnel(ch, {
          ...base,
          steps: [
            { type: 'session_start' },
            { type: 'turn', filters: [{ field: 'intent', values: ['ProductDetailsIntent'] }] },
            { type: 'cart_add' },
          ],
        }),
      'revenue by locale': () => queryRevenueBreakdown(ch, { ...base, by: 'locale' }),
      'revenue by variant': () => queryRevenueBreakdown(ch, { ...base, by: 'variant' }),
      'revenue by product': () => queryRevenueByProduct(ch, base),
      'catalog gaps': () => queryCatalogGaps(ch, base),
      'exit points': () => queryExitPoints(ch, base),
      'turns to purchase': () => queryTurnsToPurchase(ch, base),
      'skill latency': () => querySkillLatency(ch, base),
      'rejected requests': () => queryRejectedRequests(ch, base),
      transcript: () => queryTranscript(ch, { merchantId, sessionId }),
      'session search, first page': () => querySessionSearch(ch, search),
      'session search, outcome=paid': () => querySessionSearch(ch, { ...search, outcome: 'paid' }),
      'session search, q=espresso': () => querySessionSearch(ch, { ...search, q: 'espresso' }),
      "session search, q='did not catch'": () => querySessionSearch(ch, { ...search, q: 'did not catch' }),
      'session search, second page (cursor)': () => querySessionSearch(ch, { ...search, cursor }),
    });

    const merchantEvents = big[0]?.n ?? 0;
    const line = (name: string, value: number, target: string, ok: boolean | undefined, shown = ms(value)) =>
      console.log(
        `${name.padEnd(58)}${shown}   ${target.padEnd(28)}${ok === undefined ? '' : ok ? 'OK' : 'MISSED'}`,
      );
    console.log('\nquery (median of %d warm runs)%starget', RUNS, ' '.repeat(44));
    line(
      '5-step funnel by variant, all merchants, rollup',
      all.rollup ?? 0,
      '≤ 250 ms',
      (all.rollup ?? 0) <= 250,
    );
    line('  same, naive windowFunnel over raw events', all.naive ?? 0, '', undefined);
    const speedup = (all.naive ?? 0) / (all.rollup ?? 1);
    line('  speed-up', speedup, '≥ 4×', speedup >= 4, `${speedup.toFixed(1)}×`.padStart(10));
    line('  same, first-occurrence SQL over raw events (no rollup)', all.oursRaw ?? 0, '', undefined);
    line(
      `5-step funnel by variant, one merchant (${Number(merchantEvents).toLocaleString('en')} events)`,
      one.rollup ?? 0,
      '≤ 50 ms',
      (one.rollup ?? 0) <= 50,
    );
    line('  same, naive windowFunnel', one.naive ?? 0, '', undefined);
    const partsSum = Object.values(overviewParts).reduce((a, b) => a + b, 0);
    line(
      'overview page, all queries (queryOverview)',
      overview.overview ?? 0,
      '≤ 300 ms',
      (overview.overview ?? 0) <= 300,
    );
    line('  same, without overview_rollup (raw events)', overview.raw ?? 0, '', undefined);
    line('  same, Asia/Kolkata (+05:30: rollup too)', overview.kolkata ?? 0, '', undefined);
    line('  same, Asia/Kathmandu (+05:45: raw events by design)', overview.kathmandu ?? 0, '', undefined);
    line('  sum of its queries run one by one', partsSum, '', undefined);
    for (const [k, v] of Object.entries(overviewParts)) {
      const without = overviewRaw[k];
      line(`    ${k}`, v, without === undefined ? '' : `raw events ${ms(without).trim()}`, undefined);
    }
    console.log('other dashboard queries, one merchant:');
    for (const [k, v] of Object.entries(others)) line(`  ${k}`, v, '', undefined);
    console.log(
      `\npeak RSS ${rssMb()} MB; load average now ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await ch.close();
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
}

await main();
