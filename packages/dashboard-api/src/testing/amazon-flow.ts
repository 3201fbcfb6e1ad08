import { expect } from 'vitest';
import type { AmazonFake } from './amazon-fake';
import { type Client, ORIGIN } from './harness';

/** The callback the harness's app answers (it is mounted at the root, not under /api). */
export const TEST_REDIRECT_URI = `${ORIGIN}/amazon/callback`;

/**
 * The browser's part of "Connect Amazon": our connect route's redirect, the (fake) Amazon authorize page's
 * redirect back with a code, then our callback. Returns where the callback sent the browser and the
 * callback's path (to replay it).
 */
export async function connectAmazon(client: Client, fake: AmazonFake) {
  const start = await client.request('GET', '/amazon/connect');
  expect(start.status).toBe(302);
  const toAmazon = new URL(start.headers.get('location') ?? '');
  expect(toAmazon.origin).toBe(fake.url);
  const consent = await fetch(toAmazon, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const back = new URL(consent.headers.get('location') ?? '');
  const callbackPath = `${back.pathname}${back.search}`;
  const done = await client.request('GET', callbackPath);
  expect(done.status).toBe(302);
  return { outcome: done.headers.get('location'), callbackPath, state: back.searchParams.get('state') ?? '' };
}
