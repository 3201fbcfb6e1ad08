import { zValidator } from '@hono/zod-validator';
import {
  type ClickHouseHandle,
  daysBetween,
  type FunnelResult,
  funnelDropoffsParamsSchema,
  funnelSpecSchema,
  INTENT_COLUMNS,
  insightParamsSchema,
  insightsFigures,
  overviewParamsSchema,
  PRODUCT_REVENUE_COLUMNS,
  previousPeriodOf,
  queryCatalogGaps,
  queryDialogHealth,
  queryExitPoints,
  queryFunnel,
  queryFunnelDropoffs,
  queryFunnelOverTime,
  queryOverview,
  queryRejectedRequests,
  queryRevenueBreakdown,
  queryRevenueByProduct,
  queryRevenueSummary,
  querySessionDays,
  querySessionSearch,
  querySkillLatency,
  queryTimeToYes,
  queryTopIntents,
  queryTranscript,
  queryTurnsToPurchase,
  REVENUE_COLUMNS,
  rangeIssues,
  revenueFigures,
  revenueParamsSchema,
  type SessionSearchPage,
  sessionSearchSchema,
  type Transcript,
  type TranscriptEvent,
  transcriptParamsSchema,
} from '@pitchline/analytics';
import { addDaysToLocalDate, localDateOf } from '@pitchline/core/time-zone';
import { merchants } from '@pitchline/db';
import { eq } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { DashboardEnv } from '../auth/caller';
import { authenticate } from '../auth/middleware';
import type { Settings } from '../deps';
import { notFound } from '../http/errors';
import { invalidRequest, validate } from '../http/validate';
import { loadNames, type Names, productLabel, variantLabel } from './names';

/*
 * Read-only analytics of the caller's merchant: overview, funnels (with conversion over time and the
 * drill-down into dropped sessions), revenue, voice insights, the session search and transcripts.
 *
 * Each route validates its input with a schema made from its query's own zod schema: the same fields,
 * bounds and messages, without the merchant id (always the caller's: a request cannot name one, and
 * one in the input is dropped like any unknown key) and with the range optional (the merchant's last
 * 30 local days). A bad field is a 400 with the issues before any store is touched, and the handler
 * passes typed values on. What needs the completed input (`to` before `from`, a range over three
 * years, a drop-off step past the funnel's end, a cursor this search never returned) is the query's
 * own parse, which answers the same 400. Values travel to ClickHouse as query parameters.
 *
 * What the answers carry (the SPA reads figures, not loose fields):
 * - `figures`: every headline figure as `{ metric, value, reason?, currency? }`, keyed by its metric id
 *   in the catalogue (@pitchline/analytics/metrics), value null with a reason when undefined, never
 *   NaN/Infinity. Overview: sessions, pitched_sessions, paid_sessions, paid_conversion, paid_orders,
 *   gross_revenue, refunds, net_revenue, average_order_value, revenue_per_session,
 *   revenue_per_exposed_shopper, exposed_shoppers, turns, fallback_rate, unhandled_rate,
 *   sessions_with_fallback. Revenue: its money, order and per-session/per-shopper figures. Insights:
 *   dialog health, latency_p50/p90/p99 (raw ms: the SPA formats), turns_to_purchase, time_to_yes (ms),
 *   rejected_requests.
 *   Funnel: sessions and pitched_sessions when its steps are those plain steps; every step also says
 *   its `metric` and its `name` in words.
 * - `previousFigures` and `previousPeriod: { from, to, days, daysWithData }`: the same figures for the
 *   period just before (as many days), and on how many of its days a session started, so the page
 *   compares only when that period has data; both null when it would start before 2000.
 * - `columns`: which metric each numeric column of a table is (rows stay plain numbers): revenue rows
 *   { gross: gross_revenue, refunds, net: net_revenue, orders: paid_orders }, product rows
 *   { amount: product_revenue, sessions: product_paid_sessions }, intent rows { turns: intent_requests },
 *   exit reasons { sessions, share: session_end_share }, latency rows { p50: latency_p50, … }.
 * - names beside ids: products `name`, variants `name` (experiment and variant name) with their `key`,
 *   funnel groups `name`, intents and end reasons `label`; read from Postgres here, never in SQL.
 */

/** The range every query takes, as its schema declares it (analytics params.ts dateRangeShape). */
type RangeShape = {
  merchantId: z.ZodType;
  from: z.ZodString;
  to: z.ZodString;
  tz: z.ZodDefault<z.ZodString>;
};

/**
 * What a request may give of a query's parameters: its fields less the tenant, `from` and `to`
 * optional, and `tz` optional without the query's 'UTC' default (absent means the merchant's zone).
 */
function requestShape<S extends RangeShape>({ merchantId: _tenant, from, to, tz, ...fields }: S) {
  return { ...fields, from: from.optional(), to: to.optional(), tz: tz.unwrap().optional() };
}

