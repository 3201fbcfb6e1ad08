import { readFileSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId, ORDER_STATUSES, type OrderStatus } from '@pitchline/core';
import { count, eq, ne, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, migrateDatabase } from './migrate';
import { openDatabase, type PitchlineDb } from './open';
import { advanceOrderStatus } from './order-status';
import { verifyPassword } from './passwords';
import {
  apiKeys,
  experiments,
  experimentVariants,
  linkedCustomers,
  loginAttempts,
  memberSessions,
  members,
  merchants,
  orderItems,
  orders,
  products,
  skills,
} from './schema';
import {
  DEMO_ACCESS_TOKEN,
  DEMO_MERCHANT_ID,
  DEMO_OWNER_EMAIL,
  DEMO_PASSWORD,
  DEMO_PAYMENT_METHOD_ID,
  DEMO_PRODUCTS,
  DEMO_SKILL_ID,
  seedDemo,
} from './seed';
import {
  type Backend,
  createPgliteDataDir,
  openTestDatabase,
  postgresUnavailableReason,
  type TestDatabase,
} from './testing';
import { hashAccessToken, hashToken } from './tokens';

const PG_TEST_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const postgresSkip = await postgresUnavailableReason(PG_TEST_URL);
if (postgresSkip) console.warn(`[@pitchline/db] skipping the PostgreSQL half of the suite: ${postgresSkip}`);

const TABLES = [
  'alert_deliveries',
  'alert_incidents',
  'alert_rules',
  'amazon_connections',
  'amazon_oauth_states',
  'api_keys',
  'audit_log',
  'experiment_history',
  'experiment_layers',
  'experiment_variants',
  'experiments',
  'job_runs',
  'linked_customers',
  'login_attempts',
  'member_invites',
  'member_sessions',
  'members',
  'merchants',
  'order_items',
  'orders',
  'password_resets',
  'processed_webhook_events',
  'products',
  'setup_tokens',
  'skills',
];
const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as {
  entries: unknown[];
};

/** The Postgres constraint a rejected query violated (drizzle wraps the driver error as `cause`). */
async function violated(query: PromiseLike<unknown>): Promise<string> {
  try {
    await query;
  } catch (error) {
    const cause = (error as { cause?: { constraint?: string; code?: string } }).cause;
    return cause?.constraint ?? `no constraint (code ${cause?.code}): ${(error as Error).message}`;
  }
  throw new Error('expected the query to be rejected');
}

async function rowCount(db: PitchlineDb, table: PgTable): Promise<number> {
  const [row] = await db.select({ n: count() }).from(table);
  return row?.n ?? -1;
}

const backends: { kind: Backend; skip: string | undefined }[] = [
  { kind: 'pglite', skip: undefined },
  { kind: 'postgres', skip: postgresSkip },
];

