import { buildIntentRequest, resolutionAuthority, staticResolution } from '@pitchline/alexa-kit/nlu';
import { DEMO_ACCESS_TOKEN, DEMO_SKILL_ID } from '@pitchline/db';
import { interactionModel } from '@pitchline/voice-model';
import type { ResponseEnvelope } from 'ask-sdk-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, eventsOf, type Harness, said } from './testing/harness';

/**
 * "two of those", "the second one", a one-shot "tell me about colombia huila": through the real skill
 * app, signed, with the demo catalog, and what the turn events then say about catalog gaps.
 */

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

type Cart = { productId: string; quantity: number }[];
const cartOf = (r: ResponseEnvelope) => (r.sessionAttributes as { cart: Cart }).cart;

async function productId(name: string): Promise<string> {
  const convo = h.conversation();
  const r = await convo.say('ProductDetailsIntent', { product: name });
  return (r.sessionAttributes as { lastProductId: string }).lastProductId;
}

/** The turn events of one session, and the slot values they record as catalog gaps (no_match). */
function gapsOf(sessionId: string): string[] {
  return eventsOf(h.events, 'turn')
    .filter((t) => t.session_id === sessionId)
    .flatMap((t) => t.slots.filter((s) => s.resolution === 'no_match').map((s) => s.value));
}

