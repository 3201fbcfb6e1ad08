import type { ExperimentDefinitionInput } from '@pitchline/core';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PitchlineDb } from '../open';
import {
  experimentHistoryEntries,
  experiments,
  experimentVariants,
  members,
  merchants,
  products,
} from '../schema';
import { DEMO_MERCHANT_ID, DEMO_OWNER_EMAIL, seedDemo } from '../seed';
import { type Backend, openTestDatabase, postgresUnavailableReason, type TestDatabase } from '../testing';
import {
  concludeExperiment,
  createExperiment,
  ExperimentError,
  experimentHistory,
  getExperiment,
  listExperiments,
  runningExperiments,
  runningExperimentsFor,
  setVariantWeights,
  startExperiment,
  stopExperiment,
  updateExperiment,
} from './index';

const PG_TEST_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const postgresSkip = await postgresUnavailableReason(PG_TEST_URL);

/** The ExperimentError an operation was refused with. */
async function refusal(promise: Promise<unknown>): Promise<{ code: string; reasons: string[] }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ExperimentError) return { code: error.code, reasons: error.reasons };
    throw error;
  }
  throw new Error('expected the operation to be refused');
}

const variants = (templates: { control?: string; bold?: string; warm?: string } = {}) => [
  {
    key: 'control',
    name: 'Current',
    template: templates.control ?? '{{product}} is {{price}}.',
    weight: 1,
    isControl: true,
  },
  { key: 'bold', name: 'Bold', template: templates.bold ?? 'Only {{price}}! {{product}}.', weight: 1 },
  {
    key: 'warm',
    name: 'Warm',
    template: templates.warm ?? 'You will love {{product}}, {{price}}.',
    weight: 2,
  },
];

const backends: { kind: Backend; skip: string | undefined }[] = [
  { kind: 'pglite', skip: undefined },
  { kind: 'postgres', skip: postgresSkip },
];