for (const backend of backends) {
  const suite = backend.skip ? describe.skip : describe;
  suite(`${backend.kind}${backend.skip ? ` — skipped: ${backend.skip}` : ''}`, () => {
    let database: TestDatabase;
    let db: PitchlineDb;

    beforeAll(async () => {
      // The first run initializes the PGlite template (initdb): seconds here; hookTimeout is 60 s.
      database = await openTestDatabase(backend.kind, { postgresUrl: PG_TEST_URL, migrate: false });
      db = database.db;
    });
    afterAll(async () => {
      await database?.close();
    });

    it('applies the migrations, and applying them again changes nothing', async () => {
      expect(database.kind).toBe(backend.kind);
      await migrateDatabase(database);
      const tables = await db.execute<{ table_name: string }>(
        sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(TABLES);
      const applied = async () =>
        (await db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`))
          .rows[0]?.n;
      expect(await applied()).toBe(journal.entries.length);
      await migrateDatabase(database);
      await migrateDatabase(database);
      expect(await applied()).toBe(journal.entries.length);
      expect(await database.ping()).toBe(true);
    });

    it('seeds the demo tenant once; a second run creates nothing and returns the same ids', async () => {
      const now = new Date('2026-01-15T12:00:00.000Z');
      const first = await seedDemo(db, { now });
      expect(first).toEqual({
        created: true,
        merchantId: DEMO_MERCHANT_ID,
        skillId: DEMO_SKILL_ID,
        login: { email: DEMO_OWNER_EMAIL, password: DEMO_PASSWORD },
      });
      const counts = async () => ({
        merchants: await rowCount(db, merchants),
        members: await rowCount(db, members),
        skills: await rowCount(db, skills),
        products: await rowCount(db, products),
        linked: await rowCount(db, linkedCustomers),
      });
      const afterFirst = await counts();
      expect(afterFirst).toEqual({
        merchants: 1,
        members: 2,
        skills: 1,
        products: DEMO_PRODUCTS.length,
        linked: 1,
      });

      const second = await seedDemo(db);
      expect(second).toEqual({ ...first, created: false });
      expect(await counts()).toEqual(afterFirst);

      const merchant = await db.query.merchants.findFirst({ where: eq(merchants.id, first.merchantId) });
      expect(merchant).toMatchObject({
        name: 'Northwind Coffee Roasters',
        timezone: 'America/New_York',
        currency: 'USD',
        createdAt: now,
      });
      const owner = await db.query.members.findFirst({ where: eq(members.email, first.login.email) });
      expect(owner?.role).toBe('owner');
      expect(await verifyPassword(first.login.password, owner?.passwordHash ?? '')).toBe(true);
      const skill = await db.query.skills.findFirst({ where: eq(skills.id, first.skillId) });
      expect(skill?.merchantId).toBe(first.merchantId);
      const customer = await db.query.linkedCustomers.findFirst({
        where: eq(linkedCustomers.accessTokenHash, hashAccessToken(DEMO_ACCESS_TOKEN)),
      });
      expect(customer).toMatchObject({
        merchantId: first.merchantId,
        defaultPaymentMethodId: DEMO_PAYMENT_METHOD_ID,
      });
      expect(customer?.stripeCustomerId).toMatch(/^cus_demo/);
      const catalog = await db.query.products.findMany({ where: eq(products.merchantId, first.merchantId) });
      expect(catalog.filter((p) => p.featured)).toHaveLength(1);
      expect(catalog.every((p) => p.active && p.currency === 'USD' && p.synonyms.length > 0)).toBe(true);
    });

    it('enforces case-insensitive unique e-mail, prices, currencies and catalog names', async () => {
      const member = { merchantId: DEMO_MERCHANT_ID, passwordHash: 'x', role: 'analyst' as const };
      expect(await violated(db.insert(members).values({ ...member, email: DEMO_OWNER_EMAIL }))).toBe(
        'members_email_lower_idx',
      );
      // Upper case never reaches the table: the app lower-cases, the CHECK guards the convention.
      expect(await violated(db.insert(members).values({ ...member, email: 'Demo@Pitchline.dev' }))).toBe(
        'members_email_check',
      );
      const product = {
        merchantId: DEMO_MERCHANT_ID,
        category: 'Coffee',
        priceAmount: 100,
        currency: 'USD',
        defaultPitch: '{{product}}',
      };
      expect(await violated(db.insert(products).values({ ...product, name: 'Cheap', priceAmount: -1 }))).toBe(
        'products_price_check',
      );
      expect(await violated(db.insert(products).values({ ...product, name: 'Lower', currency: 'usd' }))).toBe(
        'products_currency_check',
      );
      expect(
        await violated(db.insert(products).values({ ...product, name: DEMO_PRODUCTS[0]?.name ?? '' })),
      ).toBe('products_merchant_name_unique');
      // The same name is fine for another merchant.
      const [other] = await db.insert(merchants).values({ name: 'Other Shop' }).returning();
      await db
        .insert(products)
        .values({ ...product, merchantId: other?.id ?? '', name: DEMO_PRODUCTS[0]?.name ?? '' });
    });

    it('enforces order and order item integrity', async () => {
      const base = {
        merchantId: DEMO_MERCHANT_ID,
        skillId: DEMO_SKILL_ID,
        userId: 'u1',
        sessionId: 's1',
        amountTotal: 1850,
        currency: 'USD',
      };
      const [order] = await db
        .insert(orders)
        .values({ ...base, paymentIntentId: 'pi_1' })
        .returning();
      if (!order) throw new Error('no order');
      expect(
        await violated(
          db.insert(orderItems).values({
            orderId: order.id,
            productId: newId(),
            name: 'Ghost',
            unitAmount: 100,
            quantity: 1,
            currency: 'USD',
          }),
        ),
      ).toBe('order_items_product_id_products_id_fk');
      const [product] = await db.select().from(products).limit(1);
      const item = { productId: product?.id ?? '', name: 'x', unitAmount: 100, quantity: 1, currency: 'USD' };
      expect(await violated(db.insert(orderItems).values({ ...item, orderId: newId() }))).toBe(
        'order_items_order_id_orders_id_fk',
      );
      expect(await violated(db.insert(orderItems).values({ ...item, orderId: order.id, quantity: 0 }))).toBe(
        'order_items_quantity_check',
      );
      expect(await violated(db.insert(orders).values({ ...base, refundedAmount: 1851 }))).toBe(
        'orders_refund_check',
      );
      expect(await violated(db.insert(orders).values({ ...base, paymentIntentId: 'pi_1' }))).toBe(
        'orders_payment_intent_idx',
      );
      expect(await violated(db.insert(orders).values({ ...base, status: 'shipped' as OrderStatus }))).toBe(
        'orders_status_check',
      );
      expect(await violated(db.insert(orders).values({ ...base, skillId: 'amzn1.ask.skill.unknown' }))).toBe(
        'orders_skill_id_skills_id_fk',
      );
      // Orders without a payment reference do not collide on the unique indexes (NULLs are distinct).
      await db.insert(orders).values([base, base]);
    });

    it('round-trips money, timestamps, jsonb and arrays exactly', async () => {
      const paidAt = new Date('2026-03-08T06:59:59.123Z');
      const [order] = await db
        .insert(orders)
        .values({
          merchantId: DEMO_MERCHANT_ID,
          skillId: DEMO_SKILL_ID,
          userId: 'u2',
          sessionId: 's2',
          amountTotal: Number.MAX_SAFE_INTEGER,
          currency: 'USD',
          attribution: ['pitch-test:bold', 'launch:v2'],
          paidAt,
        })
        .returning();
      const read = await db.query.orders.findFirst({ where: eq(orders.id, order?.id ?? '') });
      expect(read?.amountTotal).toBe(Number.MAX_SAFE_INTEGER);
      expect(typeof read?.amountTotal).toBe('number');
      expect(read?.paidAt).toEqual(paidAt);
      expect(read?.attribution).toEqual(['pitch-test:bold', 'launch:v2']);
      expect(read?.status).toBe('pending');
      const withSynonyms = await db.query.products.findFirst({ where: eq(products.name, 'Burr Grinder') });
      expect(withSynonyms?.synonyms).toEqual(['grinder', 'coffee grinder', 'burr mill']);
    });

    it('keeps one live control and one live version per variant key', async () => {
      const [experiment] = await db
        .insert(experiments)
        .values({
          merchantId: DEMO_MERCHANT_ID,
          key: 'grinder-pitch',
          name: 'Grinder pitch',
          scope: 'product',
          scopeValue: 'Burr Grinder',
          primaryMetric: 'conversion',
          salt: 'salt-1',
        })
        .returning();
      const experimentId = experiment?.id ?? '';
      const variant = { experimentId, template: '{{product}}', name: 'A' };
      const [control] = await db
        .insert(experimentVariants)
        .values({ ...variant, key: 'control', isControl: true })
        .returning();
      expect(
        await violated(db.insert(experimentVariants).values({ ...variant, key: 'other', isControl: true })),
      ).toBe('experiment_variants_live_control_idx');
      expect(
        await violated(db.insert(experimentVariants).values({ ...variant, key: 'control', version: 2 })),
      ).toBe('experiment_variants_live_key_idx');
      // Editing a live variant: retire the old row and insert version 2, atomically.
      await db.transaction(async (tx) => {
        await tx
          .update(experimentVariants)
          .set({ retiredAt: new Date() })
          .where(eq(experimentVariants.id, control?.id ?? ''));
        await tx
          .insert(experimentVariants)
          .values({ ...variant, key: 'control', isControl: true, version: 2, template: 'New {{product}}' });
      });
      const rows = await db.query.experiments.findFirst({
        where: eq(experiments.id, experimentId),
        with: { variants: true },
      });
      expect(rows?.variants.map((v) => [v.key, v.version, v.retiredAt === null])).toEqual(
        expect.arrayContaining([
          ['control', 1, false],
          ['control', 2, true],
        ]),
      );
      if (!experiment) throw new Error('no experiment');
      const { id: _id, ...copy } = experiment;
      expect(await violated(db.insert(experiments).values(copy))).toBe('experiments_merchant_key_unique');
      expect(
        await violated(db.insert(experiments).values({ ...copy, key: 'other', holdoutPercent: 101 })),
      ).toBe('experiments_holdout_check');
      expect(await violated(db.insert(experiments).values({ ...copy, key: 'Bad Key!' }))).toBe(
        'experiments_key_check',
      );
    });

    it('keeps sessions and API keys as hashes, read-only keys, and counts login attempts by key', async () => {
      const owner = await db.query.members.findFirst({ where: eq(members.email, DEMO_OWNER_EMAIL) });
      if (!owner) throw new Error('no demo owner');
      const createdAt = new Date('2026-02-01T00:00:00.000Z');
      const session = {
        memberId: owner.id,
        tokenHash: hashToken('cookie-token'),
        csrfTokenHash: hashToken('csrf-token'),
        createdAt,
        expiresAt: new Date(createdAt.getTime() + 86_400_000),
        userAgent: 'vitest',
      };
      const [stored] = await db.insert(memberSessions).values(session).returning();
      expect(stored?.tokenHash).toBe(hashToken('cookie-token'));
      expect(
        await db.query.memberSessions.findFirst({
          where: eq(memberSessions.tokenHash, hashToken('cookie-token')),
          with: { member: true },
        }),
      ).toMatchObject({ member: { merchantId: DEMO_MERCHANT_ID } });
      expect(await violated(db.insert(memberSessions).values(session))).toBe(
        'member_sessions_token_hash_unique',
      );
      expect(
        await violated(db.insert(memberSessions).values({ ...session, tokenHash: 'cookie-token' })),
      ).toBe('member_sessions_token_hash_check');
      expect(
        await violated(
          db.insert(memberSessions).values({ ...session, tokenHash: hashToken('t2'), expiresAt: createdAt }),
        ),
      ).toBe('member_sessions_expiry_check');

      const key = {
        merchantId: DEMO_MERCHANT_ID,
        name: 'Notebook',
        prefix: 'pl_abcd',
        keyHash: hashToken('pl_abcd-secret'),
        createdBy: owner.id,
        expiresAt: new Date('2027-01-01T00:00:00Z'),
      };
      const [apiKey] = await db.insert(apiKeys).values(key).returning();
      expect(apiKey).toMatchObject({ role: 'analyst', revokedAt: null, lastUsedAt: null });
      // Scopes are a closed set, checked by the database too.
      expect(
        await violated(
          // biome-ignore lint/suspicious/noExplicitAny: the database, not the type, must refuse this scope
          db.insert(apiKeys).values({ ...key, keyHash: hashToken('scoped'), scopes: ['admin' as any] }),
        ),
      ).toBe('api_keys_scopes_check');
      expect(await violated(db.insert(apiKeys).values({ ...key, name: 'again' }))).toBe(
        'api_keys_key_hash_unique',
      );
      expect(
        await violated(
          // biome-ignore lint/suspicious/noExplicitAny: the database, not the type, must refuse this role
          db.insert(apiKeys).values({ ...key, keyHash: hashToken('other'), role: 'owner' as any }),
        ),
      ).toBe('api_keys_role_check');

      const since = new Date(Date.now() - 60_000);
      await db
        .insert(loginAttempts)
        .values([{ key: 'email:a@b.c' }, { key: 'email:a@b.c' }, { key: 'ip:10.0.0.1' }]);
      const [recent] = await db
        .select({ n: count() })
        .from(loginAttempts)
        .where(sql`${loginAttempts.key} = ${'email:a@b.c'} and ${loginAttempts.at} > ${since}`);
      expect(recent?.n).toBe(2);

      const [merchant] = await db
        .update(merchants)
        .set({ settings: { weekStartsOn: 1 } })
        .where(eq(merchants.id, DEMO_MERCHANT_ID))
        .returning();
      expect(merchant?.settings).toEqual({ weekStartsOn: 1 });
      expect(
        await violated(
          db
            .update(merchants)
            .set({ settings: [] as unknown as Record<string, unknown> })
            .where(eq(merchants.id, DEMO_MERCHANT_ID)),
        ),
      ).toBe('merchants_settings_check');

      // Removing a member ends their sessions; the keys they made stay, unattributed.
      const [temp] = await db
        .insert(members)
        .values({ merchantId: DEMO_MERCHANT_ID, email: 'temp@pitchline.dev', passwordHash: 'x' })
        .returning();
      await db
        .insert(memberSessions)
        .values({ ...session, memberId: temp?.id ?? '', tokenHash: hashToken('t3') });
      await db
        .update(apiKeys)
        .set({ createdBy: temp?.id ?? '' })
        .where(eq(apiKeys.id, apiKey?.id ?? ''));
      await db.delete(members).where(eq(members.id, temp?.id ?? ''));
      expect(
        await db.query.memberSessions.findFirst({ where: eq(memberSessions.tokenHash, hashToken('t3')) }),
      ).toBe(undefined);
      expect(
        (await db.query.apiKeys.findFirst({ where: eq(apiKeys.id, apiKey?.id ?? '') }))?.createdBy,
      ).toBeNull();
    });

    it('moves order status only forward, in the database too', async () => {
      const [order] = await db
        .insert(orders)
        .values({
          merchantId: DEMO_MERCHANT_ID,
          skillId: DEMO_SKILL_ID,
          userId: 'u3',
          sessionId: 's3',
          amountTotal: 5000,
          currency: 'USD',
        })
        .returning();
      const id = order?.id ?? '';
      const paidAt = new Date('2026-02-01T10:00:00.000Z');
      expect(await advanceOrderStatus(db, id, 'failed')).toEqual({ changed: true, status: 'failed' });
      expect(await advanceOrderStatus(db, id, 'paid', { paidAt, paymentIntentId: 'pi_retry' })).toEqual({
        changed: true,
        status: 'paid',
      });
      // A late payment_failed after paid changes nothing, and its patch is not written.
      expect(await advanceOrderStatus(db, id, 'failed', { paymentIntentId: 'pi_late' })).toEqual({
        changed: false,
        status: 'paid',
      });
      expect(await advanceOrderStatus(db, id, 'paid')).toEqual({ changed: false, status: 'paid' });
      const read = await db.query.orders.findFirst({ where: eq(orders.id, id) });
      expect(read).toMatchObject({ status: 'paid', paidAt, paymentIntentId: 'pi_retry' });
      expect(await advanceOrderStatus(db, newId(), 'paid')).toEqual({ changed: false, status: undefined });
    });

    it('ends in the furthest status when updates race, whatever their order', async () => {
      const shuffled = [...ORDER_STATUSES].sort(() => Math.random() - 0.5);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const [order] = await db
          .insert(orders)
          .values({
            merchantId: DEMO_MERCHANT_ID,
            skillId: DEMO_SKILL_ID,
            userId: 'u4',
            sessionId: `race-${i}`,
            amountTotal: 100,
            currency: 'USD',
          })
          .returning({ id: orders.id });
        ids.push(order?.id ?? '');
      }
      // Every order gets every non-refund status at once; the furthest, 'paid', must win each time.
      const observed = shuffled.filter((s) => s !== 'partially_refunded' && s !== 'refunded');
      await Promise.all(ids.flatMap((id) => observed.map((s) => advanceOrderStatus(db, id, s))));
      const rows = await db.select({ status: orders.status }).from(orders).where(eq(orders.userId, 'u4'));
      expect(rows.map((r) => r.status)).toEqual(ids.map(() => 'paid'));
    });

    it('leaves nothing behind when a transaction fails', async () => {
      const before = { orders: await rowCount(db, orders), items: await rowCount(db, orderItems) };
      const [product] = await db.select().from(products).limit(1);
      const orderId = newId();
      const attempt = db.transaction(async (tx) => {
        await tx.insert(orders).values({
          id: orderId,
          merchantId: DEMO_MERCHANT_ID,
          skillId: DEMO_SKILL_ID,
          userId: 'u5',
          sessionId: 's5',
          amountTotal: 200,
          currency: 'USD',
        });
        const item = { orderId, productId: product?.id ?? '', name: 'x', unitAmount: 100, currency: 'USD' };
        await tx.insert(orderItems).values({ ...item, quantity: 2 });
        await tx.insert(orderItems).values({ ...item, quantity: -1 });
      });
      expect(await violated(attempt)).toBe('order_items_quantity_check');
      expect({ orders: await rowCount(db, orders), items: await rowCount(db, orderItems) }).toEqual(before);
      expect(await db.query.orders.findFirst({ where: eq(orders.id, orderId) })).toBeUndefined();
      // The connection is usable afterwards (no transaction left open).
      expect(await database.ping()).toBe(true);
    });

    it('removes a tenant with everything it owns, and nothing of another tenant', async () => {
      const othersBefore = await db
        .select({ id: products.id })
        .from(products)
        .where(ne(products.merchantId, DEMO_MERCHANT_ID));
      expect(othersBefore.length).toBeGreaterThan(0);
      await db.delete(merchants).where(eq(merchants.id, DEMO_MERCHANT_ID));
      for (const table of [
        orders,
        orderItems,
        members,
        skills,
        linkedCustomers,
        experiments,
        apiKeys,
        memberSessions,
      ]) {
        expect(await rowCount(db, table)).toBe(0);
      }
      expect(await rowCount(db, products)).toBe(othersBefore.length);
    });

    it('reports ping false once closed, and closes twice without error', async () => {
      await database.close();
      expect(await database.ping()).toBe(false);
      await database.close();
    });

    if (backend.kind === 'pglite') {
      it('keeps its data under <dataDir>/postgres across reopening', async () => {
        const dataDir = await createPgliteDataDir();
        try {
          const first = await openDatabase({ dataDir });
          await migrateDatabase(first);
          expect((await seedDemo(first.db)).created).toBe(true);
          // A second opener of a directory in use fails instead of corrupting it.
          await expect(openDatabase({ dataDir })).rejects.toThrow(/in use by this process/);
          await first.close();
          expect((await stat(join(dataDir, 'postgres'))).isDirectory()).toBe(true);
          const again = await openDatabase({ dataDir });
          await migrateDatabase(again);
          expect((await seedDemo(again.db)).created).toBe(false);
          expect(await rowCount(again.db, products)).toBe(DEMO_PRODUCTS.length);
          await again.close();
        } finally {
          await rm(dataDir, { recursive: true, force: true });
        }
      });
    }

    if (backend.kind === 'postgres') {
      it('serializes concurrent migrations and seeds of a fresh database', async () => {
        const fresh = await openTestDatabase('postgres', { postgresUrl: PG_TEST_URL, migrate: false });
        const second = await openDatabase({ databaseUrl: fresh.location, dataDir: tmpdir() });
        try {
          await Promise.all([migrateDatabase(fresh), migrateDatabase(second), migrateDatabase(fresh)]);
          const seeds = await Promise.all([seedDemo(fresh.db), seedDemo(second.db)]);
          expect(seeds.filter((s) => s.created)).toHaveLength(1);
          expect(await rowCount(fresh.db, products)).toBe(DEMO_PRODUCTS.length);
          const applied = await fresh.db.execute<{ n: number }>(
            sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
          );
          expect(applied.rows[0]?.n).toBe(journal.entries.length);
        } finally {
          await second.close();
          await fresh.close();
        }
      });

      it('fails to open when the server is unreachable', async () => {
        await expect(
          openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/nothing', dataDir: tmpdir() }),
        ).rejects.toThrow();
      });
    }
  });
}
