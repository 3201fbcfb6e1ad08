import { experiments, experimentVariants, type PitchlineDb } from '@pitchline/db';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { PitchSlot } from './types';

/**
 * The variant a concluded experiment shipped: from then on it is the pitch of the experiment's scope
 * for everyone, no longer an experiment, so it is spoken without a `pitch_exposure` (there is no
 * comparison left to attribute to) and without an order attribution pair.
 */
export interface ShippedPitch {
  experimentId: string;
  experimentKey: string;
  variantKey: string;
  /** The version live at conclusion: the exact words the results were measured on. */
  template: string;
  concludedAt: Date;
}

/** A merchant's shipped pitches, the latest conclusion per scope. */
export interface ShippedPitches {
  byProduct: ReadonlyMap<string, ShippedPitch>;
  /** Keyed by lower-cased category, as experiments match categories. */
  byCategory: ReadonlyMap<string, ShippedPitch>;
  launch: ShippedPitch | undefined;
}

export const NO_SHIPPED_PITCHES: ShippedPitches = {
  byProduct: new Map(),
  byCategory: new Map(),
  launch: undefined,
};

/**
 * The shipped pitches that apply at a slot, most specific first, as running experiments rank
 * (slot.ts): a product's own before its category's; at launch the launch pitch, then the featured
 * product's. The caller speaks the first that renders for the product, else the product's default.
 */
export function shippedFor(shipped: ShippedPitches, slot: PitchSlot): ShippedPitch[] {
  const own = [shipped.byProduct.get(slot.productId), shipped.byCategory.get(slot.category.toLowerCase())];
  return (slot.kind === 'launch' ? [shipped.launch, ...own] : own).filter(
    (p): p is ShippedPitch => p !== undefined,
  );
}

/**
 * Every concluded experiment of a merchant with its shipped variant version; when two concluded on
 * the same scope, the later conclusion is the pitch (it was decided with the earlier one known).
 */
export async function loadShippedPitches(db: PitchlineDb, merchantId: string): Promise<ShippedPitches> {
  const rows = await db
    .select({
      experimentId: experiments.id,
      experimentKey: experiments.key,
      scope: experiments.scope,
      scopeValue: experiments.scopeValue,
      concludedAt: experiments.concludedAt,
      variantKey: experimentVariants.key,
      template: experimentVariants.template,
    })
    .from(experiments)
    .innerJoin(experimentVariants, eq(experimentVariants.id, experiments.shippedVariantId))
    .where(and(eq(experiments.merchantId, merchantId), eq(experiments.status, 'concluded')))
    .orderBy(desc(experiments.concludedAt), desc(experiments.id));
  const byProduct = new Map<string, ShippedPitch>();
  const byCategory = new Map<string, ShippedPitch>();
  let launch: ShippedPitch | undefined;
  for (const { scope, scopeValue, concludedAt, ...rest } of rows) {
    // The lifecycle CHECK gives every concluded row its time; newest first, so the first per scope wins.
    const pitch: ShippedPitch = { ...rest, concludedAt: concludedAt ?? new Date(0) };
    if (scope === 'product' && !byProduct.has(scopeValue)) byProduct.set(scopeValue, pitch);
    else if (scope === 'category' && !byCategory.has(scopeValue.toLowerCase())) {
      byCategory.set(scopeValue.toLowerCase(), pitch);
    } else if (scope === 'launch') launch ??= pitch;
  }
  return { byProduct, byCategory, launch };
}

/**
 * A one-row fingerprint of a merchant's concluded experiments, null when there are none; the cache
 * (cache.ts) reloads the shipped pitches only when it changes. Concluded experiments never change, so
 * ids and shipped versions suffice.
 */
export async function shippedFingerprint(db: PitchlineDb, merchantId: string): Promise<string | null> {
  const [row] = await db
    .select({
      fingerprint: sql<
        string | null
      >`md5(string_agg(concat_ws('|', ${experiments.id}, ${experiments.shippedVariantId}), ',' order by ${experiments.id}))`,
    })
    .from(experiments)
    .where(and(eq(experiments.merchantId, merchantId), eq(experiments.status, 'concluded')));
  return row?.fingerprint ?? null;
}
