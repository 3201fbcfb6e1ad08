import { zValidator } from '@hono/zod-validator';
import {
  type FunnelResult,
  INTENT_COLUMNS,
  insightsFigures,
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
  revenueFigures,
  type SessionSearchPage,
  type Transcript,
  type TranscriptEvent,
  transcriptParamsSchema,
} from '@pitchline/analytics';
import { ordersInReview } from '@pitchline/db';
import { Hono } from 'hono';
import type { DashboardEnv } from '../auth/caller';
import { authenticate, requireScope } from '../auth/middleware';
import type { Settings } from '../deps';
import { notFound } from '../http/errors';
import { invalidRequest, validate } from '../http/validate';
import {
  answer,
  dropoffsBody,
  funnelBody,
  idParam,
  insightsQuery,
  overviewQuery,
  period,
  revenueQuery,
  scope,
  sessionsQuery,
  withoutBlankFilters,
} from './analytics-request';
import { loadNames, namedFunnel, productLabel, variantLabel } from './names';
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

export function analyticsRoutes(settings: Settings) {
  return new Hono<DashboardEnv>()
    .use(authenticate(settings), requireScope('analytics:read'))
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
        const [summary, byDay, byProduct, byLocale, byVariant, names, prior, daysWithData, inReview] =
          await Promise.all([
            queryRevenueSummary(ch, p),
            queryRevenueBreakdown(ch, { ...p, by: 'day' }),
            queryRevenueByProduct(ch, p),
            queryRevenueBreakdown(ch, { ...p, by: 'locale' }),
            queryRevenueBreakdown(ch, { ...p, by: 'variant' }),
            loadNames(settings, p.merchantId),
            previous ? queryRevenueSummary(ch, { ...p, ...previous }) : null,
            previous ? querySessionDays(ch, { ...p, ...previous }) : 0,
            ordersInReview(settings.db, p.merchantId),
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
          // Whatever the range: a payment waiting for review is work to do, not a figure of a period.
          attention: {
            count: inReview.count,
            orders: inReview.orders.map((o) => ({ ...o, createdAt: o.createdAt.toISOString() })),
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
      requireScope('transcripts:read'),
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
    .get(
      '/sessions/:id/transcript',
      requireScope('transcripts:read'),
      validate('param', idParam),
      async (c) => {
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
          variantsHeardNamed: transcript.variantsHeard.map((key) => ({
            key,
            name: variantLabel(names, key),
          })),
        };
        return c.json({ data: named }, 200);
      },
    );
}
