import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { funnelSpecSchema } from './funnel-spec';
import { unitsQuery } from './funnel-units';
import { limitSchema, merchantIdSchema } from './params';
import { NONE_LABEL, selectRows } from './run';

export interface DroppedUnit {
  /** The session id (open its transcript) or, for user funnels, the user id. */
  unit: string;
  /** When the unit entered the funnel (ms since epoch). */
  enteredAt: number;
  /** The last step it reached (1-based): it dropped before step `level + 1`. */
  level: number;
}

export const paramsSchema = z.object({
  merchantId: merchantIdSchema,
  funnel: z.unknown(),
  /** 1-based step the units reached without going further. */
  droppedAfterStep: z.number().int().min(1).max(9),
  limit: limitSchema.default(50),
  /** Only units of this breakdown group, when the funnel has a breakdown. */
  group: z.string().max(300).optional(),
  /**
   * The last unit of the previous page: the next page starts after it in the list's order (entered
   * newest first, then unit), so pages never repeat or skip a unit however many there are.
   */
  after: z
    .object({ enteredAt: z.number().int().min(0).max(1e15), unit: z.string().min(1).max(300) })
    .strict()
    .optional(),
});

const rowSchema = z.object({ unit: z.string(), f1: z.coerce.number(), level: z.coerce.number() });

/**
 * The units that reached step N and went no further, newest first: each links to its transcript.
 * The funnel's merchant is overridden by the caller's, whatever the definition says.
 */
export async function queryFunnelDropoffs(
  ch: ClickHouseHandle,
  input: z.input<typeof paramsSchema>,
): Promise<DroppedUnit[]> {
  const p = paramsSchema.parse(input);
  const spec = funnelSpecSchema.parse({ ...(p.funnel as object), merchantId: p.merchantId });
  if (p.droppedAfterStep >= spec.steps.length)
    throw new z.ZodError([
      {
        code: 'custom',
        message: 'the last step has no drop-off',
        path: ['droppedAfterStep'],
        input: p.droppedAfterStep,
      },
    ]);
  const units = unitsQuery(ch.database, spec);
  const params = {
    ...units.params,
    dropLevel: p.droppedAfterStep,
    limit: p.limit,
    group: p.group === NONE_LABEL ? '' : (p.group ?? ''),
    afterMs: p.after?.enteredAt ?? 0,
    afterUnit: p.after?.unit ?? '',
  };
  const groupCond = p.group === undefined ? '' : ' AND bd = {group:String}';
  const afterCond =
    p.after === undefined
      ? ''
      : ' AND (f1 < {afterMs:Int64} OR (f1 = {afterMs:Int64} AND unit > {afterUnit:String}))';
  const sql = `
SELECT unit, f1, level FROM (${units.sql}
)
WHERE level = {dropLevel:UInt8}${groupCond}${afterCond}
ORDER BY f1 DESC, unit
LIMIT {limit:UInt32}`;
  const rows = await selectRows(ch, sql, params, rowSchema);
  return rows.map((r) => ({ unit: r.unit, enteredAt: r.f1, level: r.level }));
}
