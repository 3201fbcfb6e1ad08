import { newId } from '@pitchline/core';
import {
  DEMO_ANALYST_EMAIL,
  DEMO_OWNER_EMAIL,
  DEMO_PASSWORD,
  hashPassword,
  members,
  merchants,
  seedDemo,
} from '@pitchline/db';
import { type Backend, openTestDatabase, type TestDatabase } from '@pitchline/db/testing';
import { expect } from 'vitest';
import { createDashboardApp, type DashboardApp } from '../app';
import { dashboardClient } from '../client';
import type { DashboardDeps } from '../deps';

/*
 * What the dashboard tests share: a real PGlite database with two tenants (the seeded demo merchant
 * "A" and a second merchant "B"), each with an owner and an analyst, an app over it with a clock the
 * test moves, and a browser-like client that logs in and keeps its cookie and CSRF token. The client
 * speaks through the typed RPC client the SPA uses (`api`), so a test's requests and response bodies
 * are the routes' own types; `request` stays for what that client cannot send: malformed bodies,
 * hostile query strings, parameters no route declares.
 */

export const ORIGIN = 'http://dashboard.test';
export const B_OWNER_EMAIL = 'owner@other-merchant.test';
export const B_ANALYST_EMAIL = 'analyst@other-merchant.test';
export const B_PASSWORD = 'other-merchant-password';

export type Harness = {
  database: TestDatabase;
  app: DashboardApp;
  clock: { now: Date };
  merchantA: string;
  merchantB: string;
  login(email: string, password: string): Promise<Client>;
  /** A client with no credentials, or with only a bearer key. */
  anonymous(bearer?: string): Client;
  /** Another app over the same database, e.g. with tighter limits. */
  withDeps(overrides: Partial<DashboardDeps>): Pick<Harness, 'app' | 'login' | 'anonymous'>;
  close(): Promise<void>;
};

export type DashboardClient = ReturnType<typeof dashboardClient>;

/**
 * A deliberately malformed input for the typed client, in tests of what a route refuses (a metric no
 * schema knows, a missing field): the client's types exist to forbid exactly this value. The only cast
 * the route tests make, and only of input.
 */
export function malformed<T>(value: unknown): T {
  return value as T;
}

export type Client = {
  cookie: string | undefined;
  csrf: string | undefined;
  /** The typed client (hc<DashboardApp>) as this caller: origin, cookie, CSRF token or bearer key. */
  api: DashboardClient;
  /** A raw request as this caller, for input the typed client would not let a test write. */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
};

/**
 * Fails the test unless the answer has this status, and narrows a typed answer to the route's
 * response of that status, so `json()` is its body type.
 */
export function expectStatus<R extends { status: number }, S extends number>(
  res: R,
  status: S,
  message?: string,
): asserts res is R & { status: S } {
  expect(res.status, message).toBe(status);
}

/** PGlite unless a test asks for the PostgreSQL half (a fresh database on that server, dropped on close). */
export type HarnessBackend = { kind: Backend; postgresUrl?: string };

export async function openHarness(
  overrides: Partial<DashboardDeps> = {},
  backend: HarnessBackend = { kind: 'pglite' },
): Promise<Harness> {
  const database = await openTestDatabase(backend.kind, { postgresUrl: backend.postgresUrl });
  const { merchantId: merchantA } = await seedDemo(database.db);
  const merchantB = newId();
  await database.db.insert(merchants).values({ id: merchantB, name: 'Other Merchant', currency: 'EUR' });
  const passwordHash = await hashPassword(B_PASSWORD);
  await database.db.insert(members).values([
    { merchantId: merchantB, email: B_OWNER_EMAIL, passwordHash, role: 'owner' },
    { merchantId: merchantB, email: B_ANALYST_EMAIL, passwordHash, role: 'analyst' },
  ]);
  const clock = { now: new Date('2026-11-02T09:00:00Z') };
  const base: DashboardDeps = {
    storesReady: async () => true,
    db: database.db,
    clientIp: (c) => c.req.header('x-test-ip'),
    now: () => clock.now,
  };
  const withDeps = (more: Partial<DashboardDeps>) => {
    const app = createDashboardApp({ ...base, ...overrides, ...more });
    const client = (cookie?: string, csrf?: string, bearer?: string): Client => {
      const credentials = (headers: Record<string, string> = {}) => {
        const all: Record<string, string> = { origin: ORIGIN, ...headers };
        if (cookie) all.cookie = cookie;
        if (csrf && !('x-csrf-token' in headers)) all['x-csrf-token'] = csrf;
        if (bearer) all.authorization = `Bearer ${bearer}`;
        return all;
      };
      return {
        cookie,
        csrf,
        // Per-call headers ({ headers } as the second argument) go over these, as in `request`.
        api: dashboardClient(ORIGIN, {
          fetch: (input: string | URL | Request, init?: RequestInit) =>
            Promise.resolve(app.request(input, init)),
          headers: () => credentials(),
        }),
        request(method, path, body, headers = {}) {
          const all = credentials(headers);
          if (body !== undefined) all['content-type'] = 'application/json';
          return Promise.resolve(
            app.request(`${ORIGIN}${path}`, {
              method,
              headers: all,
              ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
            }),
          );
        },
      };
    };
    return {
      app,
      async login(email: string, password: string) {
        const res = await client().api.auth.login.$post({ json: { email, password } });
        if (res.status !== 200) throw new Error(`login ${email} answered ${res.status}: ${await res.text()}`);
        const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
        const { csrfToken } = await res.json();
        return client(cookie, csrfToken ?? undefined);
      },
      anonymous: (bearer?: string) => client(undefined, undefined, bearer),
    };
  };

  return {
    database,
    clock,
    merchantA,
    merchantB,
    ...withDeps({}),
    withDeps,
    close: () => database.close(),
  };
}

export const A_OWNER = { email: DEMO_OWNER_EMAIL, password: DEMO_PASSWORD };
export const A_ANALYST = { email: DEMO_ANALYST_EMAIL, password: DEMO_PASSWORD };
export const B_OWNER = { email: B_OWNER_EMAIL, password: B_PASSWORD };
export const B_ANALYST = { email: B_ANALYST_EMAIL, password: B_PASSWORD };
