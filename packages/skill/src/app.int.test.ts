import { buildIntentRequest } from '@pitchline/alexa-kit/nlu';
import { hashUserId } from '@pitchline/core';
import { DEMO_MERCHANT_ID, DEMO_SKILL_ID, orderItems, orders, products } from '@pitchline/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHarness,
  eventsOf,
  type Harness,
  said,
  speech,
  USER_ID_HASH_KEY,
} from './dialog/testing/harness';
import { saveLinkedCustomer } from './payments/linked-customer';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('a shopper buys by voice', () => {
  it('launch → search → details → add 2 → review → checkout → yes ends with a paid order', async () => {
    const userId = 'amzn1.ask.account.SHOPPER-ONE';
    const convo = h.conversation({ userId });
    const sessionId = convo.session.sessionId;
    const before = h.events.length;

    const launch = await convo.launch();
    expect(speech(launch)).toContain('Welcome to Northwind Coffee Roasters');
    expect(speech(launch)).toContain('Ethiopia Yirgacheffe');
    expect(launch.response.shouldEndSession).toBe(false);
    expect(launch.response.reprompt?.outputSpeech).toBeDefined();
    const dynamic = launch.response.directives?.find((d) => d.type === 'Dialog.UpdateDynamicEntities') as
      | { types: { name: string; values: { id: string }[] }[] }
      | undefined;
    expect(dynamic?.types.map((t) => t.name).sort()).toEqual(['CATEGORY', 'PRODUCT']);

    const search = await convo.say('SearchProductIntent', { query: 'grinder' });
    expect(speech(search)).toContain('Burr Grinder');

    const details = await convo.say('ProductDetailsIntent', { product: 'burr grinder' });
    expect(speech(details)).toContain('forty settings');
    expect(speech(details)).toContain('$129.00');

    const add = await convo.say('AddToCartIntent', { product: 'grinder', quantity: '2' });
    expect(speech(add)).toContain('Added 2 Burr Grinder');

    const review = await convo.say('ReviewCartIntent');
    expect(speech(review)).toContain('$258.00');

    const checkout = await convo.say('CheckoutIntent');
    expect(speech(checkout)).toContain('Northwind Coffee Roasters');
    expect(speech(checkout)).toContain('Delivery');
    expect(speech(checkout)).toContain('$258.00');
    expect(speech(checkout)).toMatch(/Shall I place the order/);

    const yes = await convo.say('AMAZON.YesIntent');
    expect(speech(yes)).toContain('is placed');
    expect(yes.response.shouldEndSession).toBe(true);

    // The signed webhook, delivered by the simulated gateway, marks the order paid.
    await h.gateway.idle();
    const hashed = hashUserId(userId, USER_ID_HASH_KEY);
    const [order] = await h.database.db.select().from(orders).where(eq(orders.userId, hashed));
    expect(order?.status).toBe('paid');
    expect(order?.amountTotal).toBe(25_800);
    expect(order?.sessionId).toBe(sessionId);
    const items = await h.database.db
      .select()
      .from(orderItems)
      .where(eq(orderItems.orderId, order?.id ?? ''));
    expect(items.map((i) => [i.name, i.quantity])).toEqual([['Burr Grinder', 2]]);

    const mine = h.events.slice(before).filter((e) => e.session_id === sessionId);
    const types = mine.map((e) => e.type);
    // One turn per request, in order, with the other events where they happened.
    expect(types.filter((t) => t === 'turn')).toHaveLength(7);
    expect(types[0]).toBe('session_start');
    expect(types).toContain('cart_add');
    expect(types).toContain('checkout_prompt');
    expect(types).toContain('order_confirmed');
    expect(types).toContain('payment_succeeded');
    expect(types.indexOf('checkout_prompt')).toBeLessThan(types.indexOf('order_confirmed'));
    const end = eventsOf(mine, 'session_end');
    expect(end).toHaveLength(1);
    expect(end[0]?.reason).toBe('completed');
    for (const e of mine) {
      expect(e.merchant_id).toBe(DEMO_MERCHANT_ID);
      expect(e.skill_id).toBe(DEMO_SKILL_ID);
      expect(e.user_id).toBe(hashed);
    }
    const add2 = eventsOf(mine, 'cart_add')[0];
    expect(add2).toMatchObject({ quantity: 2, unit_amount: 12_900, currency: 'USD' });
    const confirmed = eventsOf(mine, 'order_confirmed')[0];
    expect(confirmed).toMatchObject({ order_id: order?.id, amount: 25_800, currency: 'USD' });
    const prompt = eventsOf(mine, 'checkout_prompt')[0];
    expect(prompt).toMatchObject({ amount: 25_800, item_count: 2 });

    const turns = eventsOf(mine, 'turn');
    expect(turns.map((t) => t.intent ?? t.request_type)).toEqual([
      'LaunchRequest',
      'SearchProductIntent',
      'ProductDetailsIntent',
      'AddToCartIntent',
      'ReviewCartIntent',
      'CheckoutIntent',
      'AMAZON.YesIntent',
    ]);
    const detailsTurn = turns[2];
    expect(detailsTurn?.slots).toEqual([
      expect.objectContaining({
        name: 'product',
        value: 'burr grinder',
        resolution: 'match',
        resolved_value: 'Burr Grinder',
      }),
    ]);
    expect(detailsTurn?.response_ssml).toBe(speech(details));
    expect(detailsTurn?.reprompt_ssml).toContain('add it to your cart');
    expect(turns.at(-1)?.should_end_session).toBe(true);
    expect(turns.every((t) => t.latency_ms >= 0 && t.locale === 'en-US' && t.has_screen === false)).toBe(
      true,
    );
  });

  it('No at the read-back declines the order, charges nothing and goes back to shopping', async () => {
    const userId = 'amzn1.ask.account.SHOPPER-TWO';
    const convo = h.conversation({ userId });
    await convo.launch();
    await convo.say('AMAZON.YesIntent'); // adds the featured product pitched at launch
    const checkout = await convo.say('CheckoutIntent');
    expect(speech(checkout)).toContain('Ethiopia Yirgacheffe');
    const no = await convo.say('AMAZON.NoIntent');
    expect(said(no)).toContain("won't place the order");
    expect(no.response.shouldEndSession).toBe(false);

    const mine = h.events.filter((e) => e.session_id === convo.session.sessionId);
    const declined = eventsOf(mine, 'order_declined');
    expect(declined).toHaveLength(1);
    expect(declined[0]).toMatchObject({ amount: 1850, currency: 'USD' });
    const placed = await h.database.db
      .select()
      .from(orders)
      .where(eq(orders.userId, hashUserId(userId, USER_ID_HASH_KEY)));
    expect(placed).toHaveLength(0);

    const review = await convo.say('ReviewCartIntent');
    expect(speech(review)).toContain('1 Ethiopia Yirgacheffe');
  });

  it('an unlinked shopper hears why and gets a LinkAccount card', async () => {
    for (const accessToken of [undefined, 'not-a-linked-token']) {
      const convo = h.conversation(accessToken ? { accessToken } : { accessToken: '' });
      await convo.launch();
      await convo.say('AddToCartIntent', { product: 'decaf' });
      const checkout = await convo.say('CheckoutIntent');
      expect(checkout.response.card?.type).toBe('LinkAccount');
      expect(speech(checkout)).toContain('link your account');
      expect(checkout.response.shouldEndSession).toBe(false);
      const mine = h.events.filter((e) => e.session_id === convo.session.sessionId);
      expect(eventsOf(mine, 'checkout_prompt')).toHaveLength(0);
    }
  });

  it('a declined card leaves the order awaiting payment, with a Checkout link, and the session open', async () => {
    await saveLinkedCustomer(h.database.db, {
      merchantId: DEMO_MERCHANT_ID,
      accessToken: 'declining-token',
      stripeCustomerId: 'cus_declines',
      defaultPaymentMethodId: 'pm_card_chargeDeclined',
    });
    const userId = 'amzn1.ask.account.DECLINED';
    const convo = h.conversation({ userId, accessToken: 'declining-token' });
    await convo.launch();
    await convo.say('AddToCartIntent', { product: 'dripper' });
    await convo.say('CheckoutIntent');
    const yes = await convo.say('AMAZON.YesIntent');
    expect(said(yes)).toContain('Your card was declined');
    expect(said(yes)).toContain('payment link');
    expect(yes.response.shouldEndSession).toBe(false);
    await h.gateway.idle();
    const [order] = await h.database.db
      .select()
      .from(orders)
      .where(eq(orders.userId, hashUserId(userId, USER_ID_HASH_KEY)));
    expect(order?.status).not.toBe('paid');
    expect(order?.checkoutUrl).toBeTruthy();
    const status = await convo.say('OrderStatusIntent');
    expect(said(status)).toMatch(/waiting for your payment|could not be charged/);
  });

  it('order status reads the shopper’s latest order', async () => {
    const convo = h.conversation({ userId: 'amzn1.ask.account.SHOPPER-ONE' });
    const status = await convo.say('OrderStatusIntent');
    expect(speech(status)).toContain('$258.00');
    expect(speech(status)).toContain('paid');
    const nobody = await h.conversation({ userId: 'amzn1.ask.account.NEW' }).say('OrderStatusIntent');
    expect(said(nobody)).toContain("don't see any orders");
  });
});

