import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type AxeFinding,
  axeCounts,
  type BrowserHarness,
  blocking,
  DESKTOP,
  horizontalOverflow,
  PHONE,
  pollInPage,
  runAxe,
  SCREENSHOTS,
  settled,
  shoot,
  signIn,
  startBrowserHarness,
  TABLET,
} from './browser-harness.testing';

/*
 * Issue 15, items 4 and 5, in a real browser on the demo data: every page fits a phone (390 px) and a
 * tablet (768 px) without horizontal scroll, has its own title, reloads from its own address (a
 * transcript's id holds dots), a mistyped address reads as not found, the funnel's drill-down comes into
 * view with focus and pages through every session, and axe-core finds no serious or critical violation
 * on any page. The axe counts are printed per page. Screenshots at 1440 and 390 px.
 */

let h: BrowserHarness;
let context: BrowserContext;
let page: Page;
/** Addresses found while browsing, reused by later tests. */
const found: { transcript?: string; experiment?: string } = {};
const axeReport: string[] = [];

beforeAll(async () => {
  h = await startBrowserHarness('layout');
  context = await h.browser.newContext({ viewport: DESKTOP });
  page = await context.newPage();
  // Signed in once for the whole file; the sign-in page is checked in a context of its own.
  await signIn(page, h.url, '/');
}, 240_000);

afterAll(async () => {
  if (axeReport.length > 0) process.stdout.write(`\naxe-core per page:\n${axeReport.join('\n')}\n`);
  await context?.close();
  await h?.close();
}, 60_000);

const describeFindings = (findings: AxeFinding[]) =>
  findings.map((f) => `${f.impact} ${f.id}: ${f.help}\n    ${f.nodes.join('\n    ')}`).join('\n');

/**
 * The checks every page gets: a title of its own, axe-core with no serious or critical violation (the
 * counts are kept for the report), no horizontal scroll at tablet and phone width, and screenshots.
 */
async function checkPage(name: string, title: RegExp, p: Page = page) {
  await settled(p);
  expect.soft(await p.title(), `${name}: title`).toMatch(title);
  const findings = await runAxe(p);
  const counts = axeCounts(findings);
  axeReport.push(
    `  ${name.padEnd(22)} critical ${counts.critical} · serious ${counts.serious} · moderate ${counts.moderate} · minor ${counts.minor}${findings.length ? ` (${findings.map((f) => f.id).join(', ')})` : ''}`,
  );
  await shoot(p, `ux-${name}-1440`);
  const overflows: string[] = [];
  for (const size of [TABLET, PHONE]) {
    await p.setViewportSize(size);
    await p.waitForTimeout(150);
    const { overflow, culprits } = await horizontalOverflow(p);
    if (overflow > 0) overflows.push(`${size.width} px: ${overflow} px too wide: ${culprits.join('; ')}`);
    if (size === PHONE) {
      await shoot(p, `ux-${name}-390`);
      // The phone layout is a page of its own: axe it too (e.g. the nav strip's contrast).
      findings.push(...(await runAxe(p)).filter((f) => !findings.some((g) => g.id === f.id)));
    }
  }
  await p.setViewportSize(DESKTOP);
  expect.soft(overflows, `${name}: horizontal scroll`).toEqual([]);
  expect.soft(describeFindings(blocking(findings)), `${name}: serious or critical axe violations`).toBe('');
}

it('shows an accessible, titled sign-in page', async () => {
  const signedOut = await h.browser.newContext({ viewport: DESKTOP });
  try {
    const p = await signedOut.newPage();
    await p.goto(`${h.url}/`);
    await p.getByLabel('E-mail').waitFor();
    await checkPage('login', /^Sign in · Pitchline$/, p);
  } finally {
    await signedOut.close();
  }
}, 60_000);

