import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_OWNER_EMAIL, DEMO_PASSWORD } from '@pitchline/db';
import { listen, type RunningHttpServer } from '@pitchline/runtime/http';
import { createLogger } from '@pitchline/runtime/logger';
import { type Browser, chromium, type Page } from 'playwright-core';
import { loadEnv } from '../env';
import { type Pitchline, startPitchline } from '../pitchline';

/*
 * One server on the demo data and one chromium for a browser test file (issue 15's layout,
 * accessibility and forms files share it): starting either costs seconds, so a file starts them once.
 */

const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../../../.artifacts/screenshots');
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };
export const TABLET = { width: 768, height: 1024 };

export interface BrowserHarness {
  url: string;
  /** The server's DATA_DIR (its development CA signs Alexa requests from the tests). */
  dataDir: string;
  pitchline: Pitchline;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * `demoHistory: false` skips replaying the demo's 30 days, for tests that need the seeded accounts only;
 * `env` adds server settings (e.g. a faster alert evaluation).
 */
export async function startBrowserHarness(
  name: string,
  options: { demoHistory?: boolean; env?: Record<string, string> } = {},
): Promise<BrowserHarness> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const dataDir = await mkdtemp(path.join(tmpdir(), `pitchline-e2e-${name}-`));
  const env = loadEnv({ ...options.env, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0' });
  if (!existsSync(path.join(env.dashboardDistDir, 'index.html'))) {
    throw new Error('the dashboard is not built: npm run build -w @pitchline/dashboard');
  }
  await mkdir(SCREENSHOTS, { recursive: true });
  const pitchline = await startPitchline(env, createLogger('silent'));
  const server: RunningHttpServer = await listen(pitchline.app, { port: 0, host: '127.0.0.1' });
  if (options.demoHistory !== false) {
    const history = await pitchline.startDemoHistory();
    if (!history?.complete) throw new Error('the demo history did not replay');
    await pitchline.stores.events.flush();
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-sync',
    ],
  });
  return {
    url: server.url,
    dataDir,
    pitchline,
    browser,
    async close() {
      await browser.close();
      await server.close(1_000);
      await pitchline.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function signIn(p: Page, url: string, at: string) {
  await p.goto(`${url}${at}`);
  await p.locator('main h1, input[type="password"]').first().waitFor();
  if ((await p.locator('input[type="password"]').count()) > 0) {
    await p.getByLabel('E-mail').fill(DEMO_OWNER_EMAIL);
    await p.getByLabel('Password').fill(DEMO_PASSWORD);
    await p.getByRole('button', { name: 'Sign in' }).click();
  }
  // The signed-in shell: its navigation (the sign-in page has a main landmark and an h1 too).
  await p.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 30_000 });
  await p.locator('main h1').first().waitFor();
}

/** Waits until no loading state is left on the page (every query answered). */
export async function settled(p: Page) {
  // Strings, evaluated in the page (this file compiles without the DOM's types).
  const pending = `[...document.querySelectorAll('.state[role="status"]'),
     ...[...document.querySelectorAll('.verdict, .muted')].filter((e) => e.textContent === '…')]`;
  // Polled with page.evaluate (run through the DevTools protocol): waitForFunction evaluates its
  // predicate with eval inside the page, which the SPA's Content-Security-Policy rightly refuses.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const left = (await p.evaluate(`${pending}.map((e) => e.outerHTML.slice(0, 200))`)) as string[];
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`still loading on ${p.url()}: ${JSON.stringify(left)}`);
    await p.waitForTimeout(100);
  }
}

/** Polls a page expression (a string, run through DevTools) until it is truthy. */
export async function pollInPage(p: Page, expression: string, timeoutMs = 15_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await p.evaluate(expression);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`never true on ${p.url()}: ${expression}`);
    await p.waitForTimeout(100);
  }
}

/**
 * How much wider than the viewport the document is (0: no horizontal scroll), and what sticks out: the
 * outermost elements past the right edge that no scrolling or clipping ancestor contains.
 */
export async function horizontalOverflow(p: Page): Promise<{ overflow: number; culprits: string[] }> {
  return (await p.evaluate(`(() => {
    const vw = document.documentElement.clientWidth;
    const overflow = document.documentElement.scrollWidth - vw;
    if (overflow <= 0) return { overflow, culprits: [] };
    const contained = (e) => {
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      return false;
    };
    const past = (e) => e.getClientRects().length > 0 && e.getBoundingClientRect().right > vw + 1;
    // Text wider than its box (a long unbroken word) widens the page without any element doing so.
    const spills = (e) => getComputedStyle(e).overflowX === 'visible' && e.clientWidth > 0 &&
      e.scrollWidth > e.clientWidth + 1 && ![...e.children].some((c) => c.scrollWidth > c.clientWidth + 1 && c.clientWidth > 0);
    const culprits = [...document.querySelectorAll('body *')]
      .filter((e) => !contained(e) && ((past(e) && !(e.parentElement && past(e.parentElement))) || spills(e)))
      .slice(0, 8)
      .map((e) => e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : '') + ' right=' + Math.round(e.getBoundingClientRect().right));
    return { overflow, culprits };
  })()`)) as { overflow: number; culprits: string[] };
}

let axeSource: string | undefined;

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core in the page. Its source goes in through DevTools (page.evaluate), which the page's
 * Content-Security-Policy does not govern: an injected <script> would be refused, as it should be,
 * and the production policy stays as it is.
 */
export async function runAxe(p: Page): Promise<AxeFinding[]> {
  if (!axeSource) {
    const require = createRequire(import.meta.url);
    axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  }
  if (!(await p.evaluate('typeof window.axe === "object"'))) await p.evaluate(axeSource);
  return (await p.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact || 'none', help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 240)) })))`)) as AxeFinding[];
}

/** axe's counts by impact, as printed per page. */
export function axeCounts(
  findings: AxeFinding[],
): Record<'critical' | 'serious' | 'moderate' | 'minor', number> {
  const counts = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  for (const f of findings) {
    if (f.impact in counts) counts[f.impact as keyof typeof counts] += 1;
  }
  return counts;
}

export const blocking = (findings: AxeFinding[]) =>
  findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');

export const shoot = (p: Page, name: string) =>
  p.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
