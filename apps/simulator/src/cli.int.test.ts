import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClickHouse } from '@pitchline/analytics';
import { countEvents } from '@pitchline/analytics/testing';
import { DEMO_OWNER_EMAIL, DEMO_PASSWORD, DEMO_SKILL_ID, openDatabase, orders, skills } from '@pitchline/db';
import type { RunStats } from '@pitchline/simulation';
import { and, eq, gte, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The simulate command as a user runs it: a child process, `npm run simulate -- …`, against the real
 * server process (apps/server src/main.ts, as its own main.int.test.ts starts it) or, replaying, into
 * a data directory of its own. Nothing here is in process but the checks.
 */

const simulatorDir = path.resolve(import.meta.dirname, '..');
const serverDir = path.resolve(simulatorDir, '../server');
const EXAMPLE = path.join(simulatorDir, 'sim.example.json');

interface Child {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(command: string, args: string[], options: { cwd: string; env: Record<string, string> }): Child {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  // npm sets INIT_CWD for the script from where it runs; one inherited from the runner would win.
  delete env.INIT_CWD;
  // Its own process group (npm → sh → node), so cleanup can end all of it at once by its id.
  const child = spawn(command, args, {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  // 'close', not 'exit': 'exit' can fire before the last stderr chunk is read (an empty stderr was seen in CI).
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

function kill(c: Child | undefined): void {
  if (c?.child.pid === undefined || c.child.exitCode !== null) return;
  try {
    process.kill(-c.child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** `npm run simulate -- …` in the simulator workspace, exactly as the README says to run it. */
const simulate = (args: string[], env: Record<string, string>) =>
  run('npm', ['run', '--silent', 'simulate', '--', ...args], { cwd: simulatorDir, env });

/** The --json stats: the last thing printed, after the progress lines. */
function statsOf(stdout: string): RunStats {
  const start = stdout.indexOf('\n{');
  return JSON.parse(stdout.slice(start >= 0 ? start + 1 : stdout.indexOf('{'))) as RunStats;
}

async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 250));
  }
}

const dirs: string[] = [];
const freshDataDir = async (label: string) => {
  const dir = await mkdtemp(path.join(tmpdir(), `pitchline-simulate-${label}-`));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe.concurrent('simulate refuses bad arguments with one line and exit code 2', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await freshDataDir('args');
    await writeFile(path.join(dir, 'bad.json'), '{ "shoppers": 10, ');
    await writeFile(path.join(dir, 'typo.json'), '{ "shopers": 10 }');
  });

  const cases: [string, () => string[], RegExp][] = [
    [
      '--shoppers abc',
      () => ['--shoppers', 'abc'],
      /^--shoppers accepts a whole number from 1 to \d+, not "abc"$/,
    ],
    [
      '--shoppers -3',
      () => ['--shoppers', '-3'],
      /^--shoppers accepts a whole number from 1 to \d+, not "-3"$/,
    ],
    [
      'an unreadable config',
      () => ['--config', path.join(dir, 'missing.json')],
      /^--config \S+missing\.json: cannot read .*ENOENT/,
    ],
    [
      'a config that is not JSON',
      () => ['--config', path.join(dir, 'bad.json')],
      /^--config \S+bad\.json: not valid JSON/,
    ],
    [
      'an unknown key in the config',
      () => ['--config', path.join(dir, 'typo.json')],
      /^--config \S+typo\.json: .*"shopers"/,
    ],
    ['an unknown flag', () => ['--shopers', '3'], /^Unknown option '--shopers'/],
    [
      '--url with a replay',
      () => ['--days', '2', '--url', 'http://127.0.0.1:3000'],
      /^--url is for live runs/,
    ],
  ];

  it.each(cases)('%s', async (_name, args, message) => {
    // Straight to tsx, as npm's script does: npm itself adds nothing to an argument error.
    const cli = run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args()], {
      cwd: simulatorDir,
      env: { DATA_DIR: dir },
    });
    try {
      expect(await cli.exited).toBe(2);
      const lines = cli.stderr().trimEnd().split('\n');
      expect(lines, cli.stderr()).toHaveLength(1);
      expect(lines[0]?.replace(/^simulate: /, '')).toMatch(message);
      expect(cli.stdout()).toBe('');
    } finally {
      kill(cli);
    }
  });
});

