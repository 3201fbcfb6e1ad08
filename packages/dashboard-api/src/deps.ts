import type { ClickHouseHandle } from '@pitchline/analytics';
import type { PitchlineDb } from '@pitchline/db';
import { type WebhookPolicy, webhookPolicyFor } from '@pitchline/jobs/alerts';
import type { Context } from 'hono';
import { type AmazonAccounts, amazonAccounts } from './amazon/account';
import type { AmazonConfig } from './amazon/config';

export type LoginLimits = {
  /** Failed logins allowed per e-mail address inside the window before 429. */
  perEmail: number;
  /** Failed logins allowed per client IP inside the window (higher: offices share an address). */
  perIp: number;
  windowMs: number;
};

export type SessionPolicy = {
  /** A session unused for this long expires. */
  idleMs: number;
  /** A session expires this long after login however much it is used. */
  absoluteMs: number;
  /** The expiry slides at most this often, so reads do not each write a row. */
  renewEveryMs: number;
};

export type DashboardDeps = {
  /** Reports whether the analytics and relational stores answer; the dashboard shows it in its status bar. */
  storesReady: () => Promise<boolean>;
  db: PitchlineDb;
  /** The analytics store experiment results are computed from; without it results answer 503. */
  ch?: ClickHouseHandle;
  /**
   * Origins (scheme://host[:port]) a state-changing request may come from besides the API's own,
   * e.g. the public URL when a proxy terminates TLS.
   */
  allowedOrigins?: readonly string[];
  /** Secure cookies: true/false, or 'auto' (the default) when the request arrived over https. */
  secureCookies?: boolean | 'auto';
  /** The client's address, for per-IP login limits; without it only the per-e-mail limit applies. */
  clientIp?: (c: Context) => string | undefined;
  loginLimits?: Partial<LoginLimits>;
  sessions?: Partial<SessionPolicy>;
  /**
   * Whether this server holds Stripe keys (PAYMENTS=stripe), i.e. can take real payments. Without them
   * no merchant may switch to the 'stripe' payment mode. Default false.
   */
  stripeConfigured?: boolean;
  /**
   * Login with Amazon and the Skill Management API, by which an owner proves control of a skill before
   * binding it. Without it no skill can be bound through the API (the operator's CLI still can).
   */
  amazon?: AmazonConfig;
  /**
   * Which webhook URLs alert rules may call (README "Alerts"). Default: a production server's policy,
   * which refuses loopback too; the all-in-one server allows loopback outside production.
   */
  alertWebhooks?: WebhookPolicy;
  now?: () => Date;
};

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perEmail: 5, perIp: 20, windowMs: 15 * 60_000 };
export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleMs: 7 * 24 * 3_600_000,
  absoluteMs: 30 * 24 * 3_600_000,
  renewEveryMs: 3_600_000,
};

/** Deps with every default filled in: what the routes read. */
export type Settings = {
  db: PitchlineDb;
  ch: ClickHouseHandle | undefined;
  allowedOrigins: readonly string[];
  secureCookies: boolean | 'auto';
  clientIp: (c: Context) => string | undefined;
  loginLimits: LoginLimits;
  sessions: SessionPolicy;
  stripeConfigured: boolean;
  amazon: { config: AmazonConfig; accounts: AmazonAccounts } | undefined;
  alertWebhooks: WebhookPolicy;
  now: () => Date;
};

export function settingsFrom(deps: DashboardDeps): Settings {
  const now = deps.now ?? (() => new Date());
  return {
    db: deps.db,
    ch: deps.ch,
    allowedOrigins: (deps.allowedOrigins ?? []).map((o) => new URL(o).origin),
    secureCookies: deps.secureCookies ?? 'auto',
    clientIp: deps.clientIp ?? (() => undefined),
    loginLimits: { ...DEFAULT_LOGIN_LIMITS, ...deps.loginLimits },
    sessions: { ...DEFAULT_SESSION_POLICY, ...deps.sessions },
    stripeConfigured: deps.stripeConfigured ?? false,
    amazon: deps.amazon && { config: deps.amazon, accounts: amazonAccounts(deps.db, deps.amazon, now) },
    alertWebhooks: deps.alertWebhooks ?? webhookPolicyFor(true),
    now,
  };
}
