import { newId } from '@pitchline/core';
import type { PitchlineDb } from './open';
import { hashPassword } from './passwords';
import { linkedCustomers, members, merchants, type NewProduct, products, skills } from './schema';
import { hashAccessToken } from './tokens';

/*
 * The demo tenant: what a fresh install shows, and what local development and tests drive.
 * Everything here is public on purpose — never use these credentials outside a demo.
 */

/** Fixed so reseeding finds it and docs and tests can name it. A valid UUIDv7. */
export const DEMO_MERCHANT_ID = '01936f4e-0000-7000-8000-000000000001';
export const DEMO_MERCHANT_NAME = 'Northwind Coffee Roasters';
export const DEMO_SKILL_ID = 'amzn1.ask.skill.00000000-0000-4000-8000-000000000001';
export const DEMO_OWNER_EMAIL = 'demo@pitchline.dev';
export const DEMO_ANALYST_EMAIL = 'analyst@pitchline.dev';
/** Password of both demo members. */
export const DEMO_PASSWORD = 'pitchline-demo';
/** The Alexa access token the demo linked customer is found by (only its SHA-256 is stored). */
export const DEMO_ACCESS_TOKEN = 'demo-access-token';
export const DEMO_STRIPE_CUSTOMER_ID = 'cus_demo_northwind';
/** Stripe's test-mode card token: succeeds without 3-D Secure. */
export const DEMO_PAYMENT_METHOD_ID = 'pm_card_visa';

type DemoProduct = Pick<NewProduct, 'name' | 'description' | 'category' | 'priceAmount' | 'synonyms'> & {
  featured?: boolean;
  pitch: string;
};

// Default pitches are pitch templates (see @pitchline/core pitch-template): SSML fragments whose
// {{product}} and {{price}} come from the catalog at render time, so a price change never makes them
// stale. The skill adds the question that follows ("Shall I add it to your cart?").
export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  {
    name: 'Ethiopia Yirgacheffe',
    category: 'Coffee',
    priceAmount: 1850,
    description: 'Washed single origin, light roast. Jasmine, bergamot and lemon. 12 oz whole bean.',
    synonyms: ['yirgacheffe', 'ethiopian', 'ethiopia coffee'],
    featured: true,
    pitch:
      '{{product}} is the coffee our roasters drink at home.<break time="300ms"/> Light and floral, with jasmine and a bright lemon finish, for {{price}} a bag.',
  },
  {
    name: 'Colombia Huila',
    category: 'Coffee',
    priceAmount: 1650,
    description: 'Medium roast from smallholders in Huila. Caramel, red apple, milk chocolate. 12 oz.',
    synonyms: ['huila', 'colombian', 'colombia coffee'],
    pitch:
      '{{product}} is our crowd pleaser: caramel sweetness, a little red apple and a smooth chocolate finish. A bag is {{price}}.',
  },
  {
    name: 'Sumatra Mandheling',
    category: 'Coffee',
    priceAmount: 1700,
    description: 'Wet-hulled, dark roast. Cedar, dark chocolate and a heavy body. 12 oz.',
    synonyms: ['sumatra', 'mandheling', 'sumatran'],
    pitch:
      'If you like your coffee bold, try {{product}}: <emphasis level="moderate">heavy body</emphasis>, cedar and dark chocolate, for {{price}}.',
  },
  {
    name: 'Northwind House Espresso',
    category: 'Coffee',
    priceAmount: 1550,
    description: 'Brazil and Guatemala blend for espresso and milk drinks. Hazelnut, cocoa. 12 oz.',
    synonyms: ['house espresso', 'espresso blend', 'espresso'],
    pitch:
      'Our {{product}} pulls a sweet, syrupy shot with hazelnut and cocoa, and it shines in a latte. It is {{price}} a bag.',
  },
  {
    name: 'Swiss Water Decaf',
    category: 'Coffee',
    priceAmount: 1600,
    description: 'Chemical-free decaffeinated Peru, medium roast. Brown sugar and almond. 12 oz.',
    synonyms: ['decaf', 'decaffeinated', 'decaf coffee'],
    pitch:
      '{{product}} is decaffeinated without chemicals and still tastes of brown sugar and almond. Perfect after dinner, at {{price}}.',
  },
  {
    name: 'Pour-Over Dripper',
    category: 'Brewing Gear',
    priceAmount: 2800,
    description: 'Ceramic cone dripper, fits most mugs. Uses number 2 filters.',
    synonyms: ['dripper', 'pour over', 'pour-over cone', 'cone'],
    pitch:
      'The ceramic {{product}} is the simplest way to a clean, sweet cup, and it sits on any mug. It costs {{price}}.',
  },
  {
    name: 'Burr Grinder',
    category: 'Brewing Gear',
    priceAmount: 12900,
    description: 'Conical steel burrs, 40 grind settings from espresso to cold brew.',
    synonyms: ['grinder', 'coffee grinder', 'burr mill'],
    pitch:
      'Freshly ground beans are the biggest upgrade you can make.<break time="200ms"/> Our {{product}} has forty settings, from espresso to cold brew, for {{price}}.',
  },
  {
    name: 'Gooseneck Kettle',
    category: 'Brewing Gear',
    priceAmount: 6400,
    description: 'Electric kettle with a precise spout and temperature hold, 0.9 liters.',
    synonyms: ['kettle', 'gooseneck', 'electric kettle'],
    pitch:
      'The {{product}} holds your water at the exact temperature and pours a slow, steady stream. It is {{price}}.',
  },
  {
    name: 'Cold Brew Bottle',
    category: 'Brewing Gear',
    priceAmount: 3200,
    description: 'One-liter glass bottle with a fine mesh filter. Brew overnight in the fridge.',
    synonyms: ['cold brew maker', 'cold brew', 'brew bottle'],
    pitch:
      'With the {{product}}, you add coffee and water tonight and wake up to smooth cold brew. Just {{price}}.',
  },
  {
    name: 'Earl Grey Supreme',
    category: 'Tea',
    priceAmount: 1200,
    description: 'Black tea with bergamot oil and blue cornflowers. 3.5 oz loose leaf.',
    synonyms: ['earl grey', 'black tea', 'bergamot tea'],
    pitch: '{{product}} is a bright black tea with real bergamot and blue cornflowers, {{price}} a tin.',
  },
  {
    name: 'Coffee Lover Gift Box',
    category: 'Gifts',
    priceAmount: 4900,
    description: 'Three 6 oz bags of our favorite single origins with tasting notes, gift wrapped.',
    synonyms: ['gift box', 'gift set', 'coffee gift'],
    pitch:
      'Looking for a gift? The {{product}} holds three of our favorite coffees, gift wrapped with tasting notes, for {{price}}.',
  },
  {
    name: 'Northwind Mug',
    category: 'Gifts',
    priceAmount: 2200,
    description: 'Stoneware mug, 12 oz, glazed by hand in Vermont.',
    synonyms: ['mug', 'coffee mug', 'cup'],
    pitch: 'The {{product}} is hand glazed in Vermont and keeps a twelve ounce pour warm. It is {{price}}.',
  },
];

