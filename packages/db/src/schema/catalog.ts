import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { merchants } from './accounts';
import { createdAt, currency, id, isCurrency, money, updatedAt } from './columns';

/* What a merchant sells. */

export const products = pgTable(
  'products',
  {
    id: id(),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    category: text('category').notNull(),
    priceAmount: money('price_amount').notNull(),
    /**
     * The "was" price a sale is measured against (compare-at, as storefronts call it), same currency;
     * null when the product is not on sale. price_amount stays what is charged, so checkout and
     * revenue never read this; pitches say the difference as {{discount}} (core's compareAtDiscount).
     */
    compareAtAmount: money('compare_at_amount'),
    currency: currency().notNull(),
    active: boolean('active').notNull().default(true),
    featured: boolean('featured').notNull().default(false),
    /** Pitch template (SSML fragment with {{placeholders}}, see core's pitch-template) spoken until an experiment applies. */
    defaultPitch: text('default_pitch').notNull(),
    /** Extra spoken names, fed to the skill's entity resolution. */
    synonyms: text('synonyms').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The skill resolves spoken names within one merchant's catalog: names must not be ambiguous.
    unique('products_merchant_name_unique').on(t.merchantId, t.name),
    index('products_merchant_active_idx').on(t.merchantId, t.active),
    check('products_price_check', sql`${t.priceAmount} >= 0`),
    // A sale is a discount: a compare-at price at or below the price would be a {{discount}} of nothing.
    check(
      'products_compare_at_check',
      sql`${t.compareAtAmount} is null or ${t.compareAtAmount} > ${t.priceAmount}`,
    ),
    check('products_currency_check', isCurrency(t.currency)),
    check('products_name_check', sql`length(${t.name}) between 1 and 200`),
  ],
);
