import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devCaDir, loadOrCreateDevSigner, signAlexaRequest } from '@pitchline/alexa-kit/dev-ca';
import { createEnvelopeSession } from '@pitchline/alexa-kit/nlu';
import { type ClickHouseHandle, createClickHouse, MIGRATIONS, migrateClickHouse } from '@pitchline/analytics';
import { countEvents, forgetMigration } from '@pitchline/analytics/testing';
import { DEMO_ACCESS_TOKEN, DEMO_SKILL_ID } from '@pitchline/db';
import { createLogger } from '@pitchline/runtime/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from './env';
import { type Pitchline, startPitchline } from './pitchline';

// Its own process (vitest forks per file): chDB binds one data directory per process.
let dataDir: string;
let pitchline: Pitchline | undefined;
let ch: ClickHouseHandle;
const last = MIGRATIONS.at(-1) as (typeof MIGRATIONS)[number];

/**
 * A migration that cannot be applied yet: every earlier one is, so `events` exists and an insert would
 * succeed, but the last is recorded with a checksum that does not match, which migrateClickHouse refuses
 * on every retry until the record is removed. That holds the server where a long backfill would.
 */
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'pitchline-gate-'));
  const env = loadEnv({ DATA_DIR: dataDir });
  ch = createClickHouse({ dataDir: env.dataDir, database: env.CLICKHOUSE_DATABASE });
  await migrateClickHouse(
    ch,
    MIGRATIONS.filter((m) => m.version < last.version),
  );
  await ch.client.insert({
    table: `${ch.database}.schema_migrations`,
    values: [{ version: last.version, name: last.name, checksum: 'not-this-one' }],
    format: 'JSONEachRow',
  });
}, 120_000);

afterAll(async () => {
  await pitchline?.close();
  await ch?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** A signed LaunchRequest through the real skill; returns its session id. */
async function launch(app: Pitchline['app']): Promise<string> {
  const { signer } = await loadOrCreateDevSigner(devCaDir(dataDir));
  const session = createEnvelopeSession({ applicationId: DEMO_SKILL_ID, accessToken: DEMO_ACCESS_TOKEN });
  const body = JSON.stringify(session.launch());
  const res = await app.request('/alexa', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...signAlexaRequest(body, signer) },
  });
  // The skill answers regardless: recording is durable in the log.
  expect(res.status).toBe(200);
  return session.sessionId;
}

let firstSession: string;

describe('events wait for the analytics migrations', () => {
  it('a shutdown before they are applied does not wait for ClickHouse, and keeps the events in the log', async () => {
    const first = await startPitchline(loadEnv({ DATA_DIR: dataDir }), createLogger('silent'));
    firstSession = await launch(first.app);
    const started = Date.now();
    await first.close();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await countEvents(ch, { sessionId: firstSession })).toBe(0);
  }, 60_000);

  it('an answered request’s events stay in the log until the migrations are applied, then ship (with the last run’s)', async () => {
    pitchline = await startPitchline(loadEnv({ DATA_DIR: dataDir }), createLogger('silent'));
    const { app, events } = { app: pitchline.app, events: pitchline.stores.events };
    const sessionId = await launch(app);

    // flush() seals the segment and waits for its INSERT: it must not finish while migrations are pending.
    const flushed = events.flush().then(() => 'flushed');
    const outcome = await Promise.race([
      flushed,
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 2500)),
    ]);
    expect(outcome).toBe('waiting');
    expect(await countEvents(ch, { sessionId })).toBe(0);
    expect(await countEvents(ch, { sessionId: firstSession })).toBe(0);
    expect(events.stats().queued).toBeGreaterThan(0);
    expect((await app.request('/readyz')).status).toBe(503);

    // The obstacle goes; the server's next migration attempt applies it and the backlog ships.
    await forgetMigration(ch, last.version);
    expect(await flushed).toBe('flushed');
    expect(await countEvents(ch, { sessionId })).toBe(2);
    expect(await countEvents(ch, { sessionId: firstSession })).toBe(2);
    expect((await app.request('/readyz')).status).toBe(200);
  }, 90_000);
});