it('fits, titles and passes axe on every signed-in page', async () => {
  await page.goto(`${h.url}/`);
  await expect
    .poll(() => page.getByTestId('kpi-sessions').textContent(), { timeout: 30_000 })
    .toMatch(/[1-9]/);
  await checkPage('overview', /^Overview · Pitchline$/);

  await page.goto(`${h.url}/funnels`);
  await page.getByTestId('funnel-steps').waitFor({ timeout: 30_000 });
  await checkPage('funnels', /^Funnels · Pitchline$/);

  await page.goto(`${h.url}/revenue`);
  await page.getByTestId('revenue-summary').waitFor({ timeout: 30_000 });
  await checkPage('revenue', /^Revenue · Pitchline$/);

  await page.goto(`${h.url}/insights`);
  await page.getByTestId('last-prompts').waitFor({ timeout: 30_000 });
  await checkPage('insights', /^Voice insights · Pitchline$/);

  await page.goto(`${h.url}/conversations`);
  const results = page.getByTestId('session-results');
  await results.waitFor({ timeout: 30_000 });
  await checkPage('conversations', /^Conversations · Pitchline$/);

  await results.locator('tbody tr').first().getByRole('link').first().click();
  await page.getByTestId('transcript').waitFor({ timeout: 30_000 });
  found.transcript = new URL(page.url()).pathname;
  await checkPage('transcript', /^Conversation .+ · Pitchline$/);

  await page.goto(`${h.url}/experiments`);
  await page.locator('table.list').waitFor({ timeout: 30_000 });
  await checkPage('experiments', /^Experiments · Pitchline$/);

  await page.getByRole('link', { name: 'Yirgacheffe launch pitch' }).click();
  await page.getByTestId('results').locator('table').first().waitFor({ timeout: 30_000 });
  found.experiment = new URL(page.url()).pathname;
  await checkPage('experiment-results', /^Yirgacheffe launch pitch · Experiments · Pitchline$/);

  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByRole('button', { name: 'Save changes' }).waitFor({ timeout: 30_000 });
  await checkPage('experiment-editor', /^Edit Yirgacheffe launch pitch · Pitchline$/);

  await page.goto(`${h.url}/experiments/new`);
  await page
    .getByRole('button', { name: /Create/ })
    .first()
    .waitFor({ timeout: 30_000 });
  await checkPage('experiment-new', /^New experiment · Pitchline$/);

  await page.goto(`${h.url}/settings`);
  await page.getByRole('heading', { name: 'Members', exact: true }).waitFor({ timeout: 30_000 });
  await checkPage('settings', /^Settings · Pitchline$/);
  // Its sections opened: every disclosure and form shown at once.
  await page.evaluate(`document.querySelectorAll('main details').forEach((d) => { d.open = true; })`);
  await checkPage('settings-open', /^Settings · Pitchline$/);

  await page.goto(`${h.url}/alerts`);
  await page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor({ timeout: 30_000 });
  await checkPage('alerts', /^Alerts · Pitchline$/);

  await page.goto(`${h.url}/experimentz`);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  await checkPage('not-found', /^Page not found · Pitchline$/);
}, 300_000);

it('shows a real not-found page for a mistyped address, with a way back', async () => {
  await page.goto(`${h.url}/funels?from=2026-01-01`);
  const main = page.locator('main');
  await main.getByRole('heading', { name: 'Page not found' }).waitFor();
  const text = (await main.textContent()) ?? '';
  expect(text).toContain('/funels');
  expect(text).not.toMatch(/not available yet|will appear once/i);
  await main.getByRole('link', { name: 'Go to the overview' }).click();
  await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
  // A link to an experiment that does not exist (mistyped, or deleted) reads the same way.
  for (const at of [
    '/experiments/no-such-experiment',
    '/experiments/00000000-0000-4000-8000-000000000000/edit',
  ]) {
    await page.goto(`${h.url}${at}`);
    await main.getByRole('heading', { name: 'Page not found' }).waitFor({ timeout: 30_000 });
    expect(await page.title()).toBe('Page not found · Pitchline');
    expect(await main.textContent()).not.toContain('Something went wrong');
  }
}, 60_000);

it('reloads every page from its own address, a transcript whose id holds dots included', async () => {
  if (!found.transcript || !found.experiment)
    throw new Error('the pages test found no transcript or experiment');
  expect(decodeURIComponent(found.transcript)).toMatch(/^\/conversations\/.*\./);
  for (const [at, ready] of [
    [found.transcript, 'transcript'],
    ['/funnels', 'funnel-steps'],
    [found.experiment, 'results'],
  ] as const) {
    const res = await page.goto(`${h.url}${at}`);
    expect(res?.status(), at).toBe(200);
    await page.getByTestId(ready).waitFor({ timeout: 30_000 });
    await page.reload();
    await page.getByTestId(ready).waitFor({ timeout: 30_000 });
  }
  // The server still 404s a missing file that looks like one.
  expect((await fetch(`${h.url}/assets/missing-abc.js`)).status).toBe(404);
}, 90_000);

