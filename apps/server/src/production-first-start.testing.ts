import { spawn } from 'node:child_process';
import { startDeployable } from '@pitchline/runtime/testing';
import { expect } from 'vitest';

/*
 * What an operator does on a fresh production install, as the production-start tests (tsx sources and
 * the built bundle) both check it: start with SEED_DEMO unset, no demo login, a setup link; create the
 * first owner with the CLI (refused while the server holds the embedded store, refused with --password);
 * that owner signs in; SIGTERM exits 0.
 */

/** A complete production configuration but for the stores (embedded under DATA_DIR). */
export const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  SEED_DEMO: '', // unset: blank is unset, and startDeployable would otherwise set it to false
  USER_ID_HASH_KEY: 'production-test-hash-key-0123456789abcdef',
  PAYMENTS: 'stripe',
  STRIPE_SECRET_KEY: 'sk_test_production_first_start',
  STRIPE_WEBHOOK_SECRET: 'whsec_production_first_start',
  LOG_LEVEL: 'warn',
};

export type Commands = {
  /** Where the commands run. */
  cwd: string;
  /** node's arguments for the all-in-one server and for create-owner. */
  server: readonly string[];
  createOwner: readonly string[];
};

export function runCreateOwner(
  commands: Commands,
  env: Record<string, string>,
  args: readonly string[],
  stdin: string,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [...commands.createOwner, ...args], {
    cwd: commands.cwd,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

async function login(url: string, email: string, password: string) {
  return fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email, password }),
  });
}

export async function checkProductionFirstStart(
  commands: Commands,
  dataDir: string,
  extraEnv: Record<string, string> = {},
) {
  const env = { ...PRODUCTION_ENV, ...extraEnv, DATA_DIR: dataDir };
  const owner = {
    email: 'owner@roastery.example',
    merchant: 'The Roastery',
    password: 'a long enough passphrase',
  };

  const first = await startDeployable(commands.cwd, dataDir, env, { args: commands.server });
  try {
    expect(first.output()).not.toMatch(/Dashboard login|Demo/);
    const link = /(http:\/\/\S+\/setup\?token=[\w-]+)/.exec(first.output())?.[1];
    expect(link, first.output()).toBeDefined();
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    // No demo merchant, so its published login does not exist.
    expect((await login(first.url, 'demo@pitchline.dev', 'pitchline-demo')).status).toBe(401);
    // The link's page answers while it is valid; a made-up token does not.
    expect((await fetch(link as string)).status).toBe(200);
    expect((await fetch(`${first.url}/setup?token=made-up`)).status).toBe(410);
    // The link's form: a refused password keeps the link usable; it creates an owner once, then is spent.
    const token = new URL(link as string).searchParams.get('token') as string;
    const submit = (password: string, email = 'linked@roastery.example') =>
      fetch(`${first.url}/setup`, {
        method: 'POST',
        body: new URLSearchParams({ token, email, merchant: 'Linked Roastery', password }),
      });
    expect((await submit('short')).status).toBe(400);
    expect((await submit('linked owner passphrase')).status).toBe(200);
    expect((await login(first.url, 'linked@roastery.example', 'linked owner passphrase')).status).toBe(200);
    expect((await submit('linked owner passphrase', 'again@roastery.example')).status).toBe(410);
    expect((await login(first.url, 'again@roastery.example', 'linked owner passphrase')).status).toBe(401);

    // The CLI refuses while the server holds the embedded store, and refuses a password in argv.
    const busy = await runCreateOwner(
      commands,
      env,
      ['--email', owner.email, '--merchant', owner.merchant],
      `${owner.password}\n`,
    );
    expect(busy.code, busy.output).toBe(1);
    expect(busy.output).toMatch(/open in a running server .*Stop the server first/);
    const argv = await runCreateOwner(
      commands,
      env,
      ['--email', owner.email, '--merchant', owner.merchant, '--password', 'x'],
      '',
    );
    expect(argv.code).toBe(2);
    expect(argv.output).toMatch(/--password is refused/);
  } finally {
    expect(await first.stop()).toBe(0);
  }

  const created = await runCreateOwner(
    commands,
    env,
    ['--email', owner.email, '--merchant', owner.merchant],
    `${owner.password}\n`,
  );
  expect(created.code, created.output).toBe(0);
  expect(created.output).toMatch(/Created merchant "The Roastery" with owner owner@roastery\.example/);

  const second = await startDeployable(commands.cwd, dataDir, env, { args: commands.server });
  try {
    expect(second.output()).not.toMatch(/setup\?token=/);
    const signedIn = await login(second.url, owner.email, owner.password);
    expect(signedIn.status).toBe(200);
    const me = (await signedIn.json()) as { role: string; merchant: { name: string } };
    expect(me).toMatchObject({ role: 'owner', merchant: { name: 'The Roastery' } });
    expect((await login(second.url, owner.email, 'not the passphrase')).status).toBe(401);
  } finally {
    expect(await second.stop()).toBe(0);
  }
}
