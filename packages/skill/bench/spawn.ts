import { type ChildProcess, fork } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type ChildConfig, type FromChild, fromChildSchema, type ServerStats, type Usage } from './ipc';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

export interface ServerChild {
  pid: number;
  /** Starts V8's CPU profiler in the server; stopProfile writes the .cpuprofile to `path`. */
  startProfile(): Promise<void>;
  stopProfile(path: string): Promise<string>;
  port: number;
  usage(): Promise<Usage>;
  /** Peak and current resident set of the child, from /proc (kB → bytes). */
  memory(): Promise<{ peakRssBytes: number; rssBytes: number }>;
  stop(): Promise<ServerStats>;
  kill(): void;
}

export interface SpawnOptions {
  startTimeoutMs?: number;
}

export async function spawnServer(config: ChildConfig, options: SpawnOptions = {}): Promise<ServerChild> {
  const child = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the server process');

  const replies = new Replies(child);
  try {
    child.send({ type: 'start', config });
    const ready = await replies.next('ready', options.startTimeoutMs ?? 120_000);
    return {
      pid,
      port: ready.port,
      usage: async () => {
        child.send({ type: 'usage' });
        return (await replies.next('usage', 10_000)).usage;
      },
      memory: () => procMemory(pid),
      startProfile: async () => {
        child.send({ type: 'profile-start' });
        await replies.next('profiling', 10_000);
      },
      stopProfile: async (path) => {
        child.send({ type: 'profile-stop', path });
        return (await replies.next('profile', 60_000)).path;
      },
      stop: async () => {
        child.send({ type: 'stop' });
        const { stats } = await replies.next('stopped', 120_000);
        await replies.exited;
        return stats;
      },
      kill: () => {
        if (child.exitCode === null) child.kill('SIGKILL');
      },
    };
  } catch (err) {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw err;
  }
}

/** Waits for one message type at a time; an `error` message or an early exit rejects the wait. */
class Replies {
  #queue: FromChild[] = [];
  #wake: (() => void) | undefined;
  #exitError: Error | undefined;
  readonly exited: Promise<void>;

  constructor(child: ChildProcess) {
    child.on('message', (raw) => {
      this.#queue.push(fromChildSchema.parse(raw));
      this.#wake?.();
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exitError = new Error(`server process exited (code ${code}, signal ${signal})`);
        this.#wake?.();
        resolve();
      });
    });
  }

  async next<T extends FromChild['type']>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<FromChild, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = this.#queue.shift();
      if (message?.type === 'error') throw new Error(`server process failed: ${message.message}`);
      if (message?.type === type) return message as Extract<FromChild, { type: T }>;
      if (message) throw new Error(`expected ${type} from the server process, got ${message.type}`);
      if (this.#exitError) throw this.#exitError;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} from the server process within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }
}

async function procMemory(pid: number): Promise<{ peakRssBytes: number; rssBytes: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match?.[1]) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]) * 1024;
  };
  return { peakRssBytes: kb('VmHWM'), rssBytes: kb('VmRSS') };
}