export interface SeedDemoResult {
  /** False when the demo tenant already existed: nothing was written. */
  created: boolean;
  merchantId: string;
  skillId: string;
  login: { email: string; password: string };
}

/** Creates the demo tenant once. Safe to call on every start and from concurrent processes. */
export async function seedDemo(db: PitchlineDb, options: { now?: Date } = {}): Promise<SeedDemoResult> {
  const result = (created: boolean): SeedDemoResult => ({
    created,
    merchantId: DEMO_MERCHANT_ID,
    skillId: DEMO_SKILL_ID,
    login: { email: DEMO_OWNER_EMAIL, password: DEMO_PASSWORD },
  });
  const existing = await db.query.merchants.findFirst({
    columns: { id: true },
    where: (m, { eq }) => eq(m.id, DEMO_MERCHANT_ID),
  });
  if (existing) return result(false);

  const now = options.now ?? new Date();
  // Hashed outside the transaction: scrypt is slow on purpose and must not hold a connection.
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const created = await db.transaction(async (tx) => {
    // The merchant row is the claim: a concurrent seeder blocks on its primary key, then inserts
    // nothing here and leaves everything else to the winner.
    const claimed = await tx
      .insert(merchants)
      .values({
        id: DEMO_MERCHANT_ID,
        name: DEMO_MERCHANT_NAME,
        timezone: 'America/New_York',
        currency: 'USD',
        paymentMode: 'simulated',
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: merchants.id });
    if (claimed.length === 0) return false;

    await tx.insert(members).values([
      {
        id: newId(),
        merchantId: DEMO_MERCHANT_ID,
        email: DEMO_OWNER_EMAIL,
        passwordHash,
        role: 'owner',
        createdAt: now,
      },
      {
        id: newId(),
        merchantId: DEMO_MERCHANT_ID,
        email: DEMO_ANALYST_EMAIL,
        passwordHash,
        role: 'analyst',
        createdAt: now,
      },
    ]);
    await tx
      .insert(skills)
      .values({ id: DEMO_SKILL_ID, merchantId: DEMO_MERCHANT_ID, name: 'Northwind Coffee', createdAt: now });
    await tx.insert(products).values(
      DEMO_PRODUCTS.map(({ pitch, featured, ...product }) => ({
        ...product,
        id: newId(),
        merchantId: DEMO_MERCHANT_ID,
        currency: 'USD',
        featured: featured ?? false,
        defaultPitch: pitch,
        createdAt: now,
        updatedAt: now,
      })),
    );
    await tx.insert(linkedCustomers).values({
      id: newId(),
      merchantId: DEMO_MERCHANT_ID,
      accessTokenHash: hashAccessToken(DEMO_ACCESS_TOKEN),
      stripeCustomerId: DEMO_STRIPE_CUSTOMER_ID,
      defaultPaymentMethodId: DEMO_PAYMENT_METHOD_ID,
      email: 'alex.shopper@example.com',
      name: 'Alex Shopper',
      createdAt: now,
    });
    return true;
  });
  return result(created);
}
