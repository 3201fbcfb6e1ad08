import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DEMO_OWNER_EMAIL, DEMO_PASSWORD } from '@pitchline/db';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  SCREENSHOTS as ALL_SCREENSHOTS,
  type BrowserHarness,
  startBrowserHarness,
} from './browser-harness.testing';

/*
 * The account lifecycle in a real browser against the built SPA and the server `npm start` runs
 * (embedded stores, demo seed): an owner invites an analyst, who accepts in a browser context of
 * their own and cannot write; the owner removes them and their open session is refused on its next
 * request. Screenshots of the touched pages at 1280 and 390 px go to .artifacts/screenshots/accounts.
 */

const SCREENSHOTS = path.join(ALL_SCREENSHOTS, 'accounts');
const ANALYST = 'invited.analyst@example.com';
const ANALYST_PASSWORD = 'invited analyst password';

let h: BrowserHarness;
let ownerContext: BrowserContext;
let analystContext: BrowserContext;
let owner: Page;
let analyst: Page;
let url = '';

beforeAll(async () => {
  // The seeded accounts are all this needs: no demo history.
  h = await startBrowserHarness('accounts', { demoHistory: false });
  url = h.url;
  await mkdir(SCREENSHOTS, { recursive: true });
  // Two contexts share no cookies: two people on two computers.
  ownerContext = await h.browser.newContext({ viewport: { width: 1280, height: 860 } });
  analystContext = await h.browser.newContext({ viewport: { width: 1280, height: 860 } });
  owner = await ownerContext.newPage();
  analyst = await analystContext.newPage();
  // Removing a member asks for confirmation.
  owner.on('dialog', (dialog) => void dialog.accept());
}, 180_000);

afterAll(async () => {
  await h?.close();
}, 60_000);

/** Full-page screenshots at desktop and phone widths, then back to desktop. */
async function shots(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 860 });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 860 });
}

it('an owner invites an analyst, who joins in their own browser and cannot write', async () => {
  await owner.goto(`${url}/`);
  await owner.getByLabel('E-mail').fill(DEMO_OWNER_EMAIL);
  await owner.getByLabel('Password').fill(DEMO_PASSWORD);
  await owner.getByRole('button', { name: 'Sign in' }).click();
  await owner.getByRole('heading', { name: 'Overview', exact: true }).waitFor();

  await owner.goto(`${url}/settings`);
  const invite = owner.getByRole('form', { name: 'Invite a member' });
  await invite.getByLabel('E-mail').fill(ANALYST);
  await invite.getByLabel('Role').selectOption('analyst');
  await invite.getByRole('button', { name: 'Invite' }).click();
  const link = await owner.getByTestId('one-time-link').inputValue();
  expect(link).toMatch(new RegExp(`^${url}/invite\\?token=[A-Za-z0-9_-]{43}$`));
  await owner.getByRole('heading', { name: 'Audit log' }).waitFor();
  await expect.poll(() => owner.getByTestId('audit-log').textContent()).toContain('invited');
  await shots(owner, 'settings-owner');

  await analyst.goto(link);
  await analyst.getByText('as an analyst (read-only)').waitFor();
  await shots(analyst, 'invite');
  await analyst.getByLabel('New password').fill(ANALYST_PASSWORD);
  await analyst.getByLabel('Repeat it').fill(ANALYST_PASSWORD);
  await analyst.getByRole('button', { name: 'Join' }).click();
  await analyst.getByRole('heading', { name: 'Overview', exact: true }).waitFor();

  // Read-only: no way to start a write on the experiments page, and the API refuses one with words.
  await analyst.goto(`${url}/experiments`);
  await analyst.getByRole('heading', { name: 'Experiments', exact: true }).waitFor();
  expect(await analyst.getByRole('link', { name: 'New experiment' }).count()).toBe(0);
  const refused = await analyst.evaluate(async () => {
    const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
    const res = await fetch('/api/experiments', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: JSON.stringify({ key: 'not-allowed' }),
    });
    return { status: res.status, body: await res.json() };
  });
  expect(refused).toEqual({ status: 403, body: { error: 'forbidden', reason: 'this role can only read' } });
  await analyst.goto(`${url}/settings`);
  await analyst.getByRole('heading', { name: 'Members' }).waitFor();
  expect(await analyst.getByRole('form', { name: 'Invite a member' }).count()).toBe(0);
  expect(await analyst.getByRole('heading', { name: 'Audit log' }).count()).toBe(0);
  await shots(analyst, 'settings-analyst');
}, 120_000);

it('the owner removes the analyst, whose open session is refused on its next request', async () => {
  await owner.goto(`${url}/settings`);
  const row = owner.getByTestId('members').getByRole('row').filter({ hasText: ANALYST });
  await row.getByRole('button', { name: 'Remove' }).click();
  await expect.poll(() => owner.getByTestId('members').textContent()).not.toContain(ANALYST);

  // The analyst's tab is still open on Settings; its next request answers 401 and the app signs out.
  const status = await analyst.evaluate(async () => (await fetch('/api/members')).status);
  expect(status).toBe(401);
  await analyst.goto(`${url}/experiments`);
  await analyst.getByRole('heading', { name: 'Sign in to Pitchline' }).waitFor();
}, 60_000);

it('a used invite link is refused with a message', async () => {
  const used = await owner.evaluate(async () => {
    const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
    const res = await fetch('/api/invites', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: JSON.stringify({ email: 'late@example.com', role: 'analyst' }),
    });
    return ((await res.json()) as { invite: { token: string } }).invite.token;
  });
  await analyst.goto(`${url}/reset?token=${used}`);
  // An invite token is no reset token: the reset page says the link is not valid.
  await analyst.getByText('this link is not valid').waitFor();
  await shots(analyst, 'reset-refused');
}, 60_000);
