import { randomUUID } from 'node:crypto';
import type { PitchlineEvent } from '@pitchline/core';
import type { ClickHouseHandle } from '../../clickhouse';
import { clickHouseInserter } from '../../clickhouse-inserter';
import { toEventRow } from '../../event-row';

/** Inserts events the way the EventWriter ships a segment (JSONEachRow lines), in large batches. */
export async function insertEvents(ch: ClickHouseHandle, events: PitchlineEvent[]): Promise<void> {
  const insert = clickHouseInserter(ch);
  const batch = 50_000;
  for (let i = 0; i < events.length; i += batch) {
    const chunk = events.slice(i, i + batch);
    const lines = chunk.map((e) => `${JSON.stringify(toEventRow(e))}\n`).join('');
    // The batch type is the writer's; only token and body matter to the INSERT.
    await insert({ token: randomUUID(), body: Buffer.from(lines), events: chunk.length } as Parameters<
      typeof insert
    >[0]);
  }
}