/**
 * `from` after `to`, or a range over three years, when the request names both: a 400 naming `to`
 * before any store is read (not even the merchant's time zone). A request naming one end is judged
 * by the query's own parse once the other end is filled in.
 */
function askedRange(
  asked: { from?: string | undefined; to?: string | undefined },
  ctx: z.core.$RefinementCtx,
) {
  if (asked.from === undefined || asked.to === undefined) return;
  for (const issue of rangeIssues({ from: asked.from, to: asked.to }))
    ctx.addIssue({ code: 'custom', ...issue });
}

/** A number parameter as query-string text: coerced, then judged by the query's own number schema. */
const numberText = (schema: z.ZodNumber) => z.coerce.number<string>().pipe(schema);

const overviewQuery = z.object(requestShape(overviewParamsSchema.shape)).superRefine(askedRange);
const revenueQuery = z.object(requestShape(revenueParamsSchema.shape)).superRefine(askedRange);
const { limit: insightLimit, ...insightRange } = requestShape(insightParamsSchema.shape);
const insightsQuery = z
  .object({ ...insightRange, limit: numberText(insightLimit.unwrap()).optional() })
  .superRefine(askedRange);

const { from, to, tz, minTurns, limit, cursor, ...sessionText } = requestShape(sessionSearchSchema.shape);
/** The session search's own filters; a blank one (an empty form field) means "no filter". */
const sessionFilters = {
  ...sessionText,
  minTurns: numberText(minTurns.unwrap()).optional(),
  // The text as sent: the query decodes it itself (handed a decoded cursor, it would find an object
  // where it reads the text it issued), and a cursor it never issued is its 400.
  cursor: cursor.unwrap().in.optional(),
};
const sessionsQuery = z
  .object({
    ...sessionFilters,
    from,
    to,
    tz,
    limit: numberText(limit.unwrap()).optional(),
  })
  .superRefine(askedRange);
const SESSION_FILTER_KEYS = new Set(Object.keys(sessionFilters));
function withoutBlankFilters(query: Record<string, string | string[]>): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(query).filter(([k, v]) => !(v === '' && SESSION_FILTER_KEYS.has(k))),
  );
}

const funnelBody = z.object(requestShape(funnelSpecSchema.shape)).superRefine(askedRange);
const { merchantId: _tenant, funnel: _anyFunnel, ...dropoffFields } = funnelDropoffsParamsSchema.shape;
const dropoffsBody = z.object({ ...dropoffFields, funnel: funnelBody });

const idParam = z.object({ id: z.string() });

async function merchantTimeZone(settings: Settings, merchantId: string): Promise<string> {
  const [row] = await settings.db
    .select({ timezone: merchants.timezone })
    .from(merchants)
    .where(eq(merchants.id, merchantId))
    .limit(1);
  return row?.timezone ?? 'UTC';
}

/** The last 30 local days when the caller names no range. */
function defaultRange(now: Date, tz: string): { from: string; to: string } {
  const today = localDateOf(now, tz);
  return { from: addDaysToLocalDate(today, -29), to: today };
}

/**
 * The caller's merchant and the range asked for, completed: without `tz` the merchant's own time
 * zone, without `from`/`to` its last 30 local days. Spread last, so nothing asked replaces the tenant.
 */
async function scope(
  c: Context<DashboardEnv>,
  settings: Settings,
  asked: { from?: string | undefined; to?: string | undefined; tz?: string | undefined },
) {
  const { merchantId } = c.get('caller');
  const tz = asked.tz ?? (await merchantTimeZone(settings, merchantId));
  const fallback = defaultRange(settings.now(), tz);
  return { merchantId, from: asked.from ?? fallback.from, to: asked.to ?? fallback.to, tz };
}

/** Runs a query, turning its own validation errors into 400s and a missing analytics store into 503. */
async function answer<T>(
  c: Context<DashboardEnv>,
  settings: Settings,
  run: (ch: ClickHouseHandle) => Promise<T>,
) {
  if (!settings.ch) return c.json({ error: 'analytics_unavailable' as const }, 503);
  try {
    return c.json({ data: await run(settings.ch) }, 200);
  } catch (error) {
    if (error instanceof z.ZodError) {
      return c.json({ error: 'invalid_request' as const, issues: error.issues }, 400);
    }
    throw error;
  }
}

function period(previous: { from: string; to: string }, daysWithData: number) {
  return { ...previous, days: daysBetween(previous.from, previous.to) + 1, daysWithData };
}

