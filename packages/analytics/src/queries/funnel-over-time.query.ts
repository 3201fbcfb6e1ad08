import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { type FunnelInput, funnelSpecSchema } from './funnel-spec';
import { unitsQuery } from './funnel-units';
import { NONE_LABEL, selectRows } from './run';

export interface FunnelDay {
  /** The merchant's local day the units entered (their first step). */
  day: string;
  group: string;
  entered: number;
  /** Units that reached the last step. */
  converted: number;
  conversion: number;
}

const rowSchema = z.object({
  day: z.string(),
  bd: z.string(),
  entered: z.coerce.number(),
  converted: z.coerce.number(),
});

/** Conversion per local day of entry, per breakdown group: the chart under the funnel. */
export async function queryFunnelOverTime(
  ch: ClickHouseHandle,
  input: FunnelInput,
): Promise<{ days: FunnelDay[]; source: 'rollup' | 'events' }> {
  const spec = funnelSpecSchema.parse(input);
  const units = unitsQuery(ch.database, spec);
  const sql = `
SELECT toString(toDate(fromUnixTimestamp64Milli(f1, 'UTC'), {tz:String})) AS day, bd,
  toUInt32(count()) AS entered, toUInt32(countIf(level = ${spec.steps.length})) AS converted
FROM (${units.sql}
)
GROUP BY day, bd
ORDER BY day, bd`;
  const rows = await selectRows(ch, sql, units.params, rowSchema);
  return {
    source: units.source,
    days: rows.map((r) => ({
      day: r.day,
      group: spec.breakdown === 'none' ? '' : r.bd === '' ? NONE_LABEL : r.bd,
      entered: r.entered,
      converted: r.converted,
      conversion: r.entered === 0 ? 0 : r.converted / r.entered,
    })),
  };
}
