import type { HandlerInput } from 'ask-sdk-core';
import type { IntentRequest, Slot } from 'ask-sdk-model';
import { resolveProductSlot } from '../catalog/resolve';
import type { Catalog, CatalogProduct } from '../catalog/types';
import { findProduct } from '../catalog/types';
import { readSession } from './session';
import { recordSlot, type TurnState } from './turn';

export function slotOf(input: HandlerInput, name: string): Slot | undefined {
  const request = input.requestEnvelope.request;
  return request.type === 'IntentRequest' ? (request as IntentRequest).intent.slots?.[name] : undefined;
}

export type ProductLookup =
  | { kind: 'found'; product: CatalogProduct }
  /** The shopper named something the catalog does not have. */
  | { kind: 'no_match'; said: string }
  /** No product named, and none under discussion. */
  | { kind: 'missing' };

/**
 * The product a turn is about: the one named in the slot, else the one last talked about ("add it to
 * my cart" right after hearing a pitch). The slot's resolution is recorded on the turn either way.
 */
export function lookupProduct(
  input: HandlerInput,
  turn: TurnState,
  catalog: Catalog,
  slotName = 'product',
): ProductLookup {
  const slot = slotOf(input, slotName);
  const resolution = resolveProductSlot(slotName, slot, catalog);
  if (resolution.record.resolution !== 'none') recordSlot(turn, resolution.record);
  if (resolution.product) return { kind: 'found', product: resolution.product };
  if (resolution.record.resolution === 'no_match') return { kind: 'no_match', said: resolution.record.value };
  const last = findProduct(catalog, readSession(input).lastProductId);
  return last ? { kind: 'found', product: last } : { kind: 'missing' };
}
