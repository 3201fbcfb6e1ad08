import type { Logger } from '@pitchline/core';
import {
  compareAtDiscount,
  concat,
  HOLDOUT_VARIANT_KEY,
  PitchTemplateError,
  type PitchValues,
  pitchPlaceholdersOf,
  renderPitch,
  type Ssml,
  text,
} from '@pitchline/core';
import type { HandlerInput } from 'ask-sdk-core';
import type { Catalog, CatalogProduct } from '../catalog/types';
import { decidePitch, noteExposure } from '../experiments/decide';
import { NO_SHIPPED_PITCHES, type ShippedPitches, shippedFor } from '../experiments/shipped';
import { slotTiers } from '../experiments/slot';
import type { LiveExperiment, PitchSlot } from '../experiments/types';
import type { DialogDeps } from './handler';
import { readSession, updateSession } from './session';
import { clip, price, productName } from './speech';
import { emit, type TurnState } from './turn';

export function pitchValues(product: CatalogProduct, catalog: Catalog): PitchValues {
  const price = { amount: product.priceAmount, currency: product.currency };
  const discount = compareAtDiscount(price, product.compareAtAmount);
  return {
    product: product.name,
    price,
    // The amount off the compare-at price, said in the product's currency per locale ("$5.00").
    ...(discount ? { discount } : {}),
    category: product.category,
    merchant: catalog.merchantName,
  };
}

/**
 * A template saying {{discount}} has nothing to say for a product that is not on sale. That is not
 * a broken template: such a pitch simply does not apply to the product (see speakableExperiments).
 */
function lacksValues(template: string, product: CatalogProduct): boolean {
  return (
    pitchPlaceholdersOf(template).includes('discount') &&
    compareAtDiscount(
      { amount: product.priceAmount, currency: product.currency },
      product.compareAtAmount,
    ) === undefined
  );
}

/** Renders a template, or undefined (logged) when it will not render: a merchant's typo must not cost the sale. */
export function tryRenderPitch(
  template: string,
  product: CatalogProduct,
  catalog: Catalog,
  locale: string,
  logger: Logger,
  what: Record<string, unknown>,
): Ssml | undefined {
  const outcome = renderOnce(template, product, catalog, locale);
  if (typeof outcome === 'string') return outcome;
  logger.warn({ productId: product.id, ...what, err: outcome.message }, 'pitch template did not render');
  return undefined;
}

/**
 * A pitch is a pure function of its template, the product and merchant (both fixed for one catalog
 * object: a changed catalog is a new object) and the locale; rendering validates the template and
 * the SSML it makes, ~30 µs on most turns. So each catalog keeps what its pitches rendered to,
 * failures included (still logged per turn above). Bounded per catalog, dropped with the catalog.
 */
const renderedByCatalog = new WeakMap<Catalog, Map<string, Ssml | PitchTemplateError>>();
const MAX_RENDERED_PER_CATALOG = 5_000;

function renderOnce(
  template: string,
  product: CatalogProduct,
  catalog: Catalog,
  locale: string,
): Ssml | PitchTemplateError {
  let rendered = renderedByCatalog.get(catalog);
  if (!rendered) {
    rendered = new Map();
    renderedByCatalog.set(catalog, rendered);
  }
  const key = `${locale}\u0000${product.id}\u0000${template}`;
  const hit = rendered.get(key);
  if (hit !== undefined) return hit;
  let outcome: Ssml | PitchTemplateError;
  try {
    // Core's one PITCH_MAX_CHARS: a template that saved renders here within the same limit.
    outcome = renderPitch(template, pitchValues(product, catalog), { locale });
  } catch (error) {
    if (!(error instanceof PitchTemplateError)) throw error;
    outcome = error;
  }
  if (rendered.size >= MAX_RENDERED_PER_CATALOG) rendered.clear();
  rendered.set(key, outcome);
  return outcome;
}

/** The product's own pitch; a plain description when even that will not render. */
export function defaultPitch(
  product: CatalogProduct,
  catalog: Catalog,
  locale: string,
  logger: Logger,
): Ssml {
  return (
    tryRenderPitch(product.defaultPitch, product, catalog, locale, logger, { template: 'default' }) ??
    plainPitch(product, locale)
  );
}

/**
 * What a slot says outside any running experiment (no experiment covers it, or the user is held out):
 * the variant a concluded experiment shipped for the product, its category or the launch slot, most
 * specific first (experiments/shipped.ts), else the product's own pitch. A shipped pitch is no longer
 * an experiment: nothing is recorded for it.
 */
export function baselinePitch(
  shipped: ShippedPitches,
  slot: PitchSlot,
  product: CatalogProduct,
  catalog: Catalog,
  locale: string,
  deps: Pick<DialogDeps, 'logger' | 'metrics'>,
): Ssml {
  for (const pitch of shippedFor(shipped, slot)) {
    // A shipped {{discount}} pitch of a category speaks for the products on sale; the others keep theirs.
    if (lacksValues(pitch.template, product)) continue;
    const at = { shipped: pitch.experimentKey, variant: pitch.variantKey };
    const spoken = tryRenderPitch(pitch.template, product, catalog, locale, deps.logger, at);
    if (spoken !== undefined) return spoken;
    deps.metrics.pitchRenderFailures++;
  }
  return defaultPitch(product, catalog, locale, deps.logger);
}

