import { SSML_MAX_CHARS, validateSsml } from '@pitchline/core';
import { DEMO_MERCHANT_ID, products } from '@pitchline/db';
import type { ResponseEnvelope } from 'ask-sdk-model';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DYNAMIC_ENTITIES } from '../catalog/dynamic-entities';
import { PAGE_SIZE } from '../catalog/paginate';
import { RESPONSE_MAX_BYTES, responseBytes } from './limits';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from './session';
import { createHarness, type Harness, speech } from './testing/harness';

let h: Harness;

/** Each of these characters becomes a 4–6 character entity in SSML: the worst case for length. */
const NASTY = `"&'<>`;
const nastyName = (i: number) => `${String(i).padStart(3, '0')} ${NASTY.repeat(60)}`.slice(0, 200);

function expectWithinLimits(response: ResponseEnvelope) {
  const ssml = speech(response);
  expect(ssml.length).toBeLessThanOrEqual(SSML_MAX_CHARS);
  expect(validateSsml(ssml)).toEqual({ ok: true });
  const reprompt = response.response.reprompt?.outputSpeech;
  if (reprompt?.type === 'SSML') expect(validateSsml(reprompt.ssml)).toEqual({ ok: true });
  expect(responseBytes(response)).toBeLessThanOrEqual(RESPONSE_MAX_BYTES);
  // Fitting by design, not by the last-resort trimming in limits.ts.
  expect(h.metrics.responsesTrimmed).toBe(0);
}

beforeAll(async () => {
  h = await createHarness();
  // The largest catalog the skill must cope with: 150 products with 200-character names of the
  // characters escaping inflates most, many synonyms each, a featured one with a long pitch.
  await h.database.db
    .update(products)
    .set({ featured: false })
    .where(eq(products.merchantId, DEMO_MERCHANT_ID));
  await h.database.db.insert(products).values(
    Array.from({ length: 150 }, (_, i) => ({
      merchantId: DEMO_MERCHANT_ID,
      name: nastyName(i),
      description: NASTY.repeat(400),
      category: i < 40 ? 'Worst & "Longest" <Category>' : `Category ${i % 7}`,
      priceAmount: 9_999_999,
      currency: 'USD',
      featured: i === 0,
      defaultPitch: `{{product}} costs {{price}}. ${'Truly a fine thing to own. '.repeat(150)}`,
      synonyms: Array.from({ length: 12 }, (_, j) => `${nastyName(i)} synonym ${j}`),
    })),
  );
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('Alexa response limits', () => {
  it('launch with the largest catalog: pitch, card and dynamic entities fit', async () => {
    const convo = h.conversation({ screen: true });
    const launch = await convo.launch();
    expectWithinLimits(launch);
    const directive = launch.response.directives?.find((d) => d.type === 'Dialog.UpdateDynamicEntities') as
      | { types: { values: unknown[] }[] }
      | undefined;
    const entities = directive?.types.reduce((n, t) => n + t.values.length, 0) ?? 0;
    expect(entities).toBeGreaterThan(0);
    expect(entities).toBeLessThanOrEqual(MAX_DYNAMIC_ENTITIES);
    expect(launch.response.card?.type).toBe('Simple');
  });

  it('a catalog page is paginated and fits; next continues it', async () => {
    const convo = h.conversation({ screen: true });
    await convo.launch();
    const page1 = await convo.say('BrowseCatalogIntent', { category: 'worst and longest category' });
    expectWithinLimits(page1);
    expect(speech(page1)).toContain('Say next for more.');
    expect(speech(page1).match(/ for \$99,999\.99/g)).toHaveLength(PAGE_SIZE);
    const page2 = await convo.say('AMAZON.NextIntent');
    expectWithinLimits(page2);
    expect(speech(page2)).toContain('005 ');
    expect(speech(page1)).not.toContain('005 ');
  });

  it('the largest cart: 20 lines of 99, reviewed, read back at checkout, and repeated', async () => {
    const convo = h.conversation({ screen: true });
    await convo.launch();
    for (let i = 0; i < MAX_CART_LINES; i++) {
      const add = await convo.say('AddToCartIntent', {
        product: nastyName(i + 50),
        quantity: String(MAX_LINE_QUANTITY),
      });
      expectWithinLimits(add);
    }
    const overflow = await convo.say('AddToCartIntent', { product: nastyName(120), quantity: '1' });
    expect(speech(overflow)).toContain('Your cart is full');
    const more = await convo.say('AddToCartIntent', { product: nastyName(50), quantity: '5' });
    expect(speech(more)).toContain('the most I can add');

    const review = await convo.say('ReviewCartIntent');
    expectWithinLimits(review);
    const checkout = await convo.say('CheckoutIntent');
    expectWithinLimits(checkout);
    expect(speech(checkout)).toContain('Shall I place the order');
    const repeat = await convo.say('AMAZON.RepeatIntent');
    expectWithinLimits(repeat);
    expect(speech(repeat)).toBe(speech(checkout));
    const cart = (checkout.sessionAttributes as { cart: unknown[] }).cart;
    expect(cart).toHaveLength(MAX_CART_LINES);
  });

  it('a search matching everything is one page', async () => {
    const convo = h.conversation();
    await convo.launch();
    const search = await convo.say('SearchProductIntent', { query: 'synonym' });
    expectWithinLimits(search);
  });
});