describe('references to what the shopper just heard', () => {
  it('pitch → "add two of those" puts 2 of the pitched product in the cart, and records no gap', async () => {
    const huila = await productId('colombia huila');
    const convo = h.conversation();
    await convo.launch();
    const pitch = await convo.say('ProductDetailsIntent', { product: 'colombia huila' });
    expect(said(pitch)).toContain('Colombia Huila');

    // The shape of the reported bug: the count in the quantity slot, "of those" in the product slot.
    const add = await convo.say('AddToCartIntent', { quantity: '2', product: 'of those' });
    expect(said(add)).toContain('Added 2 Colombia Huila');
    expect(said(add)).not.toMatch(/don't have/);
    expect(cartOf(add)).toEqual([{ productId: huila, quantity: 2 }]);

    // The shape the model now gives it: "add {quantity} of {reference}".
    const more = await convo.say('AddToCartIntent', { quantity: '2', reference: 'those' });
    expect(said(more)).toContain('Added 2 Colombia Huila');
    expect(cartOf(more)).toEqual([{ productId: huila, quantity: 4 }]);
    // "this one" after the add: the product just added is still in focus.
    const once = await convo.say('AddToCartIntent', { reference: 'this one' });
    expect(cartOf(once)).toEqual([{ productId: huila, quantity: 5 }]);
    // "add two more", as "add {quantity} {product}" would hear it.
    const twoMore = await convo.say('AddToCartIntent', { quantity: '2', product: 'more' });
    expect(cartOf(twoMore)).toEqual([{ productId: huila, quantity: 7 }]);
    const both = await convo.say('AddToCartIntent', { product: 'both' });
    expect(said(both)).toBe(
      "Let's take them one at a time. Which product do you mean? You can say its name.",
    );

    const adds = eventsOf(h.events, 'cart_add').filter((e) => e.session_id === convo.session.sessionId);
    expect(adds.map((e) => e.quantity)).toEqual([2, 2, 1, 2]);
    expect(gapsOf(convo.session.sessionId)).toEqual([]);
    const turns = eventsOf(h.events, 'turn').filter((t) => t.session_id === convo.session.sessionId);
    expect(turns.find((t) => t.slots.some((s) => s.value === 'of those'))?.slots).toContainEqual({
      name: 'product',
      value: 'of those',
      resolved_id: huila,
      resolved_value: 'Colombia Huila',
      resolution: 'match',
    });
  });

  it('list → "the second one" is the second product heard, "the last one" the last, on every page', async () => {
    const convo = h.conversation();
    await convo.launch();
    const list = await convo.say('BrowseCatalogIntent', { category: 'brewing gear' });
    // Heard in this order: the ordinals must count the same way.
    const heard = [
      ...said(list).matchAll(/(Pour-Over Dripper|Burr Grinder|Gooseneck Kettle|Cold Brew Bottle)/g),
    ];
    expect(heard).toHaveLength(4);
    const second = heard[1]?.[1] as string;

    const details = await convo.say('ProductDetailsIntent', { reference: 'the second one' });
    expect(said(details)).toContain(second);
    expect(said(details)).toMatch(/add it to your cart/);
    // The pitched product is now in focus: "add it" adds it.
    const add = await convo.say('AddToCartIntent', { reference: 'it' });
    expect(said(add)).toContain(`Added 1 ${second}`);
    const last = await convo.say('AddToCartIntent', { quantity: '3', reference: 'the last one' });
    expect(said(last)).toContain(`Added 3 ${heard[3]?.[1]}`);

    const tooFar = await convo.say('ProductDetailsIntent', { reference: 'the fifth one' });
    expect(said(tooFar)).toBe(
      "That list had only 4 items, so there's no fifth one. You can say the first, the second, the third or the fourth one, or a product name.",
    );

    // A search with more matches than a page: "the first one" after "next" is the first of page two.
    const search = await convo.say('SearchProductIntent', { query: 'coffee' });
    expect(said(search)).toMatch(/Say next for more/);
    const page2 = await convo.say('AMAZON.NextIntent');
    const firstOnPage2 = /^Next: (.+?) for \$/.exec(said(page2))?.[1];
    expect(firstOnPage2).toBeTruthy();
    const picked = await convo.say('ProductDetailsIntent', { reference: 'the first one' });
    expect(said(picked)).toContain(firstOnPage2);

    // The cart read out is a list too.
    const review = await convo.say('ReviewCartIntent');
    expect(said(review)).toMatch(new RegExp(`In your cart: 1 ${second}`));
    const removed = await convo.say('RemoveFromCartIntent', { reference: 'the first one' });
    expect(said(removed)).toContain(`Removed 1 ${second}`);
    expect(gapsOf(convo.session.sessionId)).toEqual([]);
  });

  it('with nothing in focus, a pronoun gets a question, not "we don\'t have", and no gap', async () => {
    // A one-shot "ask northwind shop to add two of those": a new session, nothing heard yet.
    const envelope = buildIntentRequest(
      'AddToCartIntent',
      { quantity: '2', reference: 'those' },
      {
        model: interactionModel,
        newSession: true,
        applicationId: DEMO_SKILL_ID,
        accessToken: DEMO_ACCESS_TOKEN,
      },
    );
    const answer = await h.send(envelope);
    expect(said(answer)).toBe('Which product do you mean? You can say its name.');
    expect(answer.response.shouldEndSession).toBe(false);
    expect((answer.sessionAttributes as { cart: Cart }).cart).toEqual([]);
    const sessionId = envelope.session?.sessionId as string;
    expect(gapsOf(sessionId)).toEqual([]);
    const turn = eventsOf(h.events, 'turn').find((t) => t.session_id === sessionId);
    expect(turn?.slots).toContainEqual({ name: 'reference', value: 'those', resolution: 'none' });

    // "the second one" before any list.
    const convo = h.conversation();
    await convo.launch();
    const noList = await convo.say('ProductDetailsIntent', { product: 'the second one' });
    expect(said(noList)).toBe(
      "I haven't read you a list just now. Which product do you mean? You can say its name.",
    );
    expect(gapsOf(convo.session.sessionId)).toEqual([]);

    // A real unknown product is still a gap: the check above can fail.
    const jetSki = await convo.say('AddToCartIntent', { product: 'jet ski' });
    expect(said(jetSki)).toContain("Sorry, we don't have jet ski");
    expect(gapsOf(convo.session.sessionId)).toEqual(['jet ski']);
  });
});

describe('a list of categories', () => {
  it('"the second one" opens the second category heard; past the end is said plainly', async () => {
    const convo = h.conversation();
    await convo.launch();
    const list = await convo.say('BrowseCatalogIntent');
    const heard = /^We have (.+?)\. /.exec(said(list))?.[1]?.split(/, | and /) ?? [];
    expect(heard.length).toBeGreaterThanOrEqual(3);
    const second = await convo.say('ProductDetailsIntent', { reference: 'the second one' });
    expect(said(second)).toMatch(new RegExp(`^In ${heard[1]}, we have `));
    // That listing is of products now: "the first one" is its first product.
    const first = /we have (.+?) for \$/.exec(said(second))?.[1] as string;
    expect(said(await convo.say('AddToCartIntent', { reference: 'the first one' }))).toContain(
      `Added 1 ${first}`,
    );

    await convo.say('BrowseCatalogIntent');
    const tooFar = await convo.say('AddToCartIntent', { reference: 'the ninth one' });
    expect(said(tooFar)).toMatch(
      new RegExp(`^That list had only ${heard.length} items, so there's no ninth one\\.`),
    );
    expect(gapsOf(convo.session.sessionId)).toEqual([]);
  });
});

describe('starting over', () => {
  it('forgets what "it" and "the second one" pointed at', async () => {
    const convo = h.conversation();
    await convo.launch();
    await convo.say('BrowseCatalogIntent', { category: 'coffee' });
    await convo.say('AMAZON.NavigateHomeIntent');
    const second = await convo.say('ProductDetailsIntent', { reference: 'the second one' });
    expect(said(second)).toMatch(/^I haven't read you a list just now\./);
    const pronoun = await convo.say('AddToCartIntent', { reference: 'it' });
    expect(said(pronoun)).toBe('Which product do you mean? You can say its name.');
  });
});

describe('one-shot requests', () => {
  it('"ask northwind shop to tell me about colombia huila" with a static no-match finds it in the live catalog', async () => {
    // As Alexa sends it: no LaunchRequest, session.new, and only the static model's resolution,
    // which (a catalog newer than the model, or a model with example values) answers no-match.
    const envelope = buildIntentRequest(
      'ProductDetailsIntent',
      { product: 'colombia huila' },
      {
        model: interactionModel,
        newSession: true,
        applicationId: DEMO_SKILL_ID,
        accessToken: DEMO_ACCESS_TOKEN,
        resolutions: {
          product: { resolutionsPerAuthority: [resolutionAuthority(DEMO_SKILL_ID, 'PRODUCT', undefined)] },
        },
      },
    );
    const answer = await h.send(envelope);
    expect(said(answer)).toContain('Colombia Huila');
    expect(said(answer)).not.toMatch(/don't have/);
    expect(said(answer)).toMatch(/add it to your cart/);
    // The first response of the session teaches Alexa the catalog for the turns that follow.
    expect(answer.response.directives?.map((d) => d.type)).toContain('Dialog.UpdateDynamicEntities');
    const sessionId = envelope.session?.sessionId as string;
    expect(gapsOf(sessionId)).toEqual([]);
    const turn = eventsOf(h.events, 'turn').find((t) => t.session_id === sessionId);
    expect(turn?.slots[0]).toMatchObject({
      name: 'product',
      resolved_value: 'Colombia Huila',
      resolution: 'match',
    });

    // And the static model now carries the catalog: Alexa's own static match maps onto it too.
    const shot = buildIntentRequest(
      'AddToCartIntent',
      { product: 'huila', quantity: '2' },
      {
        model: interactionModel,
        newSession: true,
        applicationId: DEMO_SKILL_ID,
        accessToken: DEMO_ACCESS_TOKEN,
        resolutions: { product: staticResolution(interactionModel, DEMO_SKILL_ID, 'PRODUCT', 'huila') },
      },
    );
    expect(said(await h.send(shot))).toContain('Added 2 Colombia Huila');
  });
});
