import type { HandlerInput } from 'ask-sdk-core';
import type { IntentRequest, Slot } from 'ask-sdk-model';
import { resolveProductSlot, spokenValue } from '../catalog/resolve';
import type { Catalog, CatalogProduct } from '../catalog/types';
import { categoriesOf, findProduct } from '../catalog/types';
import { positionIndex, referenceInSlot, resolveReference } from './reference';
import { readSession } from './session';
import { recordSlot, type TurnState } from './turn';

export function slotOf(input: HandlerInput, name: string): Slot | undefined {
  const request = input.requestEnvelope.request;
  return request.type === 'IntentRequest' ? (request as IntentRequest).intent.slots?.[name] : undefined;
}

export type ProductLookup =
  /** `quantity` when the shopper said it inside the reference ("two of those"). */
  | { kind: 'found'; product: CatalogProduct; quantity?: number }
  /** The shopper named something the catalog does not have. */
  | { kind: 'no_match'; said: string }
  /** No product named, and none under discussion. */
  | { kind: 'missing' }
  /** "it", "the second one" with nothing (or no longer anything) to point at. */
  | { kind: 'unclear'; why: 'nothing_in_focus' | 'no_list' | 'gone' | 'several' }
  /** "the fifth one" after a list of three. */
  | { kind: 'out_of_range'; position: number; size: number }
  /** "the second one" after a list of categories: the shopper picked a category, not a product. */
  | { kind: 'category'; category: string };

/**
 * The product a turn is about: a reference ("it", "two of those", "the second one") to what the
 * shopper just heard, else the product named in the slot, else the one last talked about ("add two"
 * right after a pitch). A reference is resolved from the dialog state, never looked up by name, and
 * is recorded as a match or as no resolution at all, never as a no-match: a pronoun is not a product
 * the catalog lacks (no_match is what Voice insights lists as catalog gaps).
 */
export function lookupProduct(
  input: HandlerInput,
  turn: TurnState,
  catalog: Catalog,
  slotName = 'product',
): ProductLookup {
  for (const name of ['reference', slotName]) {
    const slot = slotOf(input, name);
    const reference = referenceInSlot(slot);
    if (!reference) continue;
    const session = readSession(input);
    const value = spokenValue(slot);
    if (reference.kind === 'position' && session.shownCategories) {
      const { offset, count } = session.shownCategories;
      const heard = categoriesOf(catalog).slice(offset, offset + count);
      const index = positionIndex(reference.position, heard.length);
      const category = index === undefined ? undefined : heard[index];
      if (category === undefined) {
        recordSlot(turn, { name, value, resolution: 'none' });
        if (heard.length === 0) return { kind: 'unclear', why: 'gone' };
        return { kind: 'out_of_range', position: reference.position as number, size: heard.length };
      }
      const clipped = category.slice(0, 500);
      recordSlot(turn, { name, value, resolved_id: clipped, resolved_value: clipped, resolution: 'match' });
      return { kind: 'category', category };
    }
    const outcome = resolveReference(reference, {
      focus: findProduct(catalog, session.lastProductId),
      list: session.shown?.map((id) => findProduct(catalog, id)),
    });
    if (outcome.kind === 'product') {
      recordSlot(turn, {
        name,
        value,
        resolved_id: outcome.product.id,
        resolved_value: outcome.product.name.slice(0, 500),
        resolution: 'match',
      });
      const found: ProductLookup = { kind: 'found', product: outcome.product };
      if (outcome.quantity !== undefined) found.quantity = outcome.quantity;
      return found;
    }
    recordSlot(turn, { name, value, resolution: 'none' });
    return outcome;
  }
  // Alexa may put a product name in the reference slot; it is then looked up like one.
  const named = spokenValue(slotOf(input, slotName)) === '' ? 'reference' : slotName;
  const slot = slotOf(input, named);
  const resolution = resolveProductSlot(named, slot, catalog);
  if (resolution.record.resolution !== 'none') recordSlot(turn, resolution.record);
  if (resolution.product) return { kind: 'found', product: resolution.product };
  if (resolution.record.resolution === 'no_match') return { kind: 'no_match', said: resolution.record.value };
  const last = findProduct(catalog, readSession(input).lastProductId);
  return last ? { kind: 'found', product: last } : { kind: 'missing' };
}
