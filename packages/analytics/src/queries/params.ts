import { EVENT_TYPES } from '@pitchline/core/events';
import { z } from 'zod';
import { calendarDate, DATE_BOUNDS, dayNumber, daysBetween } from './calendar-date';

/**
 * Parameters every dashboard query shares. The merchant id is the authenticated caller's tenant, passed
 * by the API layer; nothing here is ever spliced into SQL: values travel as ClickHouse query parameters.
 */

export const merchantIdSchema = z.uuid();

/** IANA zone names only (e.g. Europe/Berlin); Intl rejects the unknown ones, ClickHouse knows the same database. */
export const timeZoneSchema = z
  .string()
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/, 'an IANA time zone such as Europe/Berlin')
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown time zone');

/** A range of the merchant's local calendar days, both ends included. */
export const dateRangeShape = {
  merchantId: merchantIdSchema,
  from: calendarDate('from'),
  to: calendarDate('to'),
  tz: timeZoneSchema.default('UTC'),
};

export function checkRange(p: { from: string; to: string }, ctx: z.core.$RefinementCtx): void {
  for (const issue of rangeIssues(p)) ctx.addIssue({ code: 'custom', ...issue });
}

/** What is wrong with a range of two valid dates: `to` before `from`, or longer than three years. */
export function rangeIssues(p: { from: string; to: string }): { message: string; path: ['to'] }[] {
  // Only a range of two valid dates is judged (each date's own issues are reported by its field).
  if (dayNumber(p.from) === undefined || dayNumber(p.to) === undefined) return [];
  const days = daysBetween(p.from, p.to);
  if (days < 0) return [{ message: 'to: is before from', path: ['to'] }];
  if (days > DATE_BOUNDS.maxRangeDays)
    return [{ message: 'to: ranges are at most three years', path: ['to'] }];
  return [];
}

export const eventTypeSchema = z.enum(EVENT_TYPES as [string, ...string[]]);

/**
 * The closed set of event fields a funnel step or query may filter on. Each maps to a fixed SQL expression
 * (never to user text), and values are compared as strings through an Array(String) parameter.
 */
export const FILTER_FIELDS = {
  intent: 'intent',
  request_type: 'request_type',
  locale: 'locale',
  experiment_key: 'experiment_key',
  variant_key: 'variant_key',
  product_id: 'toString(product_id)',
  currency: 'currency',
  reason: 'reason',
  has_screen: "if(has_screen, 'true', 'false')",
} as const;
export type FilterField = keyof typeof FILTER_FIELDS;
/** The filterable fields, in FILTER_FIELDS' order (the dashboard's menu order). */
export const FILTER_FIELD_NAMES = Object.keys(FILTER_FIELDS) as [FilterField, ...FilterField[]];
export const FILTER_OPS = ['in', 'not_in'] as const;
export const FILTER_LIMITS = { maxValuesPerFilter: 100, maxValueLength: 500 } as const;

export const filterSchema = z.object({
  field: z.enum(FILTER_FIELD_NAMES),
  op: z.enum(FILTER_OPS).default('in'),
  values: z.array(z.string().max(FILTER_LIMITS.maxValueLength)).min(1).max(FILTER_LIMITS.maxValuesPerFilter),
});
export type Filter = z.infer<typeof filterSchema>;

export const limitSchema = z.number().int().min(1).max(1000);
