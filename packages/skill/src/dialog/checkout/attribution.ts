import type { CatalogProduct } from '../../catalog/types';
import { decidePitch } from '../../experiments/decide';
import type { DialogDeps } from '../handler';
import { attributionKey, speakableExperiments, withAttribution } from '../pitch';
import type { SessionData } from '../session';
import type { TurnState } from '../turn';

/**
 * The `expKey:variantKey` pairs an order carries (order row, order/payment events, Stripe metadata):
 * the variants heard in this session, then, for each ordered product covered by a running
 * experiment, the variant this user is assigned there. A shopper who heard variant B yesterday and
 * orders today without hearing the pitch again is credited B, with no store of past sessions:
 * assignment is deterministic, so B is the variant they heard, if they heard that pitch at all.
 * This is a label for people reading an order; experiment results do not use it, they join each
 * user's first `pitch_exposure` to their orders inside the conversion window.
 */
export async function orderAttribution(
  turn: TurnState,
  deps: DialogDeps,
  session: Pick<SessionData, 'variants' | 'heard'>,
  products: readonly CatalogProduct[],
): Promise<string[]> {
  let variants = [...session.variants];
  let running: Awaited<ReturnType<DialogDeps['experiments']['running']>>;
  try {
    running = await deps.experiments.running(turn.merchantId);
  } catch (err) {
    deps.logger.warn({ err }, 'running experiments unavailable; order credits this session only');
    return variants;
  }
  if (products.length === 0) return variants;
  const catalog = await turn.catalog();
  for (const product of products) {
    const slot = { kind: 'product' as const, productId: product.id, category: product.category };
    // An experiment that leaves this product out (a variant it cannot speak here) credits nothing.
    const speakable = speakableExperiments(running, slot, product, catalog, turn.locale, deps);
    const decision = decidePitch(speakable, slot, turn.userId, session.heard);
    if (decision.kind === 'variant') variants = withAttribution(variants, attributionKey(decision));
  }
  return variants;
}
