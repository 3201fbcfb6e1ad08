import {
  type ClickHouseHandle,
  daysBetween,
  funnelDropoffsParamsSchema,
  funnelSpecSchema,
  insightParamsSchema,
  overviewParamsSchema,
  rangeIssues,
  revenueParamsSchema,
  sessionSearchSchema,
} from '@pitchline/analytics';
import { addDaysToLocalDate, localDateOf } from '@pitchline/core/time-zone';
import { merchants } from '@pitchline/db';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { z } from 'zod';
import type { DashboardEnv } from '../auth/caller';
import type { Settings } from '../deps';

/*
 * What the analytics routes take and how they answer: each route's input schema, made from its query's
 * own zod schema (see analytics.ts), the merchant's range and time zone, and the answer wrapper that
 * turns a query's own validation errors into 400s and a missing analytics store into 503.
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
export function requestShape<S extends RangeShape>({ merchantId: _tenant, from, to, tz, ...fields }: S) {
  return { ...fields, from: from.optional(), to: to.optional(), tz: tz.unwrap().optional() };
}

/**
 * `from` after `to`, or a range over three years, when the request names both: a 400 naming `to`
 * before any store is read (not even the merchant's time zone). A request naming one end is judged
 * by the query's own parse once the other end is filled in.
 */
export function askedRange(
  asked: { from?: string | undefined; to?: string | undefined },
  ctx: z.core.$RefinementCtx,
) {
  if (asked.from === undefined || asked.to === undefined) return;
  for (const issue of rangeIssues({ from: asked.from, to: asked.to }))
    ctx.addIssue({ code: 'custom', ...issue });
}

/** A number parameter as query-string text: coerced, then judged by the query's own number schema. */
const numberText = (schema: z.ZodNumber) => z.coerce.number<string>().pipe(schema);

export const overviewQuery = z.object(requestShape(overviewParamsSchema.shape)).superRefine(askedRange);
export const revenueQuery = z.object(requestShape(revenueParamsSchema.shape)).superRefine(askedRange);
const { limit: insightLimit, ...insightRange } = requestShape(insightParamsSchema.shape);
export const insightsQuery = z
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
export const sessionsQuery = z
  .object({
    ...sessionFilters,
    from,
    to,
    tz,
    limit: numberText(limit.unwrap()).optional(),
  })
  .superRefine(askedRange);
export const SESSION_FILTER_KEYS = new Set(Object.keys(sessionFilters));
export function withoutBlankFilters(
  query: Record<string, string | string[]>,
): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(query).filter(([k, v]) => !(v === '' && SESSION_FILTER_KEYS.has(k))),
  );
}

export const funnelBody = z.object(requestShape(funnelSpecSchema.shape)).superRefine(askedRange);
const { merchantId: _tenant, funnel: _anyFunnel, ...dropoffFields } = funnelDropoffsParamsSchema.shape;
export const dropoffsBody = z.object({ ...dropoffFields, funnel: funnelBody });

export const idParam = z.object({ id: z.string() });

export async function merchantTimeZone(settings: Settings, merchantId: string): Promise<string> {
  const [row] = await settings.db
    .select({ timezone: merchants.timezone })
    .from(merchants)
    .where(eq(merchants.id, merchantId))
    .limit(1);
  return row?.timezone ?? 'UTC';
}

/** The last 30 local days when the caller names no range. */
export function defaultRange(now: Date, tz: string): { from: string; to: string } {
  const today = localDateOf(now, tz);
  return { from: addDaysToLocalDate(today, -29), to: today };
}

/**
 * The caller's merchant and the range asked for, completed: without `tz` the merchant's own time
 * zone, without `from`/`to` its last 30 local days. Spread last, so nothing asked replaces the tenant.
 */
export async function scope(
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
export async function answer<T>(
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

export function period(previous: { from: string; to: string }, daysWithData: number) {
  return { ...previous, days: daysBetween(previous.from, previous.to) + 1, daysWithData };
}
