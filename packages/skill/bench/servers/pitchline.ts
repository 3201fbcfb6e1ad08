import { join } from 'node:path';
import { createClickHouse, EventWriter, migrateClickHouse } from '@pitchline/analytics';
import { countEvents } from '@pitchline/analytics/testing';
import type { Hono } from 'hono';
import { createSkillApp } from '../../src/app';
import { newSimulatedWebhookSecret } from '../../src/payments/create-gateway';
import { SimulatedGateway } from '../../src/payments/simulated-gateway';
import { createSkillMetrics } from '../../src/recording/metrics';
import type { PitchlineChildConfig, ServerStats } from '../ipc';
import { openSeededCopy } from './database';
import { listenHono } from './listen';
import type { RunningServer } from './types';

/**
 * The system under test, wired as apps/server wires it in embedded mode: PGlite, request
 * verification against the development CA, the simulated payments gateway, and every event through
 * the real EventWriter (write-ahead log, fdatasync per group commit) into embedded chDB.
 */
export async function startPitchline(config: PitchlineChildConfig): Promise<RunningServer> {
  const built = await buildPitchline(config);
  const server = await listenHono(built.app);
  return {
    port: server.port,
    close: async () => {
      await server.close();
      return built.close();
    },
  };
}

/** The app and its stores without a listener (bench/hot-path.ts drives it through app.fetch). */
export async function buildPitchline(
  config: PitchlineChildConfig,
): Promise<{ app: Hono; close(): Promise<ServerStats> }> {
  const database = await openSeededCopy(config.seedPostgresDir, config.dataDir);
  const ch = createClickHouse({ database: 'bench', dataDir: config.dataDir });
  await migrateClickHouse(ch);
  const events = new EventWriter({ ch, walDir: join(config.dataDir, 'event-log'), fsync: config.fsync });
  await events.start();

  const webhookSecret = newSimulatedWebhookSecret();
  let app: Hono | undefined;
  const gateway = new SimulatedGateway({
    webhookSecret,
    publicUrl: 'http://127.0.0.1:3000',
    deliver: async (rawBody, signature) => {
      const res = await (app as Hono).request('/webhooks/stripe', {
        method: 'POST',
        body: rawBody,
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      });
      return { status: res.status };
    },
  });
  const metrics = createSkillMetrics();
  app = createSkillApp({
    db: database.db,
    recordEvent: (event) => events.record(event),
    userIdHashKey: 'bench-user-hash-key',
    metrics,
    verification: { enabled: true, trustedRootsPem: [config.caPem], preloadedChains: config.chains },
    payments: { gateway, webhookSecret },
  });
  return {
    app,
    close: async () => {
      await gateway.idle();
      // close() ships every logged event, so the count below is what reached ClickHouse.
      await events.close();
      const writer = events.stats();
      const eventsInClickHouse = await countEvents(ch);
      const turnsInClickHouse = await countEvents(ch, { types: ['turn'] });
      await ch.close();
      await database.close();
      return {
        eventsInClickHouse,
        turnsInClickHouse,
        writerBatches: writer.batches,
        writerQueuedAfterClose: writer.queued,
        recordFailures: metrics.recordFailures,
        invalidEvents: metrics.invalidEvents,
        dialogErrors: metrics.dialogErrors,
      };
    },
  };
}
