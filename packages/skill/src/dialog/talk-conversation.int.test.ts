import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TalkConversation } from '@pitchline/alexa-kit/conversation';
import { loadOrCreateDevSigner } from '@pitchline/alexa-kit/dev-ca';
import { DEMO_SKILL_ID } from '@pitchline/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../dialog/testing/harness';

let h: Harness;
let dir: string;
let talk: TalkConversation;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pitchline-talk-'));
  const { signer, ca } = await loadOrCreateDevSigner(dir);
  h = await createHarness({
    verification: { enabled: true, trustedRootsPem: [ca.certPem], preloadedChainsDir: join(dir, 'chains') },
  });
  talk = new TalkConversation(
    async (body, headers) => h.app.request('/alexa', { method: 'POST', body, headers }),
    signer,
    { applicationId: DEMO_SKILL_ID, accessToken: 'demo-access-token', screen: true },
  );
}, 60_000);
afterAll(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('talk', () => {
  it('holds a typed conversation through the signed endpoint', async () => {
    const launch = await talk.say('open northwind shop');
    expect(launch?.request).toBe('LaunchRequest');
    expect(launch?.speech).toContain('Welcome to Northwind Coffee Roasters');
    expect(launch?.card).toContain('Northwind Coffee Roasters');
    const add = await talk.say('add two burr grinders to my cart');
    expect(add?.request).toContain('AddToCartIntent');
    expect(add?.speech).toContain('Added 2 Burr Grinder');
    const review = await talk.say("what's in my cart");
    expect(review?.speech).toContain('$258.00');
    await talk.say('check out');
    const placed = await talk.say('yes');
    expect(placed?.ended).toBe(true);
    // A new session, the same shopper: the order just placed is theirs.
    const status = await talk.say('where is my order');
    expect(status?.speech).toContain('$258.00');
    const bye = await talk.say('stop');
    expect(bye?.ended).toBe(true);
    expect(await talk.say('   ')).toBeNull();
  });
});
