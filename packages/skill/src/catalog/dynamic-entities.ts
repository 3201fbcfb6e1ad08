import type { Directive } from 'ask-sdk-model';
import { type Catalog, categoriesOf } from './types';

/** Alexa accepts at most 100 dynamic entity values per skill session across all slot types. */
export const MAX_DYNAMIC_ENTITIES = 100;
/** The directive shares the 24 KB response with speech, card and session attributes. */
export const DYNAMIC_ENTITIES_MAX_BYTES = 10_000;
const MAX_SYNONYMS = 5;
const MAX_VALUE_CHARS = 140;

export const PRODUCT_SLOT_TYPE = 'PRODUCT';
export const CATEGORY_SLOT_TYPE = 'CATEGORY';

interface EntityValue {
  id: string;
  name: { value: string; synonyms: string[] };
}

/**
 * The default directive per catalog object (a changed catalog is a new object): every new session
 * sends it, and building it measures each value's JSON, ~100 µs for a small catalog. Frozen, because
 * one object now goes out in many responses.
 */
const defaultDirectives = new WeakMap<Catalog, Directive | null>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Teaches Alexa this merchant's catalog for the session, so its entity resolution returns our
 * product ids (ER_SUCCESS_MATCH with a catalog id) instead of guessing. Featured products first;
 * when the catalog is bigger than the limits allow, the rest is left to server-side matching.
 */
export function updateDynamicEntities(
  catalog: Catalog,
  slotTypes?: { product: string; category?: string },
): Directive | undefined {
  if (slotTypes) return buildDirective(catalog, slotTypes);
  let directive = defaultDirectives.get(catalog);
  if (directive === undefined) {
    directive = deepFreeze(
      buildDirective(catalog, { product: PRODUCT_SLOT_TYPE, category: CATEGORY_SLOT_TYPE }) ?? null,
    );
    defaultDirectives.set(catalog, directive);
  }
  return directive ?? undefined;
}

function buildDirective(
  catalog: Catalog,
  slotTypes: { product: string; category?: string },
): Directive | undefined {
  const productValues: EntityValue[] = [];
  const categoryValues: EntityValue[] = [];
  let bytes = 200;
  const fits = (value: EntityValue) => {
    const size = Buffer.byteLength(JSON.stringify(value));
    if (productValues.length + categoryValues.length >= MAX_DYNAMIC_ENTITIES) return false;
    if (bytes + size > DYNAMIC_ENTITIES_MAX_BYTES) return false;
    bytes += size;
    return true;
  };
  if (slotTypes.category) {
    for (const category of categoriesOf(catalog)) {
      const value = {
        id: category.slice(0, MAX_VALUE_CHARS),
        name: { value: category.slice(0, MAX_VALUE_CHARS), synonyms: [] },
      };
      if (fits(value)) categoryValues.push(value);
    }
  }
  for (const product of catalog.products) {
    const value = {
      id: product.id,
      name: {
        value: product.name.slice(0, MAX_VALUE_CHARS),
        synonyms: product.synonyms.slice(0, MAX_SYNONYMS).map((s) => s.slice(0, MAX_VALUE_CHARS)),
      },
    };
    if (!fits(value)) break;
    productValues.push(value);
  }
  if (productValues.length === 0) return undefined;
  const types = [{ name: slotTypes.product, values: productValues }];
  if (slotTypes.category && categoryValues.length > 0)
    types.push({ name: slotTypes.category, values: categoryValues });
  return { type: 'Dialog.UpdateDynamicEntities', updateBehavior: 'REPLACE', types } as Directive;
}
