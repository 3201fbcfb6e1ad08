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
import { BASE, DAYS, DB, FROM, generateSql, MERCHANTS, merchantUuid, TO } from './queries-dataset';
import { ms, rssMb, timeGroup } from './queries-timing';

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

const keep = args['data-dir'] !== undefined;
const root = args['data-dir'] ?? mkdtempSync(join(tmpdir(), 'pitchline-bench-queries-'));

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

    const all = await timeGroup(RUNS, {
      naive: () => rows(ch, naiveFunnelSql(undefined)),
      rollup: () => rows(ch, ours.sql, ours.params),
      oursRaw: () => rows(ch, oursRaw.sql, oursRaw.params),
    });
    const one = await timeGroup(RUNS, {
      naive: () => rows(ch, naiveFunnelSql(merchantId)),
      rollup: () => queryFunnel(ch, { ...base, steps: DEFAULT_FUNNEL_STEPS, breakdown: 'variant' }),
    });
    // Same answers from the overview rollup and from the raw events, at full size.
    const raw = { source: 'events' } as const;
    const sameOverview =
      JSON.stringify(await queryOverview(ch, base)) === JSON.stringify(await queryOverview(ch, base, raw));
    console.log(`overview page from overview_rollup = from the raw events: ${sameOverview ? 'yes' : 'NO'}`);
    const overviewParts = await timeGroup(RUNS, {
      revenueSummary: () => queryRevenueSummary(ch, base),
      revenueByDay: () => queryRevenueBreakdown(ch, { ...base, by: 'day' }),
      funnelByVariant: () => queryFunnel(ch, { ...base, steps: DEFAULT_FUNNEL_STEPS, breakdown: 'variant' }),
      dialogHealth: () => queryDialogHealth(ch, base),
      topIntents: () => queryTopIntents(ch, { ...base, limit: 5 }),
    });
    const overviewRaw = await timeGroup(RUNS, {
      revenueSummary: () => queryRevenueSummary(ch, base, raw),
      revenueByDay: () => queryRevenueBreakdown(ch, { ...base, by: 'day' }, raw),
      dialogHealth: () => queryDialogHealth(ch, base, raw),
      topIntents: () => queryTopIntents(ch, { ...base, limit: 5 }, raw),
    });
    const kolkata = { ...base, tz: 'Asia/Kolkata' };
    const kathmandu = { ...base, tz: 'Asia/Kathmandu' };
    // Rollup readers and raw scans timed apart: a raw scan just before evicts what the next query reads.
    const overview = {
      ...(await timeGroup(RUNS, {
        overview: () => queryOverview(ch, base),
        kolkata: () => queryOverview(ch, kolkata),
      })),
      ...(await timeGroup(RUNS, {
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
    const others = await timeGroup(RUNS, {
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
