import { HOLDOUT_VARIANT_KEY, hashUserId, type PitchlineEvent } from '@pitchline/core';
import { DEMO_MERCHANT_ID, experimentVariants, orders, products, stopExperiment } from '@pitchline/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createHarness,
  eventsOf,
  type Harness,
  said,
  speech,
  USER_ID_HASH_KEY,
} from '../dialog/testing/harness';
import { productId, runExperiment, type VariantSpec } from '../testing/experiments';
import { EXPERIMENT_CACHE_TTL_MS } from './cache';

/*
 * The skill speaking experiment variants, end to end: real signed requests through the app, PGlite
 * seeded with the demo shop, experiments written as the dashboard would write them, events checked
 * against the contract by the harness.
 */

let h: Harness;
type Id =
  | 'huila'
  | 'grinder'
  | 'sumatra'
  | 'featured'
  | 'hostile'
  | 'huilaExp'
  | 'gearExp'
  | 'launchExp'
  | 'hostileExp'
  | 'sumatraExp';
const ids = {} as Record<Id, string>;

const HUILA_VARIANTS: VariantSpec[] = [
  { key: 'a', template: 'HUILA-A {{product}} for {{price}}.', weight: 1, isControl: true },
  {
    key: 'b',
    template: 'HUILA-B <emphasis level="strong">{{product}}</emphasis>, only {{price}}.',
    weight: 1,
  },
  { key: 'c', template: 'HUILA-C {{product}} from {{merchant}}, {{price}}.', weight: 2 },
];
const heardHuila = (text: string) => /HUILA-([ABC])/.exec(text)?.[1]?.toLowerCase();

