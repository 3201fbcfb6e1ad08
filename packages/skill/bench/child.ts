/**
 * A benchmark server in a process of its own. The parent sends `start` with the server's config,
 * gets `ready` with the port, may ask for `usage` (CPU time, memory), and ends with `stop`, which
 * closes the server, reports its counters and exits (so --cpu-prof writes its profile).
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { type ChildConfig, type FromChild, toChildSchema } from './ipc';
import type { RunningServer } from './servers/types';

function send(message: FromChild): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) throw new Error('bench/child.ts must be started by bench/skill.ts (IPC channel)');
    process.send(message, undefined, {}, () => resolve());
  });
}

/** Imported on demand: a baseline's RSS must not include chDB or PGlite it never uses. */
async function start(config: ChildConfig): Promise<RunningServer> {
  switch (config.target) {
    case 'pitchline':
      return (await import('./servers/pitchline')).startPitchline(config);
    case 'bare-hono':
      return (await import('./servers/bare-hono')).startBareHono();
    case 'express-adapter':
    case 'express-verified':
      return (await import('./servers/express-adapter')).startExpressAdapter(config);
  }
}

let server: RunningServer | undefined;
let profiler: Session | undefined;

async function startProfile(): Promise<void> {
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
  await send({ type: 'profiling' });
}

async function stopProfile(path: string): Promise<void> {
  if (!profiler) throw new Error('profile-stop without profile-start');
  const { profile } = await profiler.post('Profiler.stop');
  profiler.disconnect();
  profiler = undefined;
  await writeFile(path, JSON.stringify(profile));
  await send({ type: 'profile', path });
}

async function fail(err: unknown): Promise<never> {
  await send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
}

process.on('message', (raw) => {
  const message = toChildSchema.parse(raw);
  if (message.type === 'start') {
    start(message.config).then(async (s) => {
      server = s;
      await send({ type: 'ready', port: s.port });
    }, fail);
  } else if (message.type === 'usage') {
    const cpu = process.cpuUsage();
    void send({
      type: 'usage',
      usage: {
        cpuUserUs: cpu.user,
        cpuSystemUs: cpu.system,
        rssBytes: process.memoryUsage.rss(),
        heapUsedBytes: process.memoryUsage().heapUsed,
      },
    });
  } else if (message.type === 'profile-start') {
    startProfile().catch(fail);
  } else if (message.type === 'profile-stop') {
    stopProfile(message.path).catch(fail);
  } else {
    const running = server;
    if (!running) return void fail(new Error('stop before the server started'));
    running.close().then(async (stats) => {
      await send({ type: 'stopped', stats });
      process.exit(0);
    }, fail);
  }
});
// The parent died: never outlive it.
process.on('disconnect', () => process.exit(0));