/** A funnel with its groups named: a variant's name, a product's name, "No pitch heard". */
function namedFunnel<F extends FunnelResult>(
  funnel: F,
  names: Names,
  spec: { breakdown?: string | undefined; experimentKey?: string | undefined },
): F {
  const byPitch = spec.breakdown === 'variant' || spec.breakdown === 'experiment';
  return {
    ...funnel,
    groups: funnel.groups.map((g) => {
      if (g.group === '') return g;
      if (g.group === '(none)') return { ...g, name: byPitch ? 'No pitch heard' : 'Not recorded' };
      if (spec.breakdown === 'product') return { ...g, name: productLabel(names, g.group) };
      if (spec.breakdown === 'experiment') return { ...g, name: names.experiment(g.group) ?? g.group };
      if (spec.breakdown === 'variant') {
        const pair = spec.experimentKey !== undefined ? `${spec.experimentKey}:${g.group}` : g.group;
        const variant = names.variant(pair);
        return { ...g, name: variant ? `${variant.experimentName}: ${variant.name}` : g.group };
      }
      return { ...g, name: g.group };
    }),
  };
}

export function analyticsRoutes(settings: Settings) {
  return new Hono<DashboardEnv>()
    .use(authenticate(settings))
    .get('/overview', validate('query', overviewQuery), (c) => {
      const asked = c.req.valid('query');
      return answer(c, settings, async (ch) => {
        const p = await scope(c, settings, asked);
        const [overview, names] = await Promise.all([
          queryOverview(ch, p),
          loadNames(settings, p.merchantId),
        ]);
        return { ...overview, funnel: namedFunnel(overview.funnel, names, { breakdown: 'variant' }) };
      });
    })
    .post('/funnel', validate('json', funnelBody), (c) => {
      const { from, to, tz, ...definition } = c.req.valid('json');
      return answer(c, settings, async (ch) => {
        const spec = { ...definition, ...(await scope(c, settings, { from, to, tz })) };
        const previous = previousPeriodOf(spec);
        const [funnel, overTime, names, prior, daysWithData] = await Promise.all([
          queryFunnel(ch, spec),
          queryFunnelOverTime(ch, spec),
          loadNames(settings, spec.merchantId),
          previous ? queryFunnel(ch, { ...spec, ...previous }) : null,
          previous ? querySessionDays(ch, { ...spec, ...previous }) : 0,
        ]);
        // Typed as the query's result: the SPA's hooks take the funnel's type from queryFunnel.
        const named: FunnelResult = {
          ...namedFunnel(funnel, names, spec),
          previousPeriod: previous ? period(previous, daysWithData) : null,
          previousFigures: prior?.figures ?? null,
        };
        return { funnel: named, overTime };
      });
    })
    .post('/funnel/dropoffs', validate('json', dropoffsBody), (c) => {
      const {
        funnel: { from, to, tz, ...definition },
        ...drill
      } = c.req.valid('json');
      return answer(c, settings, async (ch) => {
        const range = await scope(c, settings, { from, to, tz });
        return queryFunnelDropoffs(ch, {
          ...drill,
          merchantId: range.merchantId,
          funnel: { ...definition, ...range },
        });
      });
    })
    .get('/revenue', validate('query', revenueQuery), (c) => {
      const asked = c.req.valid('query');
      return answer(c, settings, async (ch) => {
        const p = await scope(c, settings, asked);
        const previous = previousPeriodOf(p);
        const [summary, byDay, byProduct, byLocale, byVariant, names, prior, daysWithData] =
          await Promise.all([
            queryRevenueSummary(ch, p),
            queryRevenueBreakdown(ch, { ...p, by: 'day' }),
            queryRevenueByProduct(ch, p),
            queryRevenueBreakdown(ch, { ...p, by: 'locale' }),
            queryRevenueBreakdown(ch, { ...p, by: 'variant' }),
            loadNames(settings, p.merchantId),
            previous ? queryRevenueSummary(ch, { ...p, ...previous }) : null,
            previous ? querySessionDays(ch, { ...p, ...previous }) : 0,
          ]);
        return {
          summary,
          byDay,
          byProduct: byProduct.map((r) => ({
            ...r,
            name: productLabel(names, r.productId),
          })),
          byLocale,
          byVariant: byVariant.map((r) => ({ ...r, name: variantLabel(names, r.key) })),
          figures: revenueFigures(summary),
          previousPeriod: previous ? period(previous, daysWithData) : null,
          previousFigures: prior ? revenueFigures(prior) : null,
          columns: {
            byDay: REVENUE_COLUMNS,
            byLocale: REVENUE_COLUMNS,
            byVariant: REVENUE_COLUMNS,
            byProduct: PRODUCT_REVENUE_COLUMNS,
          },
        };
      });
    })
    .get('/insights', validate('query', insightsQuery), (c) => {
      const { limit, ...asked } = c.req.valid('query');
      return answer(c, settings, async (ch) => {
        const p = { ...(await scope(c, settings, asked)), limit };
        const [topIntents, health, catalogGaps, exitPoints, turnsToPurchase, latency, rejected, timeToYesMs] =
          await Promise.all([
            queryTopIntents(ch, p),
            queryDialogHealth(ch, p),
            queryCatalogGaps(ch, p),
            queryExitPoints(ch, p),
            queryTurnsToPurchase(ch, p),
            querySkillLatency(ch, p),
            queryRejectedRequests(ch, p),
            queryTimeToYes(ch, p),
          ]);
        const figuresOf = (parts: {
          health: typeof health;
          latency: typeof latency;
          turnsToPurchase: typeof turnsToPurchase;
          exitPoints: typeof exitPoints;
          rejected: typeof rejected;
          timeToYesMs: number | null;
        }) => insightsFigures({ ...parts, rejected: parts.rejected.reduce((a, r) => a + r.requests, 0) });
        const previous = previousPeriodOf(p);
        let previousFigures: ReturnType<typeof figuresOf> | null = null;
        let daysWithData = 0;
        if (previous) {
          const q = { ...p, ...previous };
          const [h, l, t, e, r, d, y] = await Promise.all([
            queryDialogHealth(ch, q),
            querySkillLatency(ch, q),
            queryTurnsToPurchase(ch, q),
            queryExitPoints(ch, q),
            queryRejectedRequests(ch, q),
            querySessionDays(ch, q),
            queryTimeToYes(ch, q),
          ]);
          previousFigures = figuresOf({
            health: h,
            latency: l,
            turnsToPurchase: t,
            exitPoints: e,
            rejected: r,
            timeToYesMs: y,
          });
          daysWithData = d;
        }
        return {
          topIntents,
          health,
          catalogGaps,
          exitPoints,
          turnsToPurchase,
          latency,
          rejected,
          figures: figuresOf({ health, latency, turnsToPurchase, exitPoints, rejected, timeToYesMs }),
          previousPeriod: previous ? period(previous, daysWithData) : null,
          previousFigures,
          columns: {
            topIntents: INTENT_COLUMNS,
            exitPoints: { sessions: 'sessions', share: 'session_end_share' },
            latency: { p50: 'latency_p50', p90: 'latency_p90', p99: 'latency_p99' },
          },
        };
      });
    })
    .get(
      '/sessions',
      // The shared 400, with blank filters dropped before the schema judges the rest.
      zValidator('query', sessionsQuery, invalidRequest, {
        validationFunction: (schema, query) => schema.safeParseAsync(withoutBlankFilters(query)),
      }),
      (c) => {
        const { from, to, tz, ...filters } = c.req.valid('query');
        return answer(c, settings, async (ch) => {
          const p = await scope(c, settings, { from, to, tz });
          const [page, names] = await Promise.all([
            querySessionSearch(ch, { ...filters, ...p }),
            loadNames(settings, p.merchantId),
          ]);
          const named: SessionSearchPage = {
            ...page,
            sessions: page.sessions.map((row) => ({
              ...row,
              variantsHeardNamed: row.variantsHeard.map((key) => ({ key, name: variantLabel(names, key) })),
              productsTouchedNamed: row.productsTouched.map((id) => ({ id, name: productLabel(names, id) })),
            })),
          };
          return named;
        });
      },
    )
    .get('/sessions/:id/transcript', validate('param', idParam), async (c) => {
      if (!settings.ch) return c.json({ error: 'analytics_unavailable' as const }, 503);
      // An id no session can have is answered like an unknown one.
      const sessionId = transcriptParamsSchema.shape.sessionId.safeParse(c.req.valid('param').id);
      if (!sessionId.success) return notFound(c);
      // Another merchant's session reads as absent: same 404 as an unknown id.
      const transcript = await queryTranscript(settings.ch, {
        merchantId: c.get('caller').merchantId,
        sessionId: sessionId.data,
      });
      if (!transcript) return notFound(c);
      const names = await loadNames(settings, c.get('caller').merchantId);
      const nameEvent = (e: TranscriptEvent): TranscriptEvent => {
        const pair = e.experimentKey && e.variantKey ? `${e.experimentKey}:${e.variantKey}` : undefined;
        const variant = pair ? names.variant(pair) : null;
        return {
          ...e,
          ...(e.productId ? { productName: productLabel(names, e.productId) } : {}),
          ...(e.experimentKey
            ? { experimentName: names.experiment(e.experimentKey) ?? e.experimentKey }
            : {}),
          ...(pair ? { variantName: variant?.name ?? e.variantKey } : {}),
        };
      };
      const named: Transcript = {
        ...transcript,
        turns: transcript.turns.map((t) => ({ ...t, events: t.events.map(nameEvent) })),
        afterDialog: transcript.afterDialog.map(nameEvent),
        variantsHeardNamed: transcript.variantsHeard.map((key) => ({ key, name: variantLabel(names, key) })),
      };
      return c.json({ data: named }, 200);
    });
}
