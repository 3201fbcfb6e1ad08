import type { Slot } from 'ask-sdk-model';
import type { SlotRecord } from '../recording/slots';
import { matchCategory, matchProducts } from './match';
import { type Catalog, type CatalogProduct, categoriesOf, findProduct } from './types';

export interface ProductResolution {
  product: CatalogProduct | undefined;
  record: SlotRecord;
}

type AlexaVerdict =
  | { kind: 'match'; id: string; name: string }
  | { kind: 'no_match' }
  /** Alexa sent no resolutions (or only errors/timeouts): resolve on our side. */
  | { kind: 'absent' };

/**
 * Alexa's entity resolution, when it ran: a dynamic authority (the catalog we sent at launch) is
 * preferred to the static model's, and any match beats every no-match.
 */
export function alexaVerdict(slot: Slot | undefined): AlexaVerdict {
  const authorities = slot?.resolutions?.resolutionsPerAuthority ?? [];
  const ordered = [...authorities].sort(
    (a, b) => Number(b.authority.includes('.dynamic.')) - Number(a.authority.includes('.dynamic.')),
  );
  let sawNoMatch = false;
  for (const authority of ordered) {
    const code = authority.status?.code;
    const first = authority.values?.[0]?.value;
    if (code === 'ER_SUCCESS_MATCH' && first) return { kind: 'match', id: first.id, name: first.name };
    if (code === 'ER_SUCCESS_NO_MATCH') sawNoMatch = true;
  }
  return sawNoMatch ? { kind: 'no_match' } : { kind: 'absent' };
}

export function spokenValue(slot: Slot | undefined): string {
  return (slot?.value ?? '').trim().slice(0, 500);
}

/**
 * Which catalog product a product slot names. Alexa's verdict is a hint, never the last word: a
 * no-match is checked against the live catalog before it stands, because Alexa's values can lag it.
 * A one-shot request ("ask northwind shop to tell me about colombia huila") opens a session with no
 * LaunchRequest, so no dynamic entities were sent yet and only the static model answered; and the
 * dynamic entities themselves stop at 100 values / 10 KB (dynamic-entities.ts). A no-match that the
 * catalog confirms keeps what the shopper asked for, so the turn event tells the merchant what people
 * want that the catalog lacks.
 */
export function resolveProductSlot(
  slotName: string,
  slot: Slot | undefined,
  catalog: Catalog,
): ProductResolution {
  const value = spokenValue(slot);
  if (value === '') return { product: undefined, record: { name: slotName, value: '', resolution: 'none' } };
  const verdict = alexaVerdict(slot);
  let product: CatalogProduct | undefined;
  if (verdict.kind === 'match') {
    // A static-model id is not a catalog id: fall back to matching the canonical name Alexa chose.
    product = findProduct(catalog, verdict.id) ?? matchProducts(verdict.name, catalog.products)[0]?.product;
  }
  product ??= matchProducts(value, catalog.products)[0]?.product;
  return {
    product,
    record: product
      ? {
          name: slotName,
          value,
          resolved_id: product.id,
          resolved_value: product.name.slice(0, 500),
          resolution: 'match',
        }
      : { name: slotName, value, resolution: 'no_match' },
  };
}

export function resolveCategorySlot(
  slotName: string,
  slot: Slot | undefined,
  catalog: Catalog,
): { category: string | undefined; record: SlotRecord } {
  const value = spokenValue(slot);
  if (value === '') return { category: undefined, record: { name: slotName, value: '', resolution: 'none' } };
  const categories = categoriesOf(catalog);
  const verdict = alexaVerdict(slot);
  let category: string | undefined;
  if (verdict.kind === 'match') {
    category =
      categories.find((c) => c === verdict.id) ??
      matchCategory(verdict.name, categories) ??
      matchCategory(value, categories);
  } else if (verdict.kind === 'absent') {
    category = matchCategory(value, categories);
  }
  return {
    category,
    record: category
      ? {
          name: slotName,
          value,
          resolved_id: category.slice(0, 500),
          resolved_value: category.slice(0, 500),
          resolution: 'match',
        }
      : { name: slotName, value, resolution: 'no_match' },
  };
}
