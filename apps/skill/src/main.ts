import { exitOnStartFailure, loadConfigOrExit, serveUntilStopped } from '@pitchline/runtime/lifecycle';
import { createLogger } from '@pitchline/runtime/logger';
import { makeDataDirPrivate } from '@pitchline/runtime/private-data-dir';
import { loadEnv } from './env';
import { startSkillServer } from './skill-server';

/** `npm start -w @pitchline/skill-server`: the Alexa endpoint on its own (the scaled mode). */
async function main() {
  const env = loadConfigOrExit(() => loadEnv());
  const logger = createLogger(env.LOG_LEVEL);
  // Before any store opens: everything they create under DATA_DIR is owner-only.
  await makeDataDirPrivate(env.dataDir, logger);
  const server = await serveUntilStopped(await startSkillServer(env, logger), {
    port: env.PORT,
    host: env.HOST,
    logger,
  });
  logger.info({ url: server.url, dataDir: env.dataDir }, 'skill endpoint listening');
  process.stdout.write(
    `\n  Pitchline skill endpoint at ${server.url}\n    Alexa endpoint   POST ${server.url}/alexa\n    Stripe webhooks  POST ${server.url}/webhooks/stripe\n\n`,
  );
}

main().catch(exitOnStartFailure);
