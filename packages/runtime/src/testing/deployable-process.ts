import { type ChildProcess, spawn } from 'node:child_process';

/*
 * A deployable's real entry (its src/main.ts) in a child process, as an operator runs it: for the tests
 * of each app's process (exit codes, readiness, clean shutdown) and the fault tests.
 */

export type ServerProcess = SpawnedServer & {
  url: string;
  /**
   * SIGTERM and wait; resolves with the exit code (0 when it drained and flushed cleanly). A server still
   * running after `timeoutMs` is SIGKILLed (code null), so a hung shutdown fails a test instead of hanging it.
   */
  stop(timeoutMs?: number): Promise<number | null>;
};

export type SpawnedServer = {
  child: ChildProcess;
  /** stdout and stderr together, as they arrived. */
  output(): string;
  /** Resolves on 'close', not 'exit': 'exit' can fire before the last output chunk is read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/**
 * `appDir`'s src/main.ts in a child process, as is: `env` over this process's, logging at warn. `args`
 * replaces node's arguments (a built bundle: `['server.mjs']`).
 */
export function spawnDeployable(
  appDir: string,
  env: Record<string, string>,
  args: readonly string[] = ['--import', 'tsx', 'src/main.ts'],
): SpawnedServer {
  const child = spawn(process.execPath, args, {
    cwd: appDir,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

/**
 * `appDir`'s entry in a child process, on an OS-chosen port; resolves once it printed its URL (a line
 * "… at http://…") and /readyz is 200 (unless `ready: false`).
 */
export async function startDeployable(
  appDir: string,
  dataDir: string,
  env: Record<string, string> = {},
  options: { ready?: boolean; args?: readonly string[] } = {},
): Promise<ServerProcess> {
  const { child, output, exited } = spawnDeployable(
    appDir,
    { SEED_DEMO: 'false', ...env, DATA_DIR: dataDir, PORT: '0' },
    options.args,
  );
  let exitedEarly = false;
  exited.then(() => {
    exitedEarly = true;
  });
  try {
    const url = await waitFor(
      () => {
        if (exitedEarly) throw new Error('the server exited while starting');
        return / at (http:\/\/\S+)/.exec(output())?.[1];
      },
      60_000,
      'server URL',
    );
    // A server whose analytics store is down answers but never reports ready: callers say so.
    if (options.ready !== false) {
      await waitFor(
        async () => ((await fetch(`${url}/readyz`).catch(() => null))?.status === 200 ? true : undefined),
        30_000,
        'server ready',
      );
    }
    return {
      child,
      url,
      output,
      exited,
      stop: async (timeoutMs = 40_000) => {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        const { code } = await exited;
        clearTimeout(timer);
        return code;
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; server output:\n${output()}`);
  }
}

export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
