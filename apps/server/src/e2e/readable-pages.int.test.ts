import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type BrowserHarness,
  SCREENSHOTS,
  settled,
  signIn as signInAt,
  startBrowserHarness,
} from './browser-harness.testing';

/*
 * Issue 12 in a real browser, on the demo data: every page reads as words and numbers a person can
 * trust (no UUID, no HTML entity, no NaN/Infinity/undefined, no number with more than 4 decimals in
 * the visible text), the picker refuses an inverted range without asking the server, and a link copied
 * with a non-default range shows the same figures in a fresh browser context. One server, one browser;
 * each page is also photographed at desktop and phone width into .artifacts/screenshots (git-ignored).
 */

let h: BrowserHarness;
let context: BrowserContext;
let page: Page;
let url: string;

beforeAll(async () => {
  h = await startBrowserHarness('readable');
  url = h.url;
  context = await h.browser.newContext({ viewport: { width: 1280, height: 860 } });
  page = await context.newPage();
}, 240_000);

afterAll(async () => {
  await context?.close();
  await h?.close();
}, 60_000);

const signIn = (p: Page, at: string) => signInAt(p, url, at);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const ENTITY = /&(?:[a-z][a-z0-9]*|#[0-9]+|#x[0-9a-f]+);/i;
const NOT_A_NUMBER = /\bNaN\b|Infinity|\bundefined\b|\bnull\b/;
const LONG_DECIMAL = /\d\.\d{5,}/;

/** What a person sees that a machine wrote: each offending line, with the rule it breaks. */
function machineText(text: string): string[] {
  return text.split('\n').flatMap((line) => {
    const broken: string[] = [];
    if (UUID.test(line)) broken.push('UUID');
    if (ENTITY.test(line)) broken.push('HTML entity');
    if (NOT_A_NUMBER.test(line)) broken.push('NaN/Infinity/undefined/null');
    if (LONG_DECIMAL.test(line)) broken.push('more than 4 decimals');
    return broken.map((rule) => `${rule}: ${line.trim().slice(0, 160)}`);
  });
}

async function checkAndShoot(name: string) {
  await settled(page);
  const text = String(await page.evaluate('document.body.innerText'));
  expect(text.length, `${name} shows something`).toBeGreaterThan(50);
  expect(machineText(text), `machine text on ${name}`).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, `readable-${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(SCREENSHOTS, `readable-${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 860 });
}

it('finds the text checks able to fail', () => {
  expect(machineText('Product 01a2510b-1c2d-4e5f-8a9b-0c1d2e3f4a5b')).toHaveLength(1);
  expect(machineText('Northwind&apos;s\n8.356539726257324 ms\n+Infinity%\nNaN')).toHaveLength(4);
  expect(machineText('Roasters’ pick · $3,165.00 · 8.4 ms · 24.3% · p < 0.0001 · 0.0123')).toEqual([]);
});

it('shows every page in words and readable numbers', async () => {
  await signIn(page, '/');
  await expect
    .poll(() => page.getByTestId('kpi-sessions').textContent(), { timeout: 30_000 })
    .toMatch(/[1-9]/);
  // The comparison settles: a change, or why there is none ("previous period: 3 days of data").
  await expect
    .poll(() => page.getByTestId('kpi-sessions-compare').textContent(), { timeout: 30_000 })
    .toMatch(/vs previous period|previous period: (\d+ days? of data|no data)/);
  await checkAndShoot('overview');

  await page.goto(`${url}/funnels`);
  await page.getByTestId('funnel-steps').waitFor({ timeout: 30_000 });
  await checkAndShoot('funnels');

  await page.goto(`${url}/revenue`);
  await page.getByTestId('revenue-summary').waitFor({ timeout: 30_000 });
  await checkAndShoot('revenue');

  await page.goto(`${url}/insights`);
  await page.getByRole('heading', { name: 'Top intents', exact: true }).waitFor({ timeout: 30_000 });
  // Speech reads as words; its SSML is one click away.
  await page.getByTestId('last-prompts').waitFor();
  await checkAndShoot('insights');
  const firstSsml = page.getByTestId('last-prompts').locator('details.raw-ssml').first();
  await firstSsml.locator('summary').click();
  expect(await firstSsml.locator('pre').textContent()).toMatch(/<speak>|<break|&/);

  await page.goto(`${url}/conversations`);
  const results = page.getByTestId('session-results');
  await results.waitFor({ timeout: 30_000 });
  await checkAndShoot('conversations');

  await results.locator('tbody tr').first().getByRole('link').click();
  await page.getByTestId('transcript').waitFor({ timeout: 30_000 });
  await checkAndShoot('transcript');

  await page.goto(`${url}/experiments`);
  await page.locator('table.list').waitFor({ timeout: 30_000 });
  await checkAndShoot('experiments');

  await page.getByRole('link', { name: 'Yirgacheffe launch pitch' }).click();
  await page.getByTestId('results').waitFor({ timeout: 30_000 });
  await page.getByTestId('results').locator('table').first().waitFor();
  await checkAndShoot('experiment-results');
  // "How is this calculated" opens the catalogue's definition beside the figure.
  await page.getByTestId('how-experiment_conversion').click();
  expect(await page.getByRole('note').textContent()).toContain('conversion window');

  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByRole('button', { name: 'Save changes' }).waitFor({ timeout: 30_000 });
  await checkAndShoot('experiment-editor');

  await page.goto(`${url}/settings`);
  await page.getByRole('heading', { name: 'Members', exact: true }).waitFor({ timeout: 30_000 });
  await checkAndShoot('settings');
}, 240_000);

