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
    // The launch offers to "hear what else we have": the natural answer to it browses.
    const browse = await talk.say('what else do you have');
    expect(browse?.request).toBe('BrowseCatalogIntent');
    expect(browse?.speech).toContain('We have Coffee, Brewing Gear');
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

  it('understands typed references: "two of those", "the second one", "the last one", out of range, nothing in focus', async () => {
    await talk.say('open northwind shop');
    expect((await talk.say('tell me about colombia huila'))?.speech).toContain('Colombia Huila');
    const two = await talk.say('add two of those to my cart');
    expect(two?.request).toBe('AddToCartIntent quantity=2 reference=those');
    expect(two?.speech).toContain('Added 2 Colombia Huila');
    const list = await talk.say('browse brewing gear');
    const heard = [...(list?.speech ?? '').matchAll(/(?:have |, | and )([A-Z][\w -]+?) for \$/g)].map(
      (m) => m[1],
    );
    expect(heard).toHaveLength(4);
    const second = await talk.say('the second one');
    expect(second?.request).toBe('ProductDetailsIntent reference=the second one');
    expect(second?.speech).toContain(heard[1]);
    expect((await talk.say('add it'))?.speech).toContain(`Added 1 ${heard[1]}`);
    expect((await talk.say('the fifth one'))?.speech).toMatch(
      /^That list had only 4 items, so there's no fifth one\./,
    );
    expect((await talk.say('add three of the last one'))?.speech).toContain(`Added 3 ${heard[3]}`);
    expect((await talk.say('stop'))?.ended).toBe(true);
    const nothing = await talk.say('ask northwind shop to add two of those');
    expect(nothing?.speech).toBe('Which product do you mean? You can say its name.');
    await talk.say('stop');
    // A one-shot opens a session with only the static model to resolve against: it says no-match for
    // a name it does not list, and the live catalog still finds the product.
    const oneShot = await talk.say('ask northwind shop to tell me about colombia huila coffee');
    expect(oneShot?.resolutions).toEqual(['product: static no-match']);
    expect(oneShot?.speech).toMatch(/^Colombia Huila is/);
    // The skill has now sent its catalog: the next turn carries the dynamic verdict too.
    const next = await talk.say('add two huila');
    expect(next?.resolutions).toEqual([
      'product: dynamic match "Colombia Huila", static match "colombia huila"',
    ]);
    expect(next?.speech).toContain('Added 2 Colombia Huila');
    await talk.say('stop');
  });
});
