import { Readable } from 'node:stream';
import { type ClickHouseHandle, chdbConnectionOf } from './clickhouse';
import { qualified, TABLES } from './tables';

/** One sealed segment, ready to be inserted as it is. */
export interface SegmentBatch {
  /** The segment's name; used as insert_deduplication_token so a replayed segment is dropped as a duplicate. */
  token: string;
  /** JSONEachRow rows, one per line, exactly as they sit in the log. */
  body: Buffer;
  events: number;
}

export type InsertBatch = (batch: SegmentBatch) => Promise<void>;

/** The INSERT of one segment: the raw payload with its deduplication token. */
export function clickHouseInserter(ch: ClickHouseHandle): InsertBatch {
  const table = qualified(ch.database, TABLES.events);
  const chdb = chdbConnectionOf(ch);
  if (chdb) {
    // chDB's raw insert hands the Buffer to the engine without copying it into a JS string first: through
    // the generic client a large batch is decoded to a string on the event loop, stalling every record().
    return async ({ token, body }) => {
      await chdb.chdb.rawInsert({
        table,
        values: body,
        format: 'JSONEachRow',
        settings: { insert_deduplication_token: token },
      });
    };
  }
  // Query-level SETTINGS, not clickhouse_settings: the token must apply to this INSERT only (chDB, for
  // one, turns clickhouse_settings into a session-wide SET that would stick to later, unrelated inserts).
  // On a cluster the Distributed table must forward synchronously, or the INSERT would be confirmed
  // before the rows reach their shard and the segment deleted too early.
  const extra = ch.cluster ? ', distributed_foreground_insert = 1' : '';
  return async ({ token, body }) => {
    const result = await ch.client.exec({
      query: `INSERT INTO ${table} SETTINGS insert_deduplication_token = '${token}'${extra} FORMAT JSONEachRow`,
      values: Readable.from([body], { objectMode: false }),
    });
    result.stream.destroy();
  };
}
