import { HOLDOUT_VARIANT_KEY, hashUserId } from '@pitchline/core';
import {
  concludeExperiment,
  DEMO_MERCHANT_ID,
  experimentVariants,
  products,
  stopExperiment,
} from '@pitchline/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHarness,
  eventsOf,
  type Harness,
  said,
  speech,
  USER_ID_HASH_KEY,
} from '../dialog/testing/harness';
import { productId, runExperiment } from '../testing/experiments';
import { EXPERIMENT_CACHE_TTL_MS } from './cache';

/*
 * What the skill records is what the shopper heard: a {{discount}} variant speaks a real discount
 * (products.compare_at_amount) or leaves the product out; a variant that will not render is never
 * recorded as heard; a shipped variant is what everyone in its scope hears once concluded. Real
 * signed requests, PGlite with the demo shop, experiments through the db repository.
 */

let h: Harness;
const warnings: Record<string, unknown>[] = [];
const ids = { tins: '', mug: '', grinder: '', kettle: '', gifts: '', grinderExp: '' };

const exposuresOf = (userId: string) =>
  eventsOf(h.events, 'pitch_exposure').filter((e) => e.user_id === hashUserId(userId, USER_ID_HASH_KEY));

async function details(userId: string, product: string, locale = 'en-US') {
  const convo = h.conversation({ userId, locale });
  return convo.send(convo.session.intent('ProductDetailsIntent', { product }, { newSession: true }));
}

const waitForCaches = () => new Promise((r) => setTimeout(r, EXPERIMENT_CACHE_TTL_MS + 100));
const users = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `amzn1.ask.account.${prefix}${i}`);

