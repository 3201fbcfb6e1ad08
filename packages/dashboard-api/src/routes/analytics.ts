import { zValidator } from '@hono/zod-validator';
import {
  type ClickHouseHandle,
  funnelDropoffsParamsSchema,
  funnelSpecSchema,
  insightParamsSchema,
  overviewParamsSchema,
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
  querySessionSearch,
  querySkillLatency,
  queryTopIntents,
  queryTranscript,
  queryTurnsToPurchase,
  revenueParamsSchema,
  sessionSearchSchema,
  transcriptParamsSchema,
} from '@pitchline/analytics';
import { addDaysToLocalDate, localDateOf } from '@pitchline/core/time-zone';
import { merchants, ordersInReview } from '@pitchline/db';
import { eq } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { DashboardEnv } from '../auth/caller';
import { authenticate } from '../auth/middleware';
import type { Settings } from '../deps';
import { notFound } from '../http/errors';
import { invalidRequest, validate } from '../http/validate';

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

/** A number parameter as query-string text: coerced, then judged by the query's own number schema. */
const numberText = (schema: z.ZodNumber) => z.coerce.number<string>().pipe(schema);

const overviewQuery = z.object(requestShape(overviewParamsSchema.shape));
const revenueQuery = z.object(requestShape(revenueParamsSchema.shape));
const { limit: insightLimit, ...insightRange } = requestShape(insightParamsSchema.shape);
const insightsQuery = z.object({ ...insightRange, limit: numberText(insightLimit.unwrap()).optional() });

const { from, to, tz, minTurns, limit, cursor, ...sessionText } = requestShape(sessionSearchSchema.shape);
/** The session search's own filters; a blank one (an empty form field) means "no filter". */
const sessionFilters = {
  ...sessionText,
  minTurns: numberText(minTurns.unwrap()).optional(),
  // The text as sent: the query decodes it itself (handed a decoded cursor, it would find an object
  // where it reads the text it issued), and a cursor it never issued is its 400.
  cursor: cursor.unwrap().in.optional(),
};
const sessionsQuery = z.object({
  ...sessionFilters,
  from,
  to,
  tz,
  limit: numberText(limit.unwrap()).optional(),
});
const SESSION_FILTER_KEYS = new Set(Object.keys(sessionFilters));
function withoutBlankFilters(query: Record<string, string | string[]>): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(query).filter(([k, v]) => !(v === '' && SESSION_FILTER_KEYS.has(k))),
  );
}

const funnelBody = z.object(requestShape(funnelSpecSchema.shape));
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

export function analyticsRoutes(settings: Settings) {
  return new Hono<DashboardEnv>()
    .use(authenticate(settings))
    .get('/overview', validate('query', overviewQuery), (c) => {
      const asked = c.req.valid('query');
      return answer(c, settings, async (ch) => queryOverview(ch, await scope(c, settings, asked)));
    })
    .post('/funnel', validate('json', funnelBody), (c) => {
      const { from, to, tz, ...definition } = c.req.valid('json');
      return answer(c, settings, async (ch) => {
        const spec = { ...definition, ...(await scope(c, settings, { from, to, tz })) };
        const [funnel, overTime] = await Promise.all([queryFunnel(ch, spec), queryFunnelOverTime(ch, spec)]);
        return { funnel, overTime };
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
        const [summary, byDay, byProduct, byLocale, byVariant, inReview] = await Promise.all([
          queryRevenueSummary(ch, p),
          queryRevenueBreakdown(ch, { ...p, by: 'day' }),
          queryRevenueByProduct(ch, p),
          queryRevenueBreakdown(ch, { ...p, by: 'locale' }),
          queryRevenueBreakdown(ch, { ...p, by: 'variant' }),
          ordersInReview(settings.db, p.merchantId),
        ]);
        // Whatever the range: a payment waiting for review is work to do, not a figure of a period.
        const attention = {
          count: inReview.count,
          orders: inReview.orders.map((o) => ({ ...o, createdAt: o.createdAt.toISOString() })),
        };
        return { summary, byDay, byProduct, byLocale, byVariant, attention };
      });
    })
    .get('/insights', validate('query', insightsQuery), (c) => {
      const { limit, ...asked } = c.req.valid('query');
      return answer(c, settings, async (ch) => {
        const p = { ...(await scope(c, settings, asked)), limit };
        const [topIntents, health, catalogGaps, exitPoints, turnsToPurchase, latency, rejected] =
          await Promise.all([
            queryTopIntents(ch, p),
            queryDialogHealth(ch, p),
            queryCatalogGaps(ch, p),
            queryExitPoints(ch, p),
            queryTurnsToPurchase(ch, p),
            querySkillLatency(ch, p),
            queryRejectedRequests(ch, p),
          ]);
        return { topIntents, health, catalogGaps, exitPoints, turnsToPurchase, latency, rejected };
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
        return answer(c, settings, async (ch) =>
          querySessionSearch(ch, { ...filters, ...(await scope(c, settings, { from, to, tz })) }),
        );
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
      return transcript ? c.json({ data: transcript }, 200) : notFound(c);
    });
}
