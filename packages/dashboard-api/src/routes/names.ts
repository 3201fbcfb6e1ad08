import type { FunnelResult } from '@pitchline/analytics';
import { experiments, experimentVariants, products } from '@pitchline/db';
import { and, eq } from 'drizzle-orm';
import type { Settings } from '../deps';

/*
 * Names for the ids analytics answers carry: a product's name, an experiment's and a variant's name.
 * They live in Postgres and ClickHouse rows carry ids and keys only, so the routes join them here,
 * after the query, from the caller's merchant's own rows (another merchant's id never gets a name).
 * A merchant's catalog and experiments are small: both are read whole, once per request.
 */

export interface VariantName {
  experimentName: string;
  /** The variant's name ("Origin story"); its key stays beside it for "details". */
  name: string;
}

export interface Names {
  product(id: string): string | null;
  /** A variant by "experimentKey:variantKey", as events carry it. */
  variant(pair: string): VariantName | null;
  experiment(key: string): string | null;
}

export async function loadNames(settings: Settings, merchantId: string): Promise<Names> {
  const [productRows, variantRows] = await Promise.all([
    settings.db
      .select({ id: products.id, name: products.name })
      .from(products)
      .where(eq(products.merchantId, merchantId)),
    settings.db
      .select({
        experimentKey: experiments.key,
        experimentName: experiments.name,
        variantKey: experimentVariants.key,
        variantName: experimentVariants.name,
        version: experimentVariants.version,
      })
      .from(experimentVariants)
      .innerJoin(experiments, and(eq(experimentVariants.experimentId, experiments.id)))
      .where(eq(experiments.merchantId, merchantId)),
  ]);
  const productNames = new Map(productRows.map((p) => [p.id.toLowerCase(), p.name]));
  const variants = new Map<string, VariantName & { version: number }>();
  const experimentNames = new Map<string, string>();
  for (const v of variantRows) {
    experimentNames.set(v.experimentKey, v.experimentName);
    const pair = `${v.experimentKey}:${v.variantKey}`;
    const seen = variants.get(pair);
    // The latest version's name: a renamed variant reads as it is called now.
    if (!seen || v.version > seen.version)
      variants.set(pair, { experimentName: v.experimentName, name: v.variantName, version: v.version });
  }
  return {
    product: (id) => productNames.get(id.toLowerCase()) ?? null,
    variant: (pair) => {
      const v = variants.get(pair);
      return v ? { experimentName: v.experimentName, name: v.name } : null;
    },
    experiment: (key) => experimentNames.get(key) ?? null,
  };
}

/** A variant group's label: its name, or words for "no pitch" / an unknown key (never a bare id). */
export function variantLabel(names: Names, pair: string): string {
  if (pair === '(none)' || pair === '') return 'No pitch heard';
  const v = names.variant(pair);
  if (v) return `${v.experimentName}: ${v.name}`;
  return pair;
}

/** A product's name, or words for one no longer in the catalog (never its bare id). */
export function productLabel(names: Names, id: string): string {
  return names.product(id) ?? 'Product no longer in the catalog';
}

/** A funnel with its groups named: a variant's name, a product's name, "No pitch heard". */
export function namedFunnel<F extends FunnelResult>(
  funnel: F,
  names: Names,
  spec: { breakdown?: string | undefined; experimentKey?: string | undefined },
): F {
  const byPitch = spec.breakdown === 'variant' || spec.breakdown === 'experiment';
  return {
    ...funnel,
    groups: funnel.groups.map((g) => {
      if (g.group === '') return g;
      if (g.group === '(none)') return { ...g, name: byPitch ? 'No pitch heard' : 'Not recorded' };
      if (spec.breakdown === 'product') return { ...g, name: productLabel(names, g.group) };
      if (spec.breakdown === 'experiment') return { ...g, name: names.experiment(g.group) ?? g.group };
      if (spec.breakdown === 'variant') {
        const pair = spec.experimentKey !== undefined ? `${spec.experimentKey}:${g.group}` : g.group;
        const variant = names.variant(pair);
        return { ...g, name: variant ? `${variant.experimentName}: ${variant.name}` : g.group };
      }
      return { ...g, name: g.group };
    }),
  };
}
