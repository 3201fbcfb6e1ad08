import {
  concat,
  HOLDOUT_VARIANT_KEY,
  PitchTemplateError,
  type PitchValues,
  renderPitch,
  type Ssml,
  text,
} from '@pitchline/core';
import type { HandlerInput } from 'ask-sdk-core';
import type { Catalog, CatalogProduct } from '../catalog/types';
import { decidePitch, noteExposure } from '../experiments/decide';
import type { LiveExperiment, LiveVariant, PitchSlot } from '../experiments/types';
import type { SkillLogger } from '../recording/logger';
import type { DialogDeps } from './handler';
import { readSession, updateSession } from './session';
import { clip, price, productName } from './speech';
import { emit, type TurnState } from './turn';

export function pitchValues(product: CatalogProduct, catalog: Catalog): PitchValues {
  return {
    product: product.name,
    price: { amount: product.priceAmount, currency: product.currency },
    category: product.category,
    merchant: catalog.merchantName,
  };
}

/** Renders a template, or undefined (logged) when it will not render: a merchant's typo must not cost the sale. */
export function tryRenderPitch(
  template: string,
  product: CatalogProduct,
  catalog: Catalog,
  locale: string,
  logger: SkillLogger,
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

/**
 * The product's own pitch, as spoken when no experiment covers the slot (or the user is held out);
 * a plain description when even that will not render.
 */
export function defaultPitch(
  product: CatalogProduct,
  catalog: Catalog,
  locale: string,
  logger: SkillLogger,
): Ssml {
  return (
    tryRenderPitch(product.defaultPitch, product, catalog, locale, logger, { template: 'default' }) ??
    plainPitch(product, locale)
  );
}

/**
 * The pitch a shopper hears for a product at a slot: the variant of the running experiment they are
 * assigned to, or the product's default pitch. Each new exposure (experiments/decide.ts) is recorded
 * as `pitch_exposure`, and the heard `expKey:variantKey` joins the session's attribution.
 */
export async function speakPitch(
  input: HandlerInput,
  turn: TurnState,
  deps: DialogDeps,
  product: CatalogProduct,
  catalog: Catalog,
  slot: PitchSlot['kind'],
): Promise<Ssml> {
  const running = await runningExperiments(turn, deps);
  const session = readSession(input);
  const decision = decidePitch(
    running,
    { kind: slot, productId: product.id, category: product.category },
    turn.userId,
    session.heard,
  );
  if (decision.kind === 'default') return defaultPitch(product, catalog, turn.locale, deps.logger);

  const spoken =
    decision.kind === 'variant'
      ? variantPitch(decision.experiment, decision.variant, product, catalog, turn.locale, deps.logger)
      : defaultPitch(product, catalog, turn.locale, deps.logger);

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

/**
 * A variant that will not render (a template needing a value this product lacks, e.g. {{discount}})
 * falls back to the experiment's control, then to the default pitch. The exposure still names the
 * assigned variant: analysis is by assignment, and dropping these users would bias the comparison.
 */
function variantPitch(
  experiment: LiveExperiment,
  variant: LiveVariant,
  product: CatalogProduct,
  catalog: Catalog,
  locale: string,
  logger: SkillLogger,
): Ssml {
  const at = { experiment: experiment.key };
  const control = experiment.variants.find((v) => v.isControl);
  return (
    tryRenderPitch(variant.template, product, catalog, locale, logger, { ...at, variant: variant.key }) ??
    (control && control !== variant
      ? tryRenderPitch(control.template, product, catalog, locale, logger, { ...at, variant: control.key })
      : undefined) ??
    defaultPitch(product, catalog, locale, logger)
  );
}

/** Experiments must never cost a turn: if they cannot be read, everyone hears the default pitch. */
async function runningExperiments(turn: TurnState, deps: DialogDeps): Promise<readonly LiveExperiment[]> {
  try {
    return await deps.experiments.running(turn.merchantId);
  } catch (err) {
    deps.logger.error({ err, merchantId: turn.merchantId }, 'running experiments unavailable');
    return [];
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
