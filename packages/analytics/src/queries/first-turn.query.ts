import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';
import { selectRows } from './run';

const rowSchema = z.object({ firstTurnAt: z.coerce.number(), skillId: z.string() });

/**
 * When this merchant's skill first answered a verified request (a `turn` event: refused requests are
 * `request_rejected`), and through which skill id; null when it never has. The setup checklist's "Alexa
 * reached your skill" step. The key starts with the merchant, so this reads one tenant's rows only.
 */
export async function queryFirstTurn(
  ch: ClickHouseHandle,
  merchantId: string,
): Promise<{ at: Date; skillId: string } | null> {
  // Ordered by a prefix of the table's key (merchant, day), so ClickHouse may read in key order and stop at
  // the first row (optimize_read_in_order), where min(ts) has to read every turn the merchant ever had.
  const sql = `
SELECT toUnixTimestamp64Milli(ts) AS firstTurnAt, skill_id AS skillId
FROM ${qualified(ch.database, TABLES.events)}
WHERE merchant_id = {merchantId:UUID} AND type = 'turn'
ORDER BY toDate(ts), ts
LIMIT 1`;
  const [row] = await selectRows(ch, sql, { merchantId: z.uuid().parse(merchantId) }, rowSchema);
  return row ? { at: new Date(row.firstTurnAt), skillId: row.skillId } : null;
}
