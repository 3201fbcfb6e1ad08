import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventWriter } from '@pitchline/analytics';
import { countByEventId, openTestClickHouse, type TestClickHouse } from '@pitchline/analytics/testing';
import { newEventId, type PitchlineEvent, silentLogger } from '@pitchline/core';
import { DEMO_MERCHANT_ID, DEMO_SKILL_ID } from '@pitchline/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverAll, safeRecorder } from './deliver';
import { createSkillMetrics } from './metrics';

let ch: TestClickHouse;
beforeAll(async () => {
  ch = await openTestClickHouse();
}, 120_000);
afterAll(async () => {
  await ch?.dispose();
});

const base = (session: string) => ({
  merchant_id: DEMO_MERCHANT_ID,
  skill_id: DEMO_SKILL_ID,
  user_id: 'user-hash',
  session_id: session,
  ts: Date.now(),
});

/** One opening turn as the skill records it: session_start, what the handler emitted, the turn. */
function openingTurn(session: string): PitchlineEvent[] {
  return [
    {
      ...base(session),
      event_id: newEventId(),
      type: 'session_start',
      locale: 'en-US',
      has_screen: false,
      new_user: true,
    },
    {
      ...base(session),
      event_id: newEventId(),
      type: 'cart_add',
      product_id: newEventId(),
      quantity: 1,
      unit_amount: 1850,
      currency: 'USD',
    },
    {
      ...base(session),
      event_id: newEventId(),
      type: 'turn',
      locale: 'en-US',
      has_screen: false,
      request_id: `req-${session}`,
      request_type: 'IntentRequest',
      intent: 'AddToCartIntent',
      slots: [],
      response_ssml: '<speak>Added.</speak>',
      should_end_session: false,
      latency_ms: 3,
    },
  ];
}

async function walLines(dir: string): Promise<{ event_id: string; session_id: string; type: string }[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();
  const lines: string[] = [];
  for (const f of files) lines.push(...(await readFile(join(dir, f), 'utf8')).split('\n').filter(Boolean));
  return lines.map((l) => JSON.parse(l));
}

describe('deliverAll through the real EventWriter', () => {
  it('records concurrent turns in order within each turn, durably, and all reach ClickHouse', async () => {
    const walDir = await mkdtemp(join(tmpdir(), 'pitchline-deliver-'));
    // A long seal delay keeps the segment on disk, so its line order can be read back.
    const writer = new EventWriter({ ch, walDir, batchMaxDelayMs: 60_000 });
    try {
      await writer.start();
      const metrics = createSkillMetrics();
      const record = safeRecorder((e) => writer.record(e), silentLogger, metrics);
      const turns = Array.from({ length: 40 }, (_, i) => openingTurn(`session-${i}`));
      await Promise.all(turns.map((events) => deliverAll(record, events)));

      const lines = await walLines(walDir);
      expect(lines).toHaveLength(turns.length * 3);
      for (const events of turns) {
        const at = events.map((e) => lines.findIndex((l) => l.event_id === e.event_id));
        expect(at.every((i) => i >= 0)).toBe(true);
        expect([...at].sort((a, b) => a - b)).toEqual(at);
      }
      expect(metrics).toMatchObject({ invalidEvents: 0, recordFailures: 0 });

      await writer.close();
      const counts = await countByEventId(ch);
      for (const e of turns.flat()) expect(counts.get(e.event_id)).toBe(1);
    } finally {
      await writer.close();
      await rm(walDir, { recursive: true, force: true });
    }
  });

  it('counts an event that breaks the contract as invalid (never written) and still records the rest', async () => {
    const walDir = await mkdtemp(join(tmpdir(), 'pitchline-deliver-'));
    const writer = new EventWriter({ ch, walDir, batchMaxDelayMs: 60_000 });
    try {
      const metrics = createSkillMetrics();
      const errors: string[] = [];
      const record = safeRecorder(
        (e) => writer.record(e),
        { ...silentLogger, error: (_o, m) => errors.push(m ?? '') },
        metrics,
      );
      const [start, add, turn] = openingTurn('session-bad') as [
        PitchlineEvent,
        PitchlineEvent,
        PitchlineEvent,
      ];
      const bad = { ...add, quantity: -5 } as PitchlineEvent;
      await deliverAll(record, [start, bad, turn]);
      expect(metrics).toMatchObject({ invalidEvents: 1, recordFailures: 0 });
      expect(errors).toEqual(['skill built an event that breaks the contract']);
      expect((await walLines(walDir)).map((l) => l.event_id)).toEqual([start.event_id, turn.event_id]);

      // A sink that fails (here: closed) is a record failure, not a contract breach.
      await writer.close();
      await deliverAll(record, [{ ...turn, event_id: newEventId() }]);
      expect(metrics).toMatchObject({ invalidEvents: 1, recordFailures: 1 });
    } finally {
      await writer.close();
      await rm(walDir, { recursive: true, force: true });
    }
  });
});
