import { exitOnStartFailure, loadConfigOrExit, serveUntilStopped } from '@pitchline/runtime/lifecycle';
import { createLogger } from '@pitchline/runtime/logger';
import { makeDataDirPrivate } from '@pitchline/runtime/private-data-dir';
import { loadEnv } from './env';
import { startPitchline } from './pitchline';

/** The process entry: read env, start, serve, and shut down cleanly on SIGTERM/SIGINT. */
async function main() {
  const env = loadConfigOrExit(() => loadEnv());
  const logger = createLogger(env.LOG_LEVEL);
  // Before any store opens: everything they create under DATA_DIR is owner-only.
  await makeDataDirPrivate(env.dataDir, logger);
  const pitchline = await startPitchline(env, logger);
  const server = await serveUntilStopped(pitchline, { port: env.PORT, host: env.HOST, logger });

  logger.info({ url: server.url, dataDir: env.dataDir }, 'pitchline listening');
  const lines = [
    '',
    `  Pitchline is running at ${server.url}`,
    `    Alexa endpoint   POST ${server.url}/alexa`,
    `    Stripe webhooks  POST ${server.url}/webhooks/stripe`,
    `    Dashboard API         ${server.url}/api`,
    `    Health                ${server.url}/healthz  ${server.url}/readyz  ${server.url}/metrics`,
  ];
  if (pitchline.setupLink) {
    // With PORT=0 the link names the port actually bound.
    const link = env.PUBLIC_URL
      ? pitchline.setupLink
      : pitchline.setupLink.replace(/^http:\/\/[^/]+/, server.url);
    lines.push(
      '  No merchant yet. Create the first owner within the hour (the link works once):',
      `    ${link}`,
      '  or run: npm run create-owner -- --email you@example.com --merchant "Your shop"',
    );
  }
  if (pitchline.seeded) {
    lines.push(
      `  Demo merchant seeded. Dashboard login: ${pitchline.seeded.login.email} / ${pitchline.seeded.login.password}`,
    );
  }
  // First run: 30 days of demo shoppers, replayed in the background now that the server answers.
  const demoHistory = pitchline.startDemoHistory();
  if (demoHistory) lines.push('  Replaying 30 days of demo shoppers for the dashboard (under a minute)...');
  process.stdout.write(`${lines.join('\n')}\n\n`);
  void demoHistory?.then((history) => {
    if (!history?.complete) return;
    const { stats } = history;
    process.stdout.write(
      `  Demo history ready: ${stats.sessions} sessions, ${stats.ordersPlaced} orders over ${Math.round((history.window.end - history.window.start) / 86_400_000)} days, replayed in ${(history.elapsedMs / 1000).toFixed(0)} s.\n\n`,
    );
  });
}

main().catch(exitOnStartFailure);
