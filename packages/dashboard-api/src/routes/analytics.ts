import {
  type ClickHouseHandle,
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
  type SessionSearchInput,
  timeZoneSchema,
} from '@pitchline/analytics';
import { merchants } from '@pitchline/db';
import { eq } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { DashboardEnv } from '../auth/caller';
import { authenticate } from '../auth/middleware';
import type { Settings } from '../deps';
import { notFound } from '../http/errors';

/*
 * Read-only analytics of the caller's merchant: overview, funnels (with conversion over time and the
 * drill-down into dropped sessions), revenue, voice insights, the session search and transcripts. The
 * merchant id is always the caller's and overrides anything in the request; every other parameter is
 * validated by the query's own zod schema (a bad one is a 400 with the issues) and travels to ClickHouse
 * as a query parameter.
 */

/** `from`/`to` local days and an optional `tz`; without `tz`, the merchant's own time zone. */
const rangeQuery = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  tz: timeZoneSchema.optional(),
  limit: z.coerce.number().optional(),
});

/**
 * The session search's own filters, as query-string text; the query's schema judges them. An empty
 * value (a blank form field) means "no filter", not "match the empty string".
 */
const sessionSearchQuery = z.object({
  q: z.string().optional(),
  outcome: z.string().optional(),
  variant: z.string().optional(),
  productId: z.string().optional(),
  locale: z.string().optional(),
  device: z.string().optional(),
  minTurns: z.coerce.number().optional(),
  cursor: z.string().optional(),
});

function withoutBlanks(query: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ''));
}

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
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(d);
  return { from: day(new Date(now.getTime() - 29 * 86_400_000)), to: day(now) };
}

async function scope(c: Context<DashboardEnv>, settings: Settings) {
  const { merchantId } = c.get('caller');
  const q = rangeQuery.parse(c.req.query());
  const tz = q.tz ?? (await merchantTimeZone(settings, merchantId));
  const fallback = defaultRange(settings.now(), tz);
  return {
    merchantId,
    from: q.from ?? fallback.from,
    to: q.to ?? fallback.to,
    tz,
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
  };
}

/** Runs a query, turning its validation errors into 400s and a missing analytics store into 503. */
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

async function jsonBody(c: Context<DashboardEnv>): Promise<Record<string, unknown>> {
  const body = await c.req.json().catch(() => ({}));
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {};
}

export function analyticsRoutes(settings: Settings) {
  return new Hono<DashboardEnv>()
    .use(authenticate(settings))
    .get('/overview', (c) => answer(c, settings, async (ch) => queryOverview(ch, await scope(c, settings))))
    .post('/funnel', async (c) => {
      const { merchantId } = c.get('caller');
      const body = await jsonBody(c);
      return answer(c, settings, async (ch) => {
        const tz =
          body.tz === undefined
            ? await merchantTimeZone(settings, merchantId)
            : timeZoneSchema.parse(body.tz);
        const spec = { ...defaultRange(settings.now(), tz), tz, ...body, merchantId };
        const [funnel, overTime] = await Promise.all([
          queryFunnel(ch, spec as never),
          queryFunnelOverTime(ch, spec as never),
        ]);
        return { funnel, overTime };
      });
    })
    .post('/funnel/dropoffs', async (c) => {
      const { merchantId } = c.get('caller');
      const body = await jsonBody(c);
      const funnel = (typeof body.funnel === 'object' && body.funnel !== null ? body.funnel : {}) as {
        tz?: unknown;
      };
      return answer(c, settings, async (ch) => {
        const tz =
          funnel.tz === undefined
            ? await merchantTimeZone(settings, merchantId)
            : timeZoneSchema.parse(funnel.tz);
        const input = { ...body, merchantId, funnel: { ...defaultRange(settings.now(), tz), tz, ...funnel } };
        return queryFunnelDropoffs(ch, input as never);
      });
    })
    .get('/revenue', (c) =>
      answer(c, settings, async (ch) => {
        const p = await scope(c, settings);
        const [summary, byDay, byProduct, byLocale, byVariant] = await Promise.all([
          queryRevenueSummary(ch, p),
          queryRevenueBreakdown(ch, { ...p, by: 'day' }),
          queryRevenueByProduct(ch, p),
          queryRevenueBreakdown(ch, { ...p, by: 'locale' }),
          queryRevenueBreakdown(ch, { ...p, by: 'variant' }),
        ]);
        return { summary, byDay, byProduct, byLocale, byVariant };
      }),
    )
    .get('/insights', (c) =>
      answer(c, settings, async (ch) => {
        const p = await scope(c, settings);
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
      }),
    )
    .get('/sessions', (c) =>
      answer(c, settings, async (ch) => {
        const filters = sessionSearchQuery.parse(withoutBlanks(c.req.query()));
        // The caller's merchant and range come last: nothing in the query string can replace them.
        return querySessionSearch(ch, { ...filters, ...(await scope(c, settings)) } as SessionSearchInput);
      }),
    )
    .get('/sessions/:id/transcript', async (c) => {
      const { merchantId } = c.get('caller');
      if (!settings.ch) return c.json({ error: 'analytics_unavailable' as const }, 503);
      const sessionId = c.req.param('id');
      if (sessionId.length === 0 || sessionId.length > 200) return notFound(c);
      // Another merchant's session reads as absent: same 404 as an unknown id.
      const transcript = await queryTranscript(settings.ch, { merchantId, sessionId });
      return transcript ? c.json({ data: transcript }, 200) : notFound(c);
    });
}
