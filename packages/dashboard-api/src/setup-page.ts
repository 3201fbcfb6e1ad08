import {
  countMerchants,
  createOwnerWithSetupToken,
  issueSetupToken,
  OwnerError,
  type PitchlineDb,
  setupTokenValid,
} from '@pitchline/db';
import { Hono } from 'hono';
import { html } from 'hono/html';

/*
 * The first owner of a production install, through the one-time link printed at its first start: a
 * server-rendered form (it must work before anyone can sign in to the SPA) that creates the merchant and
 * its owner and spends the link. The token is the authorization; it lives an hour and works once.
 */

/** At a start with no merchant yet: a fresh setup link to print, else null. */
export async function firstOwnerSetupLink(db: PitchlineDb, publicUrl: string): Promise<string | null> {
  if ((await countMerchants(db)) > 0) return null;
  const { token } = await issueSetupToken(db);
  return `${publicUrl.replace(/\/+$/, '')}/setup?token=${token}`;
}

const MAX_FIELD = 2048;

function page(body: ReturnType<typeof html>, status: 200 | 400 | 410 = 200) {
  return {
    status,
    body: html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Set up · Pitchline</title>
<style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.8rem 0}input{display:block;box-sizing:border-box;width:100%;padding:.4rem;font:inherit}.error{color:#a40000}</style>
</head><body><main><h1>Set up Pitchline</h1>${body}</main></body></html>`,
  };
}

function form(token: string, values: { email?: string; merchant?: string }, error?: string) {
  return html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<p>Create the first merchant and its owner. This link works once.</p>
<form method="post" action="/setup">
<input type="hidden" name="token" value="${token}">
<label>E-mail <input name="email" type="email" required maxlength="320" autocomplete="username" value="${values.email ?? ''}"></label>
<label>Merchant name <input name="merchant" required maxlength="200" value="${values.merchant ?? ''}"></label>
<label>Password (12 characters or more) <input name="password" type="password" required minlength="12" maxlength="1024" autocomplete="new-password"></label>
<button type="submit">Create owner</button>
</form>`;
}

const gone = () =>
  page(
    html`<p>This setup link is invalid, expired or already used. Restart the server with no merchant for a new one, or run <code>npm run create-owner</code>.</p>`,
    410,
  );

export function setupRoutes(deps: { db: PitchlineDb; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return new Hono()
    .get('/setup', async (c) => {
      const token = c.req.query('token') ?? '';
      c.header('Cache-Control', 'no-store');
      c.header('Referrer-Policy', 'no-referrer');
      if (token.length === 0 || token.length > MAX_FIELD || !(await setupTokenValid(deps.db, token, now()))) {
        const { body, status } = gone();
        return c.html(body, status);
      }
      const { body, status } = page(form(token, {}));
      return c.html(body, status);
    })
    .post('/setup', async (c) => {
      c.header('Cache-Control', 'no-store');
      const fields = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const text = (name: string) => {
        const value = fields[name];
        return typeof value === 'string' && value.length <= MAX_FIELD ? value : '';
      };
      const token = text('token');
      const values = { email: text('email'), merchant: text('merchant') };
      try {
        await createOwnerWithSetupToken(
          deps.db,
          token,
          { email: values.email, merchantName: values.merchant, password: text('password') },
          now(),
        );
      } catch (error) {
        if (!(error instanceof OwnerError)) throw error;
        if (!(await setupTokenValid(deps.db, token, now()))) {
          const { body, status } = gone();
          return c.html(body, status);
        }
        const { body, status } = page(form(token, values, error.message), 400);
        return c.html(body, status);
      }
      const { body } = page(
        html`<p>Owner created. <a href="/">Sign in to the dashboard</a> with ${values.email}.</p>`,
      );
      return c.html(body, 200);
    });
}
