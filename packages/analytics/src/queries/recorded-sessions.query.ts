import { z } from 'zod';
import type { ClickHouseHandle } from '../clickhouse';
import { qualified, TABLES } from '../tables';
import { merchantIdSchema } from './params';
import { selectRows } from './run';

/** A long replay's worth of sessions; the ids travel as one query parameter. */
const MAX_SESSION_IDS = 100_000;

const paramsSchema = z.object({
  merchantId: merchantIdSchema,
  sessionIds: z.array(z.string().min(1).max(200)).max(MAX_SESSION_IDS).readonly(),
});
export type RecordedSessionsInput = z.input<typeof paramsSchema>;

const rowSchema = z.object({ session_id: z.string() });

/**
 * Which of these sessions ClickHouse holds for the merchant: those with a `session_start` (recorded with a
 * session's first turn). A replay whose session ids are fixed by its seed uses it to skip what an
 * interrupted run already played. Events still in a write-ahead log are not seen: flush the log first.
 */
export async function queryRecordedSessions(
  ch: ClickHouseHandle,
  input: RecordedSessionsInput,
): Promise<Set<string>> {
  const p = paramsSchema.parse(input);
  if (p.sessionIds.length === 0) return new Set();
  const sql = `
SELECT DISTINCT session_id FROM ${qualified(ch.database, TABLES.events)}
WHERE merchant_id = {merchantId:UUID} AND type = 'session_start' AND session_id IN {ids:Array(String)}`;
  const rows = await selectRows(ch, sql, { merchantId: p.merchantId, ids: p.sessionIds }, rowSchema);
  return new Set(rows.map((r) => r.session_id));
}
