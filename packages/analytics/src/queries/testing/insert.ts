import { randomUUID } from 'node:crypto';
import type { PitchlineEvent } from '@pitchline/core';
import type { ClickHouseHandle } from '../../clickhouse';
import { clickHouseInserter } from '../../clickhouse-inserter';
import { toEventRow } from '../../event-row';

/** Inserts events as the EventWriter ships them (JSONEachRow batches), so the rollup views fire as in production. */
export async function insertGenerated(
  ch: ClickHouseHandle,
  events: readonly PitchlineEvent[],
  batch = 20_000,
): Promise<void> {
  const insert = clickHouseInserter(ch);
  for (let i = 0; i < events.length; i += batch) {
    const chunk = events.slice(i, i + batch);
    const body = Buffer.from(chunk.map((e) => `${JSON.stringify(toEventRow(e))}\n`).join(''));
    await insert({ token: randomUUID(), body, events: chunk.length } as unknown as Parameters<
      typeof insert
    >[0]);
  }
}