for (const backend of backends) {
  const suite = backend.skip ? describe.skip : describe;
  suite(`experiments repository on ${backend.kind}`, () => {
    let database: TestDatabase;
    let db: PitchlineDb;
    let owner: string;
    let coffeeProduct: string;
    let otherMerchant: string;
    let otherMember: string;
    let otherProduct: string;

    const input = (
      key: string,
      overrides: Partial<ExperimentDefinitionInput> = {},
    ): ExperimentDefinitionInput => ({
      key,
      hypothesis: 'Leading with the price sells more',
      scope: { kind: 'product', productId: coffeeProduct },
      variants: variants(),
      primaryMetric: 'conversion',
      guardrailMetrics: ['stop_after_pitch'],
      ...overrides,
    });

    beforeAll(async () => {
      database = await openTestDatabase(backend.kind, { postgresUrl: PG_TEST_URL });
      db = database.db;
      await seedDemo(db);
      owner = (await db.query.members.findFirst({ where: eq(members.email, DEMO_OWNER_EMAIL) }))?.id ?? '';
      coffeeProduct =
        (await db.query.products.findFirst({ where: eq(products.name, 'Ethiopia Yirgacheffe') }))?.id ?? '';
      const [merchant] = await db.insert(merchants).values({ name: 'Other Roasters' }).returning();
      otherMerchant = merchant?.id ?? '';
      const [member] = await db
        .insert(members)
        .values({ merchantId: otherMerchant, email: 'other@example.com', passwordHash: 'x', role: 'owner' })
        .returning();
      otherMember = member?.id ?? '';
      const [product] = await db
        .insert(products)
        .values({
          merchantId: otherMerchant,
          name: 'Other Beans',
          category: 'Coffee',
          priceAmount: 1000,
          currency: 'USD',
          defaultPitch: '{{product}}',
        })
        .returning();
      otherProduct = product?.id ?? '';
    });
    afterAll(async () => {
      await database?.close();
    });

    it('creates a draft with defaults, version-1 variants and a history entry naming the actor', async () => {
      const created = await createExperiment(db, DEMO_MERCHANT_ID, owner, input('price-first'));
      expect(created).toMatchObject({
        merchantId: DEMO_MERCHANT_ID,
        key: 'price-first',
        name: 'price-first',
        status: 'draft',
        scope: { kind: 'product', productId: coffeeProduct },
        layer: `product:${coffeeProduct}`,
        conversionWindowHours: 72,
        mode: 'fixed',
        shippedVariantKey: null,
        startedAt: null,
      });
      expect(created.variants.map((v) => [v.key, v.version, v.weight, v.isControl])).toEqual([
        ['bold', 1, 1, false],
        ['control', 1, 1, true],
        ['warm', 1, 2, false],
      ]);
      expect(created.salt).toMatch(/^[\w-]{16}$/);
      const other = await createExperiment(db, DEMO_MERCHANT_ID, owner, input('price-second'));
      expect(other.salt).not.toBe(created.salt);
      const history = await experimentHistory(db, DEMO_MERCHANT_ID, created.id);
      expect(history).toEqual([
        expect.objectContaining({
          action: 'create',
          actor: { id: owner, email: DEMO_OWNER_EMAIL },
          details: { definition: expect.objectContaining({ key: 'price-first' }) },
        }),
      ]);
    });

    it('refuses invalid input with located reasons, a taken key, and a product of another catalog', async () => {
      const broken = input('broken', { variants: variants({ bold: 'Only <blink>{{price}}</blink>' }) });
      const invalid = await refusal(createExperiment(db, DEMO_MERCHANT_ID, owner, broken));
      expect(invalid.code).toBe('invalid');
      expect(invalid.reasons.some((r) => /^variants\.1\.template: line 1, column 6: .*blink/.test(r))).toBe(
        true,
      );
      expect(await refusal(createExperiment(db, DEMO_MERCHANT_ID, owner, input('price-first')))).toEqual({
        code: 'conflict',
        reasons: ['key: an experiment with the key "price-first" already exists'],
      });
      // The same key is free for another merchant.
      const theirs = await createExperiment(
        db,
        otherMerchant,
        otherMember,
        input('price-first', { scope: { kind: 'product', productId: otherProduct } }),
      );
      expect(theirs.merchantId).toBe(otherMerchant);
      expect(
        await refusal(
          createExperiment(
            db,
            DEMO_MERCHANT_ID,
            owner,
            input('foreign', { scope: { kind: 'product', productId: otherProduct } }),
          ),
        ),
      ).toEqual({ code: 'invalid', reasons: ['scope.productId: no such product in this catalog'] });
      expect(
        (await refusal(createExperiment(db, DEMO_MERCHANT_ID, otherMember, input('spoofed')))).code,
      ).toBe('invalid');
      expect(await db.query.experiments.findFirst({ where: eq(experiments.key, 'foreign') })).toBeUndefined();
    });

    it("shows nothing of another merchant's experiments, to reads and writes alike", async () => {
      const theirs = (await listExperiments(db, otherMerchant))[0];
      if (!theirs) throw new Error('fixture');
      expect(await getExperiment(db, DEMO_MERCHANT_ID, theirs.id)).toBeNull();
      expect(await getExperiment(db, DEMO_MERCHANT_ID, 'not-a-uuid')).toBeNull();
      expect((await getExperiment(db, otherMerchant, theirs.id))?.key).toBe('price-first');
      expect((await listExperiments(db, DEMO_MERCHANT_ID)).map((e) => e.key)).toEqual([
        'price-second',
        'price-first',
      ]);
      const notFound = { code: 'not_found', reasons: ['no such experiment'] };
      expect(await refusal(experimentHistory(db, DEMO_MERCHANT_ID, theirs.id))).toEqual(notFound);
      expect(await refusal(updateExperiment(db, DEMO_MERCHANT_ID, owner, theirs.id, { name: 'x' }))).toEqual(
        notFound,
      );
      expect(await refusal(startExperiment(db, DEMO_MERCHANT_ID, owner, theirs.id))).toEqual(notFound);
      expect(await refusal(stopExperiment(db, DEMO_MERCHANT_ID, owner, 'nope'))).toEqual(notFound);
      expect(await refusal(concludeExperiment(db, DEMO_MERCHANT_ID, owner, theirs.id, 'bold'))).toEqual(
        notFound,
      );
      expect((await getExperiment(db, otherMerchant, theirs.id))?.status).toBe('draft');
    });

    it('edits a draft in place: variants added, removed, control moved, no new versions', async () => {
      const draft = (await listExperiments(db, DEMO_MERCHANT_ID)).find((e) => e.key === 'price-second');
      if (!draft) throw new Error('fixture');
      const edited = await updateExperiment(db, DEMO_MERCHANT_ID, owner, draft.id, {
        hypothesis: 'A story sells more',
        scope: { kind: 'category', category: 'Coffee' },
        variants: [
          {
            key: 'control',
            name: 'Current',
            template: '{{product}} is {{price}}.',
            weight: 1,
            isControl: false,
          },
          { key: 'warm', name: 'Warm', template: 'A warm {{product}}.', weight: 3, isControl: true },
          { key: 'story', name: 'Story', template: 'Picked at dawn: {{product}}.', weight: 1 },
        ],
      });
      expect(edited.layer).toBe('category:coffee');
      expect(edited.variants.map((v) => [v.key, v.version, v.weight, v.isControl, v.template])).toEqual([
        ['control', 1, 1, false, '{{product}} is {{price}}.'],
        ['story', 1, 1, false, 'Picked at dawn: {{product}}.'],
        ['warm', 1, 3, true, 'A warm {{product}}.'],
      ]);
      const [history] = (await experimentHistory(db, DEMO_MERCHANT_ID, draft.id)).slice(-1);
      expect(history?.action).toBe('update');
      expect(history?.details).toMatchObject({
        fields: { hypothesis: { from: 'Leading with the price sells more', to: 'A story sells more' } },
        added: [expect.objectContaining({ key: 'story' })],
        removed: [expect.objectContaining({ key: 'bold' })],
      });
      // A refused edit writes nothing, history included.
      const entries = (await experimentHistory(db, DEMO_MERCHANT_ID, draft.id)).length;
      const refused = await refusal(
        updateExperiment(db, DEMO_MERCHANT_ID, owner, draft.id, {
          scope: { kind: 'product', productId: otherProduct },
        }),
      );
      expect(refused.code).toBe('invalid');
      expect((await experimentHistory(db, DEMO_MERCHANT_ID, draft.id)).length).toBe(entries);
      expect((await getExperiment(db, DEMO_MERCHANT_ID, draft.id))?.scope).toEqual({
        kind: 'category',
        category: 'Coffee',
      });
    });

    it('runs the lifecycle: start, weights in place, a template as a new version, stop, conclude, frozen', async () => {
      const draft = (await listExperiments(db, DEMO_MERCHANT_ID)).find((e) => e.key === 'price-first');
      if (!draft) throw new Error('fixture');
      const running = await startExperiment(db, DEMO_MERCHANT_ID, owner, draft.id);
      expect(running.status).toBe('running');
      expect(running.startedAt).toBeInstanceOf(Date);
      expect(await refusal(startExperiment(db, DEMO_MERCHANT_ID, owner, draft.id))).toEqual({
        code: 'conflict',
        reasons: ['the experiment is already running'],
      });
      expect(
        await refusal(updateExperiment(db, DEMO_MERCHANT_ID, owner, draft.id, { hypothesis: 'New' })),
      ).toEqual({
        code: 'conflict',
        reasons: ['hypothesis cannot change while the experiment is running'],
      });

      const reweighted = await updateExperiment(db, DEMO_MERCHANT_ID, owner, draft.id, {
        variants: variants().map((v) => ({ ...v, weight: v.key === 'warm' ? 1 : v.weight })),
      });
      expect(reweighted.variants.map((v) => [v.key, v.version, v.weight])).toEqual([
        ['bold', 1, 1],
        ['control', 1, 1],
        ['warm', 1, 1],
      ]);
      // Repeating the current definition changes nothing and records nothing.
      const before = (await experimentHistory(db, DEMO_MERCHANT_ID, draft.id)).length;
      await updateExperiment(db, DEMO_MERCHANT_ID, owner, draft.id, {
        variants: variants().map((v) => ({ ...v, weight: 1 })),
      });
      expect((await experimentHistory(db, DEMO_MERCHANT_ID, draft.id)).length).toBe(before);

      const reworded = await updateExperiment(db, DEMO_MERCHANT_ID, owner, draft.id, {
        variants: variants({ bold: 'Just {{price}} today: {{product}}!' }).map((v) => ({ ...v, weight: 1 })),
      });
      const bold = reworded.variants.find((v) => v.key === 'bold');
      expect(bold).toMatchObject({ version: 2, template: 'Just {{price}} today: {{product}}!' });
      const rows = await db
        .select()
        .from(experimentVariants)
        .where(and(eq(experimentVariants.experimentId, draft.id), eq(experimentVariants.key, 'bold')));
      expect(rows.map((r) => [r.version, r.retiredAt === null, r.template]).sort()).toEqual([
        [1, false, 'Only {{price}}! {{product}}.'],
        [2, true, 'Just {{price}} today: {{product}}!'],
      ]);
      const last = (await experimentHistory(db, DEMO_MERCHANT_ID, draft.id)).at(-1);
      expect(last).toMatchObject({
        action: 'variant_version',
        actor: { id: owner },
        details: {
          variantKey: 'bold',
          from: { version: 1, template: 'Only {{price}}! {{product}}.' },
          to: { version: 2, template: 'Just {{price}} today: {{product}}!', variantId: bold?.id },
        },
      });

      const live = await runningExperimentsFor(db, DEMO_MERCHANT_ID, {
        scope: { kind: 'product', productId: coffeeProduct },
      });
      expect(live.map((e) => e.key)).toEqual(['price-first']);
      expect(live[0]?.variants.map((v) => [v.key, v.version, v.weight])).toEqual([
        ['bold', 2, 1],
        ['control', 1, 1],
        ['warm', 1, 1],
      ]);

      expect(await refusal(concludeExperiment(db, DEMO_MERCHANT_ID, owner, draft.id, 'bold'))).toEqual({
        code: 'conflict',
        reasons: ['stop the experiment before concluding it'],
      });
      expect((await stopExperiment(db, DEMO_MERCHANT_ID, owner, draft.id)).stoppedAt).toBeInstanceOf(Date);
      expect(
        await runningExperimentsFor(db, DEMO_MERCHANT_ID, {
          scope: { kind: 'product', productId: coffeeProduct },
        }),
      ).toEqual([]);
      expect((await refusal(concludeExperiment(db, DEMO_MERCHANT_ID, owner, draft.id, 'nope'))).code).toBe(
        'conflict',
      );
      const concluded = await concludeExperiment(db, DEMO_MERCHANT_ID, owner, draft.id, 'bold');
      expect(concluded).toMatchObject({ status: 'concluded', shippedVariantKey: 'bold' });
      expect(await refusal(updateExperiment(db, DEMO_MERCHANT_ID, owner, draft.id, { name: 'x' }))).toEqual({
        code: 'conflict',
        reasons: ['a concluded experiment cannot be edited'],
      });
      const actions = (await experimentHistory(db, DEMO_MERCHANT_ID, draft.id)).map((h) => h.action);
      expect(actions).toEqual(['create', 'start', 'update', 'variant_version', 'stop', 'conclude']);
      // Every write came with its history row: one per change, none orphaned.
      const [entries] = await db
        .select({ n: count() })
        .from(experimentHistoryEntries)
        .where(eq(experimentHistoryEntries.experimentId, draft.id));
      expect(entries?.n).toBe(actions.length);
    });

    it('finds the running experiments of a product, its category (any case) and the launch slot', async () => {
      const category = await createExperiment(
        db,
        DEMO_MERCHANT_ID,
        owner,
        input('coffee-wide', { scope: { kind: 'category', category: 'Coffee' } }),
      );
      const launch = await createExperiment(
        db,
        DEMO_MERCHANT_ID,
        owner,
        input('launch', { scope: { kind: 'launch' } }),
      );
      const product = await createExperiment(db, DEMO_MERCHANT_ID, owner, input('product-2'));
      for (const e of [category, launch, product]) await startExperiment(db, DEMO_MERCHANT_ID, null, e.id);
      const theirs = (await listExperiments(db, otherMerchant))[0];
      await startExperiment(db, otherMerchant, otherMember, theirs?.id ?? '');

      const forProduct = await runningExperimentsFor(db, DEMO_MERCHANT_ID, {
        scope: { kind: 'product', productId: coffeeProduct, category: 'coffee' },
      });
      expect(forProduct.map((e) => [e.key, e.scopeKind, e.layer])).toEqual([
        ['coffee-wide', 'category', 'category:coffee'],
        ['product-2', 'product', `product:${coffeeProduct}`],
      ]);
      expect(forProduct[0]).toMatchObject({ holdoutPercent: 0, mode: 'fixed', scopeValue: 'Coffee' });
      expect(forProduct[0]?.salt).toBe(category.salt);
      expect(
        (await runningExperimentsFor(db, DEMO_MERCHANT_ID, { scope: { kind: 'launch' } })).map((e) => e.key),
      ).toEqual(['launch']);
      expect(
        (
          await runningExperimentsFor(db, otherMerchant, {
            scope: { kind: 'product', productId: otherProduct },
          })
        ).map((e) => e.key),
      ).toEqual(['price-first']);
      // Unscoped, every running experiment of the merchant (what the skill caches), in start order.
      const all = (await runningExperiments(db, DEMO_MERCHANT_ID)).map((e) => e.key);
      expect(all).toEqual(expect.arrayContaining(['coffee-wide', 'launch', 'product-2']));
      expect(all).not.toContain('price-first');
      expect(all.indexOf('coffee-wide')).toBeLessThan(all.indexOf('product-2'));
      // Started by the system (no member): recorded without an actor.
      expect((await experimentHistory(db, DEMO_MERCHANT_ID, launch.id)).at(-1)).toMatchObject({
        action: 'start',
        actor: null,
      });
    });

    it('serializes concurrent edits of one running variant into consecutive versions', async () => {
      const live = await runningExperimentsFor(db, DEMO_MERCHANT_ID, { scope: { kind: 'launch' } });
      const id = live[0]?.id ?? '';
      const edits = ['First {{product}}.', 'Second {{product}}.', 'Third {{product}}.'].map((warm) =>
        updateExperiment(db, DEMO_MERCHANT_ID, owner, id, { variants: variants({ warm }) }),
      );
      await Promise.all(edits);
      const rows = await db
        .select()
        .from(experimentVariants)
        .where(and(eq(experimentVariants.experimentId, id), eq(experimentVariants.key, 'warm')));
      expect(rows.map((r) => r.version).sort()).toEqual([1, 2, 3, 4]);
      expect(rows.filter((r) => r.retiredAt === null)).toHaveLength(1);
      const versions = (await experimentHistory(db, DEMO_MERCHANT_ID, id)).filter(
        (h) => h.action === 'variant_version',
      );
      expect(versions.map((h) => (h.details.to as { version: number }).version)).toEqual([2, 3, 4]);
    });
    it("sets a bandit's weights alone, within its floor, without undoing a concurrent template edit", async () => {
      const bandit = await createExperiment(
        db,
        DEMO_MERCHANT_ID,
        owner,
        input('bandit', {
          scope: { kind: 'launch' },
          layer: 'bandit-slot',
          mode: 'bandit',
          banditFloor: 0.1,
        }),
      );
      await startExperiment(db, DEMO_MERCHANT_ID, owner, bandit.id);
      expect(
        (
          await refusal(
            setVariantWeights(db, DEMO_MERCHANT_ID, null, bandit.id, { control: 9500, bold: 400, warm: 100 }),
          )
        ).reasons,
      ).toEqual([
        expect.stringMatching(/^variants\.0\.weight: .*below the bandit floor of 10%/),
        expect.stringMatching(/^variants\.2\.weight: .*below the bandit floor/),
      ]);
      expect(
        await refusal(
          setVariantWeights(db, DEMO_MERCHANT_ID, null, bandit.id, { control: 1, bold: 1, nope: 1 }),
        ),
      ).toEqual({
        code: 'invalid',
        reasons: ['weights: "nope" is not a live variant', 'weights: no weight for "warm"'],
      });
      await Promise.all([
        updateExperiment(db, DEMO_MERCHANT_ID, owner, bandit.id, {
          variants: variants({ warm: 'Reworded {{product}}.' }),
        }),
        setVariantWeights(db, DEMO_MERCHANT_ID, null, bandit.id, { control: 5000, bold: 3000, warm: 2000 }),
      ]);
      const after = await getExperiment(db, DEMO_MERCHANT_ID, bandit.id);
      const warm = after?.variants.find((v) => v.key === 'warm');
      expect(warm?.template).toBe('Reworded {{product}}.');
      // The human edit carries its own weights, so whichever committed last set them; either way
      // the weights are one writer's whole set, and the new wording survived.
      const weights = Object.fromEntries(after?.variants.map((v) => [v.key, v.weight]) ?? []);
      expect([
        { control: 5000, bold: 3000, warm: 2000 },
        { control: 1, bold: 1, warm: 2 },
      ]).toContainEqual(weights);
      const reweighed = (await experimentHistory(db, DEMO_MERCHANT_ID, bandit.id)).find(
        (h) => h.action === 'update' && h.actor === null,
      );
      expect(reweighed?.details).toMatchObject({
        variants: expect.arrayContaining([expect.objectContaining({ key: 'control' })]),
      });
    });

    it('a {{discount}} variant on a product needs it on sale: refused at create, edit and start otherwise', async () => {
      const [sale] = await db
        .insert(products)
        .values({
          merchantId: DEMO_MERCHANT_ID,
          name: 'Sale Beans',
          category: 'Coffee',
          priceAmount: 1500,
          currency: 'USD',
          defaultPitch: '{{product}}',
        })
        .returning();
      const saleId = sale?.id ?? '';
      const onSale = (compareAtAmount: number | null) =>
        db.update(products).set({ compareAtAmount }).where(eq(products.id, saleId));
      const discounted = input('sale-pitch', {
        scope: { kind: 'product', productId: saleId },
        variants: variants({ warm: 'Save {{discount}} on {{product}}.' }),
      });
      const notOnSale = [
        'variants.2.template: {{discount}} needs the product on sale, and it has no compare-at price above its price',
      ];
      expect(await refusal(createExperiment(db, DEMO_MERCHANT_ID, owner, discounted))).toEqual({
        code: 'invalid',
        reasons: notOnSale,
      });
      // Without {{discount}} it saves; rewording a variant to use it is refused until the product is on sale.
      const draft = await createExperiment(db, DEMO_MERCHANT_ID, owner, {
        ...discounted,
        variants: variants(),
      });
      expect(
        await refusal(
          updateExperiment(db, DEMO_MERCHANT_ID, owner, draft.id, { variants: discounted.variants }),
        ),
      ).toEqual({ code: 'invalid', reasons: notOnSale });
      await onSale(2000);
      await updateExperiment(db, DEMO_MERCHANT_ID, owner, draft.id, { variants: discounted.variants });
      // Off sale again before the start: starting is refused, nothing moves.
      await onSale(null);
      expect(await refusal(startExperiment(db, DEMO_MERCHANT_ID, owner, draft.id))).toEqual({
        code: 'invalid',
        reasons: notOnSale,
      });
      expect((await getExperiment(db, DEMO_MERCHANT_ID, draft.id))?.status).toBe('draft');
      await onSale(2000);
      expect((await startExperiment(db, DEMO_MERCHANT_ID, owner, draft.id)).status).toBe('running');
      // A category scope covers products on sale and not: it saves (the skill leaves the others out).
      const wide = await createExperiment(
        db,
        DEMO_MERCHANT_ID,
        owner,
        input('sale-wide', {
          scope: { kind: 'category', category: 'Coffee' },
          variants: discounted.variants,
        }),
      );
      expect(wide.status).toBe('draft');
    });

    it('keeps who acted in the history after the member is removed, with the e-mail they had then', async () => {
      const [member] = await db
        .insert(members)
        .values({
          merchantId: DEMO_MERCHANT_ID,
          email: 'leaving@example.com',
          passwordHash: 'x',
          role: 'owner',
        })
        .returning();
      const leaver = member?.id ?? '';
      const created = await createExperiment(db, DEMO_MERCHANT_ID, leaver, input('leaver-exp'));
      await updateExperiment(db, DEMO_MERCHANT_ID, leaver, created.id, { name: 'Renamed' });
      expect((await experimentHistory(db, DEMO_MERCHANT_ID, created.id)).map((h) => h.actor)).toEqual([
        { id: leaver, email: 'leaving@example.com' },
        { id: leaver, email: 'leaving@example.com' },
      ]);
      // An address changed later does not rewrite what was recorded.
      await db.update(members).set({ email: 'renamed@example.com' }).where(eq(members.id, leaver));
      await db.delete(members).where(eq(members.id, leaver));
      await startExperiment(db, DEMO_MERCHANT_ID, null, created.id);
      const history = await experimentHistory(db, DEMO_MERCHANT_ID, created.id);
      expect(history.map((h) => [h.action, h.actor])).toEqual([
        ['create', { id: null, email: 'leaving@example.com' }],
        ['update', { id: null, email: 'leaving@example.com' }],
        ['start', null],
      ]);
      const rows = await db
        .select()
        .from(experimentHistoryEntries)
        .where(eq(experimentHistoryEntries.experimentId, created.id));
      expect(rows.every((r) => r.actorMemberId === null)).toBe(true);
    });
  });
}
