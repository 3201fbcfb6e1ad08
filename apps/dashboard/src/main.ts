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
  const dashboard = await startDashboardServer(env, logger);
  const server = await serveUntilStopped(dashboard, {
    port: env.PORT,
    host: env.HOST,
    logger,
  });
  logger.info({ url: server.url }, 'dashboard listening');
  const lines = ['', `  Pitchline dashboard at ${server.url}`];
  if (dashboard.setupLink) {
    const link = env.PUBLIC_URL
      ? dashboard.setupLink
      : dashboard.setupLink.replace(/^http:\/\/[^/]+/, server.url);
    lines.push(
      '  No merchant yet. Create the first owner within the hour (the link works once):',
      `    ${link}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch(exitOnStartFailure);