describe('npm run simulate', () => {
  it('replays --days 2 --shoppers 20 into a fresh DATA_DIR, the server stopped, and exits 0', async () => {
    const dataDir = await freshDataDir('replay');
    const started = performance.now();
    const cli = simulate(['--days', '2', '--shoppers', '20', '--json'], { DATA_DIR: dataDir });
    try {
      const code = await cli.exited;
      expect(code, cli.stderr()).toBe(0);
    } finally {
      kill(cli);
    }
    process.stdout.write(`replay CLI: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    const stats = statsOf(cli.stdout());
    expect(stats.sessions).toBeGreaterThanOrEqual(20);
    expect(stats.byStatus).toEqual({ 200: stats.requests });

    // What it wrote is in DATA_DIR's own stores: the demo shop it seeded, every turn, the paid orders.
    const database = await openDatabase({ dataDir });
    try {
      const [skill] = await database.db.select().from(skills).where(eq(skills.id, DEMO_SKILL_ID));
      expect(skill).toBeDefined();
      const paid = await database.db.select().from(orders).where(isNotNull(orders.paidAt));
      expect(paid.length).toBe(stats.ordersCharged);
    } finally {
      await database.close();
    }
    const ch = createClickHouse({ dataDir, database: 'pitchline' });
    try {
      expect(await countEvents(ch, { types: ['turn'] })).toBe(stats.requests);
    } finally {
      await ch.close();
    }
  }, 120_000);

  describe('against the running server', () => {
    let server: Child | undefined;
    let dataDir: string;
    let url: string;

    beforeAll(async () => {
      dataDir = await freshDataDir('live');
      // The server as `npm start` runs it, on a free port. A fresh DATA_DIR makes it seed the demo shop
      // and replay its 30 demo days in the background: the shoppers below arrive while that runs, as
      // they would for someone who starts the server and simulates right away. The replay's orders are
      // paid on past days, so they are told apart from ours by time.
      server = run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: serverDir,
        env: { DATA_DIR: dataDir, PORT: '0', PAYMENTS: 'simulated', LOG_LEVEL: 'warn' },
      });
      const s = server;
      url = await waitFor(() => {
        if (s.child.exitCode !== null) throw new Error(`the server exited: ${s.stderr()}`);
        return /running at (http:\/\/\S+)/.exec(s.stdout())?.[1];
      }, 90_000);
      await waitFor(async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined), 60_000);
    }, 150_000);

    afterAll(() => kill(server));

    it('sends live shoppers through POST /alexa and they pay through the simulated gateway', async () => {
      const liveStart = Date.now();
      const cli = simulate(
        ['--config', EXAMPLE, '--shoppers', '30', '--seed', 'cli-live-test', '--url', url, '--json'],
        { DATA_DIR: dataDir },
      );
      try {
        expect(await cli.exited, cli.stderr()).toBe(0);
      } finally {
        kill(cli);
      }
      process.stdout.write(`live CLI: ${((Date.now() - liveStart) / 1000).toFixed(1)} s\n`);
      const stats = statsOf(cli.stdout());
      expect(stats.sessions).toBe(30);
      expect(stats.byStatus).toEqual({ 200: stats.requests });
      // At a base purchase rate of 0.3 (0.15 for c), 30 shoppers with none charged is a ~1e-4 event.
      expect(stats.ordersCharged).toBeGreaterThan(0);

      // Through the server's own API, as the dashboard sees them: a session is "paid" once a
      // payment_succeeded event is recorded, which only the signed-webhook processing does.
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: DEMO_OWNER_EMAIL, password: DEMO_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const day = (t: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(t);
      // The demo shop's local days since the run began: the demo replay's days all end before them.
      const query = new URLSearchParams({
        from: day(liveStart),
        to: day(Date.now()),
        outcome: 'paid',
        limit: '200',
      });
      type Page = { data: { sessions: { startedAt: number; revenue: { amount: number }[] }[] } };
      const paidSessions = await waitFor(async () => {
        const res = await fetch(`${url}/api/analytics/sessions?${query}`, { headers: { cookie } });
        if (res.status !== 200) throw new Error(`sessions: HTTP ${res.status} ${await res.text()}`);
        const sessions = ((await res.json()) as Page).data.sessions.filter((s) => s.startedAt >= liveStart);
        // Webhooks and event shipping trail the answers by a moment: wait until all have landed.
        return sessions.length >= stats.ordersCharged ? sessions : undefined;
      }, 60_000);
      expect(paidSessions.length).toBe(stats.ordersCharged);
      for (const s of paidSessions) expect(s.revenue[0]?.amount).toBeGreaterThan(0);

      // Stopped (SIGTERM: drains, aborts the demo replay between sessions, flushes), the orders in its
      // database: paid, with the PaymentIntent the simulated gateway made and the webhook's paid_at.
      server?.child.kill('SIGTERM');
      expect(await server?.exited, server?.stderr()).toBe(0);
      const database = await openDatabase({ dataDir });
      try {
        const ours = await database.db
          .select()
          .from(orders)
          .where(and(isNotNull(orders.paidAt), gte(orders.paidAt, new Date(liveStart))));
        expect(ours.length).toBe(stats.ordersCharged);
        for (const order of ours) {
          expect(order.status).toBe('paid');
          expect(order.paymentIntentId).toMatch(/^pi_/);
        }
      } finally {
        await database.close();
      }
    }, 120_000);
  });
});
