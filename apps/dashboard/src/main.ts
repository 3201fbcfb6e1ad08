import { exitOnStartFailure, loadConfigOrExit, serveUntilStopped } from '@pitchline/runtime/lifecycle';
import { createLogger } from '@pitchline/runtime/logger';
import { makeDataDirPrivate } from '@pitchline/runtime/private-data-dir';
import { startDashboardServer } from './dashboard-server';
import { loadEnv } from './env';

/** `npm start -w @pitchline/dashboard`: the dashboard API and SPA on their own (the scaled mode). */
async function main() {
  const env = loadConfigOrExit(() => loadEnv());
  const logger = createLogger(env.LOG_LEVEL);
  // Before any store opens: everything they create under DATA_DIR is owner-only.
  await makeDataDirPrivate(env.dataDir, logger);
  const server = await serveUntilStopped(await startDashboardServer(env, logger), {
    port: env.PORT,
    host: env.HOST,
    logger,
  });
  logger.info({ url: server.url }, 'dashboard listening');
  process.stdout.write(`\n  Pitchline dashboard at ${server.url}\n\n`);
}

main().catch(exitOnStartFailure);