/**
 * The running experiments that may speak at a slot for this product. An experiment covering the slot
 * takes part only if every variant that takes traffic can be spoken for the product; otherwise the
 * experiment leaves the product out altogether, for all its users, and they hear the baseline pitch
 * with no exposure recorded. Leaving out only the users of the variant that cannot render would
 * record them under a pitch they did not hear (or drop them from one arm alone, so the arms would
 * cover different products); dropping the product keeps every arm comparable. Expected for a
 * {{discount}} variant on a product not on sale (category and launch scopes: product scopes are
 * refused that at save and start); anything else that will not render is a bug or a rule that
 * tightened since the template was saved: logged by tryRenderPitch and counted.
 */
export function speakableExperiments(
  running: readonly LiveExperiment[],
  slot: PitchSlot,
  product: CatalogProduct,
  catalog: Catalog,
  locale: string,
  deps: Pick<DialogDeps, 'logger' | 'metrics'>,
): readonly LiveExperiment[] {
  const covering = new Set(slotTiers(running, slot).flat());
  if (covering.size === 0) return running;
  const left = new Set<LiveExperiment>();
  for (const experiment of covering) {
    for (const variant of experiment.variants) {
      if (variant.weight <= 0) continue;
      if (lacksValues(variant.template, product)) {
        left.add(experiment);
        break;
      }
      const at = { experiment: experiment.key, variant: variant.key };
      if (tryRenderPitch(variant.template, product, catalog, locale, deps.logger, at) === undefined) {
        deps.metrics.pitchRenderFailures++;
        left.add(experiment);
        break;
      }
    }
  }
  return left.size === 0 ? running : running.filter((e) => !left.has(e));
}

/**
 * The pitch a shopper hears for a product at a slot: the variant of the running experiment they are
 * assigned to, or the baseline pitch (held out, or no experiment speaks here). Each new exposure
 * (experiments/decide.ts) is recorded as `pitch_exposure` naming the variant actually spoken, and the
 * heard `expKey:variantKey` joins the session's attribution.
 */
export async function speakPitch(
  input: HandlerInput,
  turn: TurnState,
  deps: DialogDeps,
  product: CatalogProduct,
  catalog: Catalog,
  kind: PitchSlot['kind'],
): Promise<Ssml> {
  const slot: PitchSlot = { kind, productId: product.id, category: product.category };
  const [running, shipped] = await Promise.all([runningExperiments(turn, deps), shippedPitches(turn, deps)]);
  const baseline = () => baselinePitch(shipped, slot, product, catalog, turn.locale, deps);
  const speakable = speakableExperiments(running, slot, product, catalog, turn.locale, deps);
  const session = readSession(input);
  const decision = decidePitch(speakable, slot, turn.userId, session.heard);
  if (decision.kind === 'default') return baseline();

  let spoken: Ssml;
  if (decision.kind === 'variant') {
    const { experiment, variant } = decision;
    const at = { experiment: experiment.key, variant: variant.key };
    const rendered = tryRenderPitch(variant.template, product, catalog, turn.locale, deps.logger, at);
    if (rendered === undefined) {
      // speakableExperiments rendered this very variant for this product: unreachable unless that
      // changes. Should it happen, the shopper hears the baseline and nothing claims they heard the
      // variant (nor its control): no exposure, no attribution.
      deps.metrics.pitchRenderFailures++;
      return baseline();
    }
    spoken = rendered;
  } else spoken = baseline();

  const noted = noteExposure(session.heard, decision, product.id);
  if (noted.isNew) {
    emit(turn, {
      type: 'pitch_exposure',
      experiment_id: decision.experiment.id,
      experiment_key: decision.experiment.key,
      variant_key: decision.kind === 'variant' ? decision.variant.key : HOLDOUT_VARIANT_KEY,
      assignment_probability: decision.probability,
      product_id: product.id,
    });
  }
  updateSession(input, (d) => {
    d.heard = noted.heard;
    // Held-out users heard no variant: nothing of the experiment to credit on their orders.
    if (decision.kind === 'variant') d.variants = withAttribution(d.variants, attributionKey(decision));
  });
  return spoken;
}

/** `expKey:variantKey`, as orders and payment events carry it. */
export function attributionKey(decision: { experiment: { key: string }; variant: { key: string } }): string {
  return `${decision.experiment.key}:${decision.variant.key}`;
}

/** Adds a pair once; when the list is full the oldest goes (the contract allows 50). */
export function withAttribution(variants: readonly string[], key: string): string[] {
  if (variants.includes(key)) return [...variants];
  return [...variants, key].slice(-MAX_ATTRIBUTION);
}

const MAX_ATTRIBUTION = 50;

/** Experiments must never cost a turn: if they cannot be read, everyone hears the default pitch. */
async function runningExperiments(turn: TurnState, deps: DialogDeps): Promise<readonly LiveExperiment[]> {
  try {
    return await deps.experiments.running(turn.merchantId);
  } catch (err) {
    deps.logger.error({ err, merchantId: turn.merchantId }, 'running experiments unavailable');
    return [];
  }
}

/** Nor may shipped pitches: if they cannot be read, the slot falls back to the product's own pitch. */
async function shippedPitches(turn: TurnState, deps: DialogDeps): Promise<ShippedPitches> {
  try {
    return await deps.experiments.shipped(turn.merchantId);
  } catch (err) {
    deps.logger.error({ err, merchantId: turn.merchantId }, 'shipped pitches unavailable');
    return NO_SHIPPED_PITCHES;
  }
}

export function plainPitch(product: CatalogProduct, locale: string): Ssml {
  const description = product.description.trim();
  return concat(
    productName(product),
    text(' costs '),
    price(product, locale),
    text('.'),
    description ? text(` ${clip(description, 600)}`) : text(''),
  );
}