describe('catalog text in speech', () => {
  it('speaks a hostile product name as text and injects no SSML', async () => {
    const hostile = 'Fish & Chips <audio src="https://x">';
    await h.database.db.insert(products).values({
      merchantId: DEMO_MERCHANT_ID,
      name: hostile,
      category: 'Snacks & <Things>',
      priceAmount: 999,
      currency: 'USD',
      defaultPitch: '{{product}} is crunchy, for {{price}}.',
      synonyms: ['fish and chips'],
    });
    const convo = h.conversation();
    await convo.launch();
    const details = await convo.say('ProductDetailsIntent', { product: 'fish and chips' });
    const ssml = speech(details);
    expect(ssml).toContain('Fish &amp; Chips &lt;audio src=&quot;https://x&quot;&gt;');
    expect(ssml).not.toContain('<audio');
    const { validateSsml } = await import('@pitchline/core');
    expect(validateSsml(ssml)).toEqual({ ok: true });
    const browse = await convo.say('BrowseCatalogIntent', { category: 'snacks and things' });
    expect(speech(browse)).toContain('Snacks &amp; &lt;Things&gt;');
    expect(validateSsml(speech(browse))).toEqual({ ok: true });
    const add = await convo.say('AddToCartIntent', {});
    expect(validateSsml(speech(add))).toEqual({ ok: true });
  });
});