beforeAll(async () => {
  h = await createHarness();
  const db = h.database.db;
  ids.huila = await productId(db, 'Colombia Huila');
  ids.grinder = await productId(db, 'Burr Grinder');
  ids.sumatra = await productId(db, 'Sumatra Mandheling');
  ids.featured = await productId(db, 'Ethiopia Yirgacheffe');
  const [hostile] = await db
    .insert(products)
    .values({
      merchantId: DEMO_MERCHANT_ID,
      name: 'Evil </emphasis><audio src="https://evil.example/x.mp3"/> & "Co"',
      category: 'Odd <break time="10s"/> things',
      priceAmount: 999,
      currency: 'USD',
      defaultPitch: '{{product}} for {{price}}.',
      synonyms: ['evil thing'],
    })
    .returning({ id: products.id });
  ids.hostile = (hostile as { id: string }).id;

  ids.huilaExp = await runExperiment(db, {
    key: 'huila-pitch',
    scope: { kind: 'product', productId: ids.huila },
    variants: HUILA_VARIANTS,
  });
  ids.gearExp = await runExperiment(db, {
    key: 'gear-pitch',
    scope: { kind: 'category', category: 'Brewing Gear' },
    // Core's default layer for this category ("category:brewing gear") is refused at start: no spaces.
    layer: 'category:brewing-gear',
    holdoutPercent: 50,
    variants: [
      { key: 'plain', template: 'GEAR-PLAIN {{product}}, {{price}}.', weight: 1, isControl: true },
      { key: 'bold', template: 'GEAR-BOLD {{product}} in {{category}}!', weight: 3 },
    ],
  });
  ids.launchExp = await runExperiment(db, {
    key: 'launch-pitch',
    scope: { kind: 'launch' },
    variants: [
      { key: 'calm', template: 'LAUNCH-CALM {{product}}.', weight: 1, isControl: true },
      { key: 'loud', template: 'LAUNCH-LOUD {{product}}!', weight: 1 },
    ],
  });
  ids.hostileExp = await runExperiment(db, {
    key: 'hostile-pitch',
    scope: { kind: 'product', productId: ids.hostile },
    variants: [
      {
        key: 'x',
        template: 'HOSTILE <emphasis level="strong">{{product}}</emphasis> in {{category}} at {{merchant}}.',
        weight: 1,
        isControl: true,
      },
      { key: 'y', template: 'HOSTILE {{product}} in {{category}} at {{merchant}}.', weight: 1 },
    ],
  });
  ids.sumatraExp = await runExperiment(db, {
    key: 'sumatra-bandit',
    scope: { kind: 'product', productId: ids.sumatra },
    mode: 'bandit',
    variants: [
      { key: 'one', template: 'SUMATRA-ONE {{product}}.', weight: 1, isControl: true },
      { key: 'two', template: 'SUMATRA-TWO {{product}}.', weight: 1 },
    ],
  });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const exposuresOf = (userId: string) =>
  eventsOf(h.events, 'pitch_exposure').filter((e) => e.user_id === hashUserId(userId, USER_ID_HASH_KEY));

async function details(userId: string, product: string, newSession = true) {
  const convo = h.conversation({ userId });
  const response = await convo.send(
    convo.session.intent('ProductDetailsIntent', { product }, { newSession }),
  );
  return { convo, response };
}

describe('a running experiment on a product', () => {
  it('splits users across the variants by weight, each exposure naming what was spoken with its probability', async () => {
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    const users = Array.from({ length: 120 }, (_, i) => `amzn1.ask.account.SPLIT${i}`);
    for (const user of users) {
      const { response } = await details(user, 'Colombia Huila');
      const variant = heardHuila(said(response));
      expect(variant).toBeDefined();
      counts[variant as string] = (counts[variant as string] ?? 0) + 1;
      const exposures = exposuresOf(user);
      expect(exposures).toEqual([
        expect.objectContaining({
          type: 'pitch_exposure',
          experiment_id: ids.huilaExp,
          experiment_key: 'huila-pitch',
          variant_key: variant,
          assignment_probability: variant === 'c' ? 0.5 : 0.25,
          product_id: ids.huila,
        }),
      ]);
    }
    // Chi-square with 2 degrees of freedom against 1:1:2; 18.4 is its 0.9999 quantile (salts are random
    // per experiment, so this split differs from run to run).
    const expected = { a: 30, b: 30, c: 60 };
    const chi2 = Object.entries(expected).reduce((s, [k, e]) => s + ((counts[k] ?? 0) - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(18.4);
    expect(Object.values(counts).every((n) => n > 0)).toBe(true);
  });

  it('the same user hears the same variant in every session, and one exposure per session', async () => {
    const user = 'amzn1.ask.account.LOYAL';
    const heard = new Set<string | undefined>();
    const sessions: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { convo, response } = await details(user, 'Colombia Huila');
      heard.add(heardHuila(said(response)));
      // Asked again and repeated in the same session: the same pitch, not a new exposure.
      const again = await convo.say('ProductDetailsIntent', { product: 'huila' });
      heard.add(heardHuila(said(again)));
      await convo.say('AMAZON.RepeatIntent');
      sessions.push(convo.session.sessionId);
    }
    expect(heard.size).toBe(1);
    const exposures = exposuresOf(user);
    expect(exposures.map((e) => e.session_id)).toEqual(sessions);
    expect(new Set(exposures.map((e) => e.variant_key))).toEqual(heard);
  });

  it('an order carries the variants heard: order row, order and payment events, Stripe metadata', async () => {
    const user = 'amzn1.ask.account.BUYER';
    const charge = vi.spyOn(h.gateway, 'chargeOffSession');
    const { convo, response } = await details(user, 'Colombia Huila');
    const variant = heardHuila(said(response));
    const gear = await convo.say('ProductDetailsIntent', { product: 'burr grinder' });
    await convo.say('AMAZON.YesIntent');
    await convo.say('AddToCartIntent', { product: 'huila' });
    await convo.say('CheckoutIntent');
    const placed = await convo.say('AMAZON.YesIntent');
    expect(said(placed)).toContain('is placed');
    await h.gateway.idle();

    const expected = [`huila-pitch:${variant}`];
    // The grinder's category experiment holds out half its users: held-out users hear no variant to credit.
    const gearExposure = exposuresOf(user).find((e) => e.experiment_key === 'gear-pitch');
    if (gearExposure?.variant_key !== HOLDOUT_VARIANT_KEY)
      expected.push(`gear-pitch:${gearExposure?.variant_key}`);
    else expect(said(gear)).not.toContain('GEAR-');

    const sessionEvents = h.events.filter((e) => e.session_id === convo.session.sessionId);
    const [confirmed] = eventsOf(sessionEvents, 'order_confirmed');
    expect(confirmed?.variants).toEqual(expected);
    const [paid] = eventsOf(h.events, 'payment_succeeded').filter((e) => e.order_id === confirmed?.order_id);
    expect(paid?.variants).toEqual(expected);
    const [row] = await h.database.db
      .select()
      .from(orders)
      .where(eq(orders.id, confirmed?.order_id as string));
    expect(row?.attribution).toEqual(expected);
    expect(charge.mock.calls.at(-1)?.[0].attribution.variants).toEqual(expected);
    charge.mockRestore();
  });

  it('an order in a later session credits the variant the user was assigned, without hearing it again', async () => {
    const user = 'amzn1.ask.account.RETURNING';
    const first = await details(user, 'Colombia Huila');
    const variant = heardHuila(said(first.response));
    await first.convo.say('AMAZON.StopIntent');

    const convo = h.conversation({ userId: user });
    await convo.send(convo.session.intent('AddToCartIntent', { product: 'huila' }, { newSession: true }));
    await convo.say('CheckoutIntent');
    await convo.say('AMAZON.YesIntent');
    const [confirmed] = eventsOf(h.events, 'order_confirmed').filter(
      (e) => e.session_id === convo.session.sessionId,
    );
    expect(confirmed?.variants).toEqual([`huila-pitch:${variant}`]);
    // Nothing was pitched in this session, so nothing new was exposed.
    expect(exposuresOf(user)).toHaveLength(1);
  });

  it('a declined order is credited the same way as a placed one', async () => {
    const user = 'amzn1.ask.account.DECLINER';
    const { convo, response } = await details(user, 'Colombia Huila');
    const variant = heardHuila(said(response));
    await convo.say('AMAZON.YesIntent');
    await convo.say('CheckoutIntent');
    await convo.say('AMAZON.NoIntent');
    const [declined] = eventsOf(h.events, 'order_declined').filter(
      (e) => e.session_id === convo.session.sessionId,
    );
    expect(declined?.variants).toEqual([`huila-pitch:${variant}`]);
  });
});

describe('slots, holdout and escaping', () => {
  it('a category experiment covers its products; held-out users hear the default pitch and are logged as holdout', async () => {
    let held = 0;
    const users = Array.from({ length: 40 }, (_, i) => `amzn1.ask.account.GEAR${i}`);
    for (const user of users) {
      const { response } = await details(user, 'Gooseneck Kettle');
      const text = said(response);
      const [exposure] = exposuresOf(user);
      expect(exposure).toMatchObject({ experiment_id: ids.gearExp, product_id: expect.any(String) });
      if (exposure?.variant_key === HOLDOUT_VARIANT_KEY) {
        held++;
        expect(exposure.assignment_probability).toBe(0.5);
        expect(text).not.toContain('GEAR-');
        expect(text).toContain('Gooseneck Kettle');
      } else {
        const variant = exposure?.variant_key;
        expect(text).toContain(variant === 'bold' ? 'GEAR-BOLD' : 'GEAR-PLAIN');
        // P(variant | in the experiment) = (1 − holdout) × weight share.
        expect(exposure?.assignment_probability).toBeCloseTo(variant === 'bold' ? 0.375 : 0.125, 10);
      }
    }
    // Binomial(40, 0.5): outside 8 to 32 is beyond 3.8 standard deviations.
    expect(held).toBeGreaterThan(8);
    expect(held).toBeLessThan(32);
  });

  it('the launch greeting speaks the launch experiment variant for the featured product', async () => {
    const user = 'amzn1.ask.account.LAUNCHER';
    const convo = h.conversation({ userId: user });
    const launch = await convo.launch();
    const text = said(launch);
    expect(text).toMatch(/LAUNCH-(CALM|LOUD) Ethiopia Yirgacheffe/);
    expect(exposuresOf(user)).toEqual([
      expect.objectContaining({
        experiment_id: ids.launchExp,
        variant_key: text.includes('LAUNCH-CALM') ? 'calm' : 'loud',
        assignment_probability: 0.5,
        product_id: ids.featured,
      }),
    ]);
  });

  it('catalog text inside a variant is escaped, so a hostile product name is spoken, never obeyed', async () => {
    const { response } = await details('amzn1.ask.account.HOSTILE', 'evil thing');
    const ssml = speech(response);
    expect(ssml).toContain('HOSTILE');
    expect(ssml).not.toContain('<audio');
    expect(ssml).not.toContain('<break time="10s"/>');
    expect(ssml).toContain('&lt;audio src=&quot;https://evil.example/x.mp3&quot;/&gt;');
    expect(ssml).toContain('&amp;');
    expect(said(response)).toContain('Evil </emphasis><audio src="https://evil.example/x.mp3"/> & "Co"');
    expect(said(response)).toContain('Northwind Coffee Roasters');
  });
});

describe('changes to a running experiment', () => {
  it('bandit weights in force are the probabilities logged; stopping brings the default pitch back', async () => {
    const db = h.database.db;
    const users = Array.from({ length: 8 }, (_, i) => `amzn1.ask.account.BANDIT${i}`);
    for (const user of users) await details(user, 'Sumatra Mandheling');
    expect(exposuresOf(users[0] as string)[0]?.assignment_probability).toBe(0.5);

    // The stats job moves traffic to "two" (1 : 3), in place: no timestamp moves, the cache must notice.
    await db
      .update(experimentVariants)
      .set({ weight: 3 })
      .where(and(eq(experimentVariants.experimentId, ids.sumatraExp), eq(experimentVariants.key, 'two')));
    await new Promise((r) => setTimeout(r, EXPERIMENT_CACHE_TTL_MS + 100));
    const later = users.map((u) => `${u}-LATER`);
    for (const user of later) {
      const { response } = await details(user, 'Sumatra Mandheling');
      const [exposure] = exposuresOf(user);
      const spoken = said(response).includes('SUMATRA-TWO') ? 'two' : 'one';
      expect(exposure).toMatchObject({
        variant_key: spoken,
        assignment_probability: spoken === 'two' ? 0.75 : 0.25,
      });
    }

    await stopExperiment(db, DEMO_MERCHANT_ID, null, ids.sumatraExp);
    await new Promise((r) => setTimeout(r, EXPERIMENT_CACHE_TTL_MS + 100));
    const after = 'amzn1.ask.account.AFTER-STOP';
    const { response } = await details(after, 'Sumatra Mandheling');
    expect(said(response)).not.toContain('SUMATRA-');
    expect(said(response)).toContain('Sumatra Mandheling');
    expect(exposuresOf(after)).toEqual([]);
  });
});

describe('events', () => {
  it('every exposure is in the session it was heard in, before that turn', () => {
    const exposures = eventsOf(h.events, 'pitch_exposure');
    expect(exposures.length).toBeGreaterThan(150);
    for (const exposure of exposures) {
      const session = h.events.filter((e: PitchlineEvent) => e.session_id === exposure.session_id);
      const at = session.indexOf(exposure);
      expect(session.slice(at + 1).some((e) => e.type === 'turn')).toBe(true);
    }
  });
});