it('refuses an inverted range in the picker, in words, and asks the server nothing', async () => {
  await page.goto(`${url}/revenue`);
  await page.getByTestId('revenue-summary').waitFor({ timeout: 30_000 });
  await settled(page);
  const before = new URL(page.url()).search;
  const asked: string[] = [];
  const record = (r: { url(): string }) => {
    if (r.url().includes('/api/analytics/')) asked.push(r.url());
  };
  page.on('request', record);
  try {
    const to = await page.getByTestId('range-to').inputValue();
    // A start after the end.
    await page.getByTestId('range-from').fill(`${Number(to.slice(0, 4)) + 1}${to.slice(4)}`);
    await expect
      .poll(() => page.getByTestId('range-problem').textContent())
      .toContain('The start date is after the end date.');
    expect(await page.getByTestId('range-from').getAttribute('aria-invalid')).toBe('true');
    expect(new URL(page.url()).search).toBe(before);
    expect(asked).toEqual([]);
  } finally {
    page.off('request', record);
  }
}, 60_000);

/** The headline figures a colleague compares: the overview's four, the funnel's first step. */
async function overviewFigures(p: Page): Promise<string[]> {
  await expect.poll(() => p.getByTestId('kpi-sessions').textContent(), { timeout: 30_000 }).toMatch(/[0-9]/);
  await settled(p);
  return Promise.all(
    ['kpi-revenue', 'kpi-orders', 'kpi-conversion', 'kpi-sessions'].map(
      async (id) => (await p.getByTestId(id).textContent()) ?? '',
    ),
  );
}

it('opens a copied link with a non-default range in a fresh browser context with the same figures', async () => {
  await page.goto(`${url}/`);
  const defaults = await overviewFigures(page);
  const to = await page.getByTestId('range-to').inputValue();
  // Eight days ending ten days ago: neither a preset nor the default.
  const end = new Date(`${to}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() - 10);
  const start = new Date(end);
  start.setUTCDate(start.getUTCDate() - 7);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  await page.getByTestId('range-from').fill(day(start));
  await page.getByTestId('range-to').fill(day(end));
  await expect.poll(() => new URL(page.url()).searchParams.get('to')).toBe(day(end));
  expect(new URL(page.url()).searchParams.get('from')).toBe(day(start));
  await expect.poll(() => overviewFigures(page), { timeout: 30_000 }).not.toEqual(defaults);
  const figures = await overviewFigures(page);

  // The nav keeps the range: the funnel of the same days.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Funnels' }).click();
  await page.getByTestId('funnel-steps').waitFor({ timeout: 30_000 });
  expect(new URL(page.url()).searchParams.get('from')).toBe(day(start));
  await settled(page);
  const firstStep = await page
    .getByTestId('funnel-steps')
    .locator('tbody tr')
    .first()
    .locator('td')
    .nth(2)
    .textContent();
  const funnelLink = page.url();
  const overviewLink = `${url}/${new URL(funnelLink).search}`;

  const fresh = await h.browser.newContext({ viewport: { width: 1280, height: 860 } });
  try {
    const other = await fresh.newPage();
    await signIn(other, new URL(overviewLink).pathname + new URL(overviewLink).search);
    expect(new URL(other.url()).searchParams.get('from')).toBe(day(start));
    expect(await overviewFigures(other)).toEqual(figures);
    await other.goto(funnelLink);
    await other.getByTestId('funnel-steps').waitFor({ timeout: 30_000 });
    await settled(other);
    expect(
      await other.getByTestId('funnel-steps').locator('tbody tr').first().locator('td').nth(2).textContent(),
    ).toBe(firstStep);
    await other.screenshot({ path: path.join(SCREENSHOTS, 'readable-shared-link.png'), fullPage: true });
  } finally {
    await fresh.close();
  }
}, 120_000);