describe('robustness', () => {
  it('answers an intent it does not know and a request type it does not handle', async () => {
    const convo = h.conversation();
    await convo.launch();
    const unknown = await convo.say('SomeFutureIntent', { thing: 'x' });
    expect(said(unknown)).toContain("can't help with that");
    expect(unknown.response.shouldEndSession).toBe(false);

    const envelope = convo.session.intent('AMAZON.HelpIntent');
    const odd = { ...envelope, request: { ...envelope.request, type: 'Alexa.Presentation.APL.UserEvent' } };
    const answer = await h.send(odd as typeof envelope);
    expect(said(answer)).toContain("can't help with that");
    const turns = eventsOf(h.events, 'turn').filter((t) => t.session_id === convo.session.sessionId);
    expect(turns.map((t) => t.request_type)).toContain('Alexa.Presentation.APL.UserEvent');
    expect(turns.find((t) => t.intent === 'SomeFutureIntent')).toBeDefined();
  });

  it('yes answers only the question just asked; repeat asks it again', async () => {
    const convo = h.conversation();
    await convo.launch(); // "…would you like to add it to your cart?"
    await convo.say('AMAZON.HelpIntent');
    const yes = await convo.say('AMAZON.YesIntent');
    expect(said(yes)).toContain("not sure what you're agreeing to");
    expect((yes.sessionAttributes as { cart: unknown[] }).cart).toEqual([]);

    await convo.say('ProductDetailsIntent', { product: 'cold brew bottle' });
    await convo.say('AMAZON.RepeatIntent');
    const added = await convo.say('AMAZON.YesIntent');
    expect(said(added)).toContain('Added 1 Cold Brew Bottle');
  });

  it('still answers when analytics fails, and counts the failure', async () => {
    const failuresBefore = h.metrics.recordFailures;
    h.failRecording(true);
    try {
      const convo = h.conversation();
      const launch = await convo.launch();
      expect(speech(launch)).toContain('Welcome');
      const add = await convo.say('AddToCartIntent', { product: 'earl grey', quantity: '3' });
      expect(speech(add)).toContain('Added 3 Earl Grey Supreme');
    } finally {
      h.failRecording(false);
    }
    // session_start + turn, then cart_add + turn.
    expect(h.metrics.recordFailures - failuresBefore).toBe(4);
  });

  it('refuses a payment webhook whose event cannot be recorded, so it is redelivered and counted once', async () => {
    let refusals = 0;
    h.failRecording((event) => event.type === 'payment_succeeded' && refusals++ < 2);
    try {
      const userId = 'amzn1.ask.account.RECORDING_FLAKY';
      const convo = h.conversation({ userId });
      await convo.launch();
      await convo.say('AddToCartIntent', { product: 'dripper' });
      await convo.say('CheckoutIntent');
      await convo.say('AMAZON.YesIntent');
      await h.gateway.idle();
      const [order] = await h.database.db
        .select()
        .from(orders)
        .where(eq(orders.userId, hashUserId(userId, USER_ID_HASH_KEY)));
      expect(refusals).toBeGreaterThanOrEqual(3);
      expect(order?.status).toBe('paid');
      const paid = eventsOf(h.events, 'payment_succeeded').filter((e) => e.order_id === order?.id);
      expect(paid).toHaveLength(1);
    } finally {
      h.failRecording(false);
    }
  });

  it('refuses an unsigned request before any handler runs, and records why', async () => {
    const envelope = buildIntentRequest('AMAZON.HelpIntent', {}, { applicationId: DEMO_SKILL_ID });
    const turnsBefore = eventsOf(h.events, 'turn').length;
    const res = await h.app.request('/alexa', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(envelope),
    });
    expect(res.status).toBe(400);
    expect(eventsOf(h.events, 'turn').length).toBe(turnsBefore);
    await h.flushRejections();
    expect(eventsOf(h.events, 'request_rejected').length).toBeGreaterThan(0);
  });

  it('a flood of unsigned requests writes one row per merchant, reason and minute, not one per request', async () => {
    await h.flushRejections();
    const rowsBefore = eventsOf(h.events, 'request_rejected').length;
    const envelope = JSON.stringify(
      buildIntentRequest('AMAZON.HelpIntent', {}, { applicationId: DEMO_SKILL_ID }),
    );
    const flood = 300;
    for (let i = 0; i < flood; i++) {
      const res = await h.app.request('/alexa', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: envelope,
      });
      expect(res.status).toBe(400);
    }
    await h.flushRejections();
    const rows = eventsOf(h.events, 'request_rejected').slice(rowsBefore);
    // One reason (missing_headers); the flood may straddle a minute boundary: at most two rows.
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(rows.reduce((n, r) => n + (r.count ?? 1), 0)).toBe(flood);
    expect(new Set(rows.map((r) => r.reason))).toEqual(new Set(['missing_headers']));
  });

  it('speaks an apology and records the error when a handler fails', async () => {
    const convo = h.conversation();
    const launch = await convo.launch();
    const featuredId = (launch.sessionAttributes as { lastProductId: string }).lastProductId;
    // A session that names an order id placeOrder refuses (not a uuid): the order input check throws.
    const envelope = convo.session.intent('AMAZON.YesIntent');
    const attrs = (envelope.session?.attributes ?? {}) as Record<string, unknown>;
    attrs.pending = { kind: 'checkout', orderId: 'not-a-uuid', amount: 1850, currency: 'USD', itemCount: 1 };
    attrs.cart = [{ productId: featuredId, quantity: 1 }];
    const errorsBefore = h.metrics.dialogErrors;
    const answer = await convo.send(envelope);
    expect(speech(answer)).toContain('Sorry, something went wrong');
    expect(answer.response.shouldEndSession).toBe(false);
    expect(h.metrics.dialogErrors).toBe(errorsBefore + 1);
    const turn = eventsOf(h.events, 'turn').findLast((t) => t.session_id === convo.session.sessionId);
    expect(turn?.error).toBeTruthy();
  });
});

describe('the event contract', () => {
  it('no event the skill built broke the contract, and every request left exactly one turn', () => {
    expect(h.metrics.invalidEvents).toBe(0);
    const requestIds = eventsOf(h.events, 'turn').map((t) => t.request_id);
    expect(new Set(requestIds).size).toBe(requestIds.length);
    expect(new Set(h.events.map((e) => e.event_id)).size).toBe(h.events.length);
  });
});
