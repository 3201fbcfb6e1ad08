/**
 * `npm run simulate -- --shoppers N [--days D] [--config file.json] [--url http://127.0.0.1:3000]`
 *
 * Without --days (or --days 0): N shoppers visit the running server now, through its POST /alexa,
 * signed with the development CA it trusts. With --days D: D past days are replayed in this process
 * through the skill's real handlers with simulated clocks, into the server's stores (stop the server
 * first in embedded mode: PGlite and chDB serve one process).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createClickHouse, EventWriter, migrateClickHouse } from '@pitchline/analytics';
import { migrateDatabase, openDatabase } from '@pitchline/db';
import { loadOrCreateDevSigner } from '@pitchline/skill/dev-ca';
import { loadOrCreateUserIdHashKey } from '@pitchline/skill/user-id-hash-key';
import { DEMO_EXPERIMENT, parseSimulatorConfig } from './config';
import { loadSimulateEnv } from './env';
import { replayHistory } from './history';
import { runLive } from './live';
import type { RunStats } from './stats';

const { values } = parseArgs({
  options: {
    shoppers: { type: 'string' },
    days: { type: 'string' },
    config: { type: 'string' },
    url: { type: 'string' },
    concurrency: { type: 'string' },
    seed: { type: 'string' },
    'real-pace': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    'npm run simulate -- --shoppers N [--days D] [--config file.json] [--url URL] [--concurrency C] [--seed S] [--real-pace] [--json]\n',
  );
  process.exit(0);
}

const env = loadSimulateEnv();
const fromFile = values.config
  ? (JSON.parse(
      await readFile(path.resolve(process.env.INIT_CWD ?? process.cwd(), values.config), 'utf8'),
    ) as object)
  : {};
const int = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const flags = Object.fromEntries(
  Object.entries({
    shoppers: int(values.shoppers),
    days: int(values.days),
    concurrency: int(values.concurrency),
    seed: values.seed,
  }).filter(([, v]) => v !== undefined),
);
const config = parseSimulatorConfig({ experiment: DEMO_EXPERIMENT, ...fromFile, ...flags });
const started = performance.now();

let stats: RunStats;
if (config.days === 0) {
  const endpoint = `${(values.url ?? env.skillUrl).replace(/\/+$/, '')}/alexa`;
  const { signer } = await loadOrCreateDevSigner(env.devCaDir);
  process.stdout.write(`${config.shoppers} shoppers → POST ${endpoint}\n`);
  stats = await runLive(config, {
    endpoint,
    signer,
    skillId: env.skillId,
    accessToken: env.accessToken,
    realPace: values['real-pace'],
  });
} else {
  process.stdout.write(`Replaying ${config.days} days of ${config.shoppers} shoppers into ${env.dataDir}\n`);
  const database = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: env.dataDir }).catch((err) => {
    process.stderr.write(
      `Cannot open the relational store (${(err as Error).message}).\nIn embedded mode the server holds it: stop the server, replay, then start it again.\n`,
    );
    process.exit(1);
  });
  await migrateDatabase(database);
  const ch = createClickHouse({ ...env.clickhouse, dataDir: env.dataDir });
  await migrateClickHouse(ch);
  const events = new EventWriter({ ch, walDir: path.join(env.dataDir, 'event-log') });
  await events.start();
  try {
    const result = await replayHistory(
      {
        db: database.db,
        recordEvent: (event) => events.record(event),
        userIdHashKey: env.userIdHashKey ?? (await loadOrCreateUserIdHashKey(env.dataDir)),
      },
      config,
      { skillId: env.skillId },
    );
    stats = result.stats;
    process.stdout.write(
      `Replayed ${result.visits} sessions from ${new Date(result.window.start).toISOString()} to ${new Date(result.window.end).toISOString()}\n`,
    );
  } finally {
    await events.close();
    await ch.close();
    await database.close();
  }
}

const seconds = (performance.now() - started) / 1000;
if (values.json) process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
else {
  const non200 = stats.requests - (stats.byStatus[200] ?? 0);
  process.stdout.write(
    `${[
      `${stats.sessions} sessions, ${stats.requests} requests in ${seconds.toFixed(1)} s (${(stats.requests / seconds).toFixed(0)}/s), ${non200} not 200`,
      `orders placed ${stats.ordersPlaced} (charged ${stats.ordersCharged}, payment needed ${stats.paymentsNeeded}), declined ${stats.ordersDeclined}, link cards ${stats.linkCards}`,
      ...Object.entries(stats.byVariant).map(
        ([key, v]) =>
          `  variant ${key}: ${v.shoppers} shoppers, ${v.sessions} sessions, ${v.ordersCharged} charged, ${v.stopsAfterPitch} stopped after the pitch`,
      ),
      ...stats.problems.map((p) => `  problem: ${p}`),
    ].join('\n')}\n`,
  );
}
process.exit(stats.requests > 0 && stats.byStatus[200] === stats.requests ? 0 : 1);
