import { randomUUID } from 'node:crypto';
import type { PitchlineEvent } from '@pitchline/core';
import { afterAll, describe, expect, it } from 'vitest';
import { clickHouseInserter } from '../clickhouse-inserter';
import { toEventRow } from '../event-row';
import { generateEvents } from '../queries/testing/generate';
import { openTestClickHouse, type TestClickHouse } from '../testing';

let ch: TestClickHouse | undefined;
afterAll(async () => {
  await ch?.dispose();
});

describe('session_summary after migration 0006', () => {
  it('a batch the EventWriter retries (same token) counts its turns once, as in events', async () => {
    ch = await openTestClickHouse();
    const { events } = generateEvents({
      seed: 5,
      merchants: 1,
      sessionsPerMerchant: 20,
      startMs: Date.parse('2026-03-01T00:00:00Z'),
      days: 1,
    });
    const insert = clickHouseInserter(ch);
    const segment = (batch: PitchlineEvent[]) => ({
      token: `segment-${randomUUID()}`,
      body: Buffer.from(batch.map((e) => `${JSON.stringify(toEventRow(e))}\n`).join('')),
      events: batch.length,
    });
    const first = segment(events.slice(0, 200));
    const second = segment(events.slice(200));
    // The first batch is retried (its INSERT timed out after ClickHouse had taken it), then replayed once
    // more after a restart; the second goes through once.
    for (const s of [first, first, second, first]) await insert(s as Parameters<typeof insert>[0]);

    const rows = await (
      await ch.client.query({
        query: `SELECT
  (SELECT count() FROM ${ch.database}.events WHERE type = 'turn') AS events_turns,
  (SELECT sum(turns) FROM ${ch.database}.session_summary) AS summary_turns`,
        format: 'JSONEachRow',
      })
    ).json<{ events_turns: string | number; summary_turns: string | number }>();
    const turns = events.filter((e) => e.type === 'turn').length;
    expect(Number(rows[0]?.events_turns)).toBe(turns);
    expect(Number(rows[0]?.summary_turns)).toBe(turns);
  });
});