beforeAll(async () => {
  h = await createHarness({
    logger: { info() {}, error() {}, warn: (o: object) => void warnings.push(o as Record<string, unknown>) },
  });
  const db = h.database.db;
  // On sale: $61.25 was, $49.00 now. The mug of the same category is not on sale.
  await db
    .update(products)
    .set({ compareAtAmount: 6125 })
    .where(and(eq(products.merchantId, DEMO_MERCHANT_ID), eq(products.name, 'Coffee Lover Gift Box')));
  const [tins] = await db
    .insert(products)
    .values({
      merchantId: DEMO_MERCHANT_ID,
      name: 'Tins & "Tea" <Set>',
      category: 'Gifts',
      priceAmount: 1000,
      compareAtAmount: 1500,
      currency: 'USD',
      defaultPitch: '{{product}} for {{price}}.',
      synonyms: ['tea tin set'],
    })
    .returning({ id: products.id });
  ids.tins = tins?.id ?? '';
  ids.mug = await productId(db, 'Northwind Mug');
  ids.grinder = await productId(db, 'Burr Grinder');
  ids.kettle = await productId(db, 'Gooseneck Kettle');

  ids.gifts = await runExperiment(db, {
    key: 'gift-pitch',
    scope: { kind: 'category', category: 'Gifts' },
    variants: [
      { key: 'ctrl', template: 'GIFT-CONTROL {{product}} for {{price}}.', isControl: true },
      { key: 'sale', template: 'GIFT-SALE {{product}}: save {{discount}}, now {{price}}.' },
    ],
  });

  // Saved and started valid; then (as if the validator had tightened since) variant "b" holds a tag
  // Alexa refuses. Written before the skill first loads this merchant's experiments.
  ids.grinderExp = await runExperiment(db, {
    key: 'grinder-pitch',
    scope: { kind: 'product', productId: ids.grinder },
    variants: [
      { key: 'a', template: 'GRINDER-A {{product}}.', isControl: true },
      { key: 'b', template: 'GRINDER-B {{product}}.' },
    ],
  });
  await db
    .update(experimentVariants)
    .set({ template: 'GRINDER-B <blink>{{product}}</blink>.' })
    .where(and(eq(experimentVariants.experimentId, ids.grinderExp), eq(experimentVariants.key, 'b')));
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('{{discount}}', () => {
  it('a product on sale hears its discount in the variant, escaped, and the exposure names what was said', async () => {
    const heard = new Set<string>();
    for (const user of users('SALE', 16)) {
      const response = await details(user, 'tea tin set');
      const text = said(response);
      const [exposure] = exposuresOf(user);
      expect(exposure).toMatchObject({
        experiment_id: ids.gifts,
        product_id: ids.tins,
        assignment_probability: 0.5,
      });
      if (exposure?.variant_key === 'sale') {
        expect(text).toContain('GIFT-SALE Tins & "Tea" <Set>: save $5.00, now $10.00.');
        // Catalog text is escaped in the SSML: spoken, never obeyed.
        expect(speech(response)).toContain('GIFT-SALE Tins &amp; &quot;Tea&quot; &lt;Set&gt;: save $5.00');
      } else {
        expect(exposure?.variant_key).toBe('ctrl');
        expect(text).toContain('GIFT-CONTROL Tins & "Tea" <Set> for $10.00.');
      }
      heard.add(exposure?.variant_key as string);
    }
    expect(heard).toEqual(new Set(['ctrl', 'sale']));
  });

  it('says the discount per locale', async () => {
    const user = users('SALE', 16).find((u) => exposuresOf(u)[0]?.variant_key === 'sale') as string;
    const gb = await details(user, 'coffee lover gift box', 'en-GB');
    expect(said(gb)).toContain('save US$12.25, now US$49.00');
    const de = await details(user, 'coffee lover gift box', 'de-DE');
    // Intl puts a no-break space before the symbol in German.
    expect(said(de)).toMatch(/save 12,25\s\$, now 49,00\s\$/u);
  });

  it('a product not on sale is outside the experiment: its own pitch for everyone, nothing recorded', async () => {
    const failures = h.metrics.pitchRenderFailures;
    for (const user of users('NOSALE', 12)) {
      const text = said(await details(user, 'northwind mug'));
      expect(text).not.toContain('GIFT-');
      expect(text).toContain('The Northwind Mug is hand glazed in Vermont');
      expect(exposuresOf(user)).toEqual([]);
    }
    // Expected for a category scope, so not counted as a failure.
    expect(h.metrics.pitchRenderFailures).toBe(failures);
  });
});

describe('a variant that will not render', () => {
  it('is never recorded as heard: no exposure for any arm, the usual pitch, logged and counted', async () => {
    const failures = h.metrics.pitchRenderFailures;
    const seen = users('BROKEN', 10);
    for (const user of seen) {
      const convo = h.conversation({ userId: user });
      const response = await convo.send(
        convo.session.intent('ProductDetailsIntent', { product: 'burr grinder' }, { newSession: true }),
      );
      const text = said(response);
      expect(text).not.toContain('GRINDER-');
      expect(text).toContain('Our Burr Grinder has forty settings');
      expect(exposuresOf(user)).toEqual([]);
      // Nothing to credit on an order either.
      expect((response.sessionAttributes as { variants?: string[] }).variants ?? []).toEqual([]);
    }
    expect(h.metrics.pitchRenderFailures - failures).toBe(seen.length);
    expect(warnings.filter((w) => w.experiment === 'grinder-pitch' && w.variant === 'b')).toHaveLength(
      seen.length,
    );
  });
});

describe('a concluded experiment', () => {
  it('speaks the shipped variant to everyone in its scope, without exposures; the most specific scope wins', async () => {
    const db = h.database.db;
    const kettle = await runExperiment(db, {
      key: 'kettle-pitch',
      scope: { kind: 'product', productId: ids.kettle },
      variants: [
        { key: 'plain', template: 'KETTLE-PLAIN {{product}}.', isControl: true },
        { key: 'warm', template: 'KETTLE-WARM {{product}}, {{price}}.' },
      ],
    });
    const gear = await runExperiment(db, {
      key: 'gear-pitch',
      scope: { kind: 'category', category: 'brewing gear' },
      variants: [
        { key: 'plain', template: 'GEAR-PLAIN {{product}}.', isControl: true },
        { key: 'bold', template: 'GEAR-BOLD {{product}} from {{merchant}}!' },
      ],
      layer: 'category:brewing-gear',
    });
    const launch = await runExperiment(db, {
      key: 'launch-pitch',
      scope: { kind: 'launch' },
      variants: [
        { key: 'calm', template: 'LAUNCH-CALM {{product}}.', isControl: true },
        { key: 'loud', template: 'LAUNCH-LOUD {{product}}!' },
      ],
    });
    await waitForCaches();
    const during = await details('amzn1.ask.account.DURING', 'gooseneck kettle');
    expect(said(during)).toMatch(/KETTLE-(PLAIN|WARM)/);

    // Stopped: the default pitch again. Concluded: the shipped variant. The category experiment
    // concludes last, and still the kettle's own shipped pitch is the kettle's.
    for (const id of [kettle, gear, launch]) await stopExperiment(db, DEMO_MERCHANT_ID, null, id);
    await waitForCaches();
    expect(said(await details('amzn1.ask.account.STOPPED', 'gooseneck kettle'))).not.toContain('KETTLE-');
    await concludeExperiment(db, DEMO_MERCHANT_ID, null, kettle, 'warm');
    await concludeExperiment(db, DEMO_MERCHANT_ID, null, launch, 'loud');
    await concludeExperiment(db, DEMO_MERCHANT_ID, null, gear, 'bold');
    await waitForCaches();

    const everyone = users('SHIPPED', 10);
    for (const user of everyone) {
      expect(said(await details(user, 'gooseneck kettle'))).toContain(
        'KETTLE-WARM Gooseneck Kettle, $64.00.',
      );
      expect(said(await details(user, 'pour over dripper'))).toContain(
        'GEAR-BOLD Pour-Over Dripper from Northwind Coffee Roasters!',
      );
      const greeting = said(await h.conversation({ userId: user }).launch());
      expect(greeting).toContain('LAUNCH-LOUD Ethiopia Yirgacheffe!');
      // No longer an experiment: nothing is recorded as an exposure.
      expect(exposuresOf(user)).toEqual([]);
    }
  });

  it('is the baseline a later experiment on the scope is measured against: its held-out users hear it', async () => {
    const db = h.database.db;
    const next = await runExperiment(db, {
      key: 'kettle-next',
      scope: { kind: 'product', productId: ids.kettle },
      variants: [
        { key: 'warm', template: 'KETTLE-WARM {{product}}, {{price}}.', isControl: true },
        { key: 'short', template: 'KETTLE-SHORT {{product}}.' },
      ],
      holdoutPercent: 50,
    });
    await waitForCaches();
    let held = 0;
    for (const user of users('NEXT', 24)) {
      const text = said(await details(user, 'gooseneck kettle'));
      const [exposure] = exposuresOf(user);
      expect(exposure?.experiment_id).toBe(next);
      if (exposure?.variant_key === HOLDOUT_VARIANT_KEY) {
        held++;
        expect(text).toContain('KETTLE-WARM Gooseneck Kettle, $64.00.');
      } else {
        expect(text).toContain(exposure?.variant_key === 'short' ? 'KETTLE-SHORT' : 'KETTLE-WARM');
      }
    }
    // Binomial(24, 0.5): 0 or 24 held out has probability 1e-7.
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(24);
  });
});