it('brings the drill-down into view with focus, counts its sessions and pages through all of them', async () => {
  await page.setViewportSize(PHONE);
  await page.goto(`${h.url}/funnels`);
  await page.getByTestId('funnel-steps').waitFor({ timeout: 30_000 });
  await settled(page);
  // The step with the most drop-offs: more than one page of them.
  const buttons = page.locator('[data-testid^="drill-"]');
  const labels = await buttons.allTextContents();
  const counts = labels.map((l) => Number(l.replace(/[^0-9]/g, '')));
  const biggest = counts.indexOf(Math.max(...counts));
  const total = counts[biggest] ?? 0;
  expect(total, 'a drop-off bigger than one page').toBeGreaterThan(50);
  expect(labels[biggest]).toMatch(/^[\d,]+ sessions: show them$/);
  await buttons.nth(biggest).click();
  const panel = page.getByTestId('dropoffs');
  await panel.locator('li').first().waitFor({ timeout: 30_000 });
  await pollInPage(
    page,
    `document.activeElement && document.activeElement.closest('[data-testid="dropoffs"]') !== null`,
  );
  // The panel's heading comes to the top third of the phone's screen.
  const headingTop = `document.getElementById('dropoffs-title').getBoundingClientRect().top`;
  await pollInPage(page, `${headingTop} >= -1 && ${headingTop} < window.innerHeight / 3`, 5_000).catch(
    async () => {
      throw new Error(`the drill-down's heading is at ${await page.evaluate(headingTop)} px of 844`);
    },
  );
  expect(await panel.textContent()).toContain(`${total.toLocaleString('en-US')} sessions`);
  // What the phone's screen shows once the panel opened (not the whole page).
  await page.screenshot({ path: path.join(SCREENSHOTS, 'ux-funnel-drilldown-390.png') });
  for (let i = 0; i < 20 && (await panel.getByRole('button', { name: /Show \d+ more/ }).count()) > 0; i++) {
    await panel.getByRole('button', { name: /Show \d+ more/ }).click();
    await expect.poll(() => panel.locator('li').count(), { timeout: 30_000 }).toBeGreaterThan(50 * (i + 1));
  }
  const ids = await panel
    .locator('li a')
    .evaluateAll((links) => links.map((a) => a.getAttribute('data-session-id')));
  expect(ids.length).toBe(total);
  expect(new Set(ids).size).toBe(total);
  expect(await panel.textContent()).toContain(`all ${total.toLocaleString('en-US')} sessions`);
  await page.setViewportSize(DESKTOP);
}, 120_000);

it('words every drill-down count in the right number ("1 session: show it")', async () => {
  await page.goto(`${h.url}/funnels`);
  await page.getByTestId('funnel-steps').waitFor({ timeout: 30_000 });
  await settled(page);
  const labels = await page.locator('[data-testid^="drill-"]').allTextContents();
  expect(labels.length).toBeGreaterThan(0);
  for (const l of labels) {
    const n = Number(l.replace(/[^0-9]/g, ''));
    expect(l).toMatch(n === 1 ? /^1 session: show it$/ : /^[\d,]+ sessions: show them$/);
  }
}, 60_000);

it('reaches chart data by keyboard: no chart takes focus, its table opens from a button', async () => {
  await page.goto(`${h.url}/revenue`);
  await page.getByTestId('revenue-summary').waitFor({ timeout: 30_000 });
  await settled(page);
  const focusableInCharts = await page.evaluate(
    `[...document.querySelectorAll('.chart [tabindex], .chart a, .chart button')].filter((e) => e.tabIndex >= 0 && !e.closest('[inert]')).length`,
  );
  expect(focusableInCharts).toBe(0);
  // Tab to the first "Show table" and open it with the keyboard.
  const showTable = page.getByRole('button', { name: 'Show table' }).first();
  await showTable.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByRole('button', { name: 'Show chart' }).count()).toBeGreaterThan(0);
  // Focus is visible: the focused button draws an outline.
  const outline = (await page.evaluate(
    `getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).outlineWidth`,
  )) as string;
  expect(outline).not.toMatch(/^none|\b0px/);
}, 60_000);

it('keeps the one-time link pages and the setup page accessible', async () => {
  const fresh = await h.browser.newContext({ viewport: DESKTOP });
  try {
    const p = await fresh.newPage();
    await p.goto(`${h.url}/invite`);
    await p.locator('h1').first().waitFor();
    await checkPage('invite', /· Pitchline$/, p);
    await p.goto(`${h.url}/reset`);
    await p.locator('h1').first().waitFor();
    await checkPage('reset', /· Pitchline$/, p);
    const { issueSetupToken } = await import('@pitchline/db');
    const { token } = await issueSetupToken(h.pitchline.stores.database.db);
    await p.goto(`${h.url}/setup?token=${token}`);
    await p.getByRole('button', { name: 'Create owner' }).waitFor();
    await checkPage('setup', /Pitchline/, p);
  } finally {
    await fresh.close();
  }
}, 90_000);
