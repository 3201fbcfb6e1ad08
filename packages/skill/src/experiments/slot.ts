import type { LiveExperiment, PitchSlot } from './types';

/**
 * The running experiments that may speak at a slot, as tiers tried in order. A product's details:
 * experiments on that product and on its category (core's pickPitchAssignment prefers the product's
 * when the user is in both). The launch greeting: launch experiments, and only for users in none of
 * them, the featured product's own experiments: what is spoken there is still that product's pitch,
 * and speaking its default would expose the product's experiment users to a pitch outside it.
 * Experiments none of whose variants take traffic are left out.
 */
export function slotTiers(running: readonly LiveExperiment[], slot: PitchSlot): LiveExperiment[][] {
  const live = running.filter((e) => e.variants.some((v) => v.weight > 0));
  const category = slot.category.toLowerCase();
  const productTier = live.filter(
    (e) =>
      (e.scope === 'product' && e.scopeValue === slot.productId) ||
      (e.scope === 'category' && e.scopeValue.toLowerCase() === category),
  );
  if (slot.kind === 'product') return [productTier];
  return [live.filter((e) => e.scope === 'launch'), productTier];
}
