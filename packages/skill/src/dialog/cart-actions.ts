import { concat, type Ssml, text } from '@pitchline/core';
import type { HandlerInput } from 'ask-sdk-core';
import type { Response } from 'ask-sdk-model';
import type { Catalog, CatalogProduct } from '../catalog/types';
import { addToCart, itemCount, removeFromCart } from './cart';
import { ask } from './respond';
import { MAX_CART_LINES, MAX_LINE_QUANTITY, readSession, updateSession } from './session';
import { plural, productName, quantityOf } from './speech';
import { emit, type TurnState } from './turn';

const NEXT_QUESTION: Ssml = text('Would you like to keep shopping, or check out?');

function cartSize(count: number): Ssml {
  return text(`You have ${count} ${plural(count, 'item', 'items')} in your cart.`);
}

/** Adds a product and records the cart_add with the quantity actually added (caps included). */
export function addProduct(
  input: HandlerInput,
  turn: TurnState,
  catalog: Catalog,
  product: CatalogProduct,
  quantity: number,
): Response {
  const session = readSession(input);
  const otherCurrency = session.cart
    .map((l) => catalog.products.find((p) => p.id === l.productId)?.currency)
    .find((c) => c !== undefined && c !== product.currency);
  if (otherCurrency) {
    return ask(
      input,
      text('Sorry, that item is priced in another currency and must be bought separately.'),
      NEXT_QUESTION,
    );
  }
  const result = addToCart(session.cart, product.id, quantity);
  if (!result.ok) {
    const why =
      result.reason === 'cart_full'
        ? text(`Your cart is full: it holds up to ${MAX_CART_LINES} different products.`)
        : text(`You already have the most I can add of that: ${MAX_LINE_QUANTITY}.`);
    return ask(input, why, NEXT_QUESTION);
  }
  updateSession(input, (d) => {
    d.cart = result.cart;
    d.lastProductId = product.id;
    d.pending = { kind: 'offer_checkout' };
  });
  emit(turn, {
    type: 'cart_add',
    product_id: product.id,
    quantity: result.added,
    unit_amount: product.priceAmount,
    currency: product.currency,
  });
  const capped = result.capped ? text(` That's the most I can add: ${MAX_LINE_QUANTITY}.`) : text('');
  return ask(
    input,
    concat(
      text('Added '),
      quantityOf(result.added, product),
      text(' to your cart.'),
      capped,
      text(' '),
      cartSize(itemCount(result.cart)),
    ),
    NEXT_QUESTION,
    { cardTitle: 'Cart' },
  );
}

export function removeProduct(
  input: HandlerInput,
  turn: TurnState,
  product: CatalogProduct,
  quantity: number | undefined,
): Response {
  const session = readSession(input);
  const result = removeFromCart(session.cart, product.id, quantity);
  if (!result.ok) {
    return ask(input, concat(productName(product), text(" isn't in your cart.")), NEXT_QUESTION);
  }
  updateSession(input, (d) => {
    d.cart = result.cart;
  });
  emit(turn, {
    type: 'cart_remove',
    product_id: product.id,
    quantity: result.removed,
    unit_amount: product.priceAmount,
    currency: product.currency,
  });
  return ask(
    input,
    concat(
      text('Removed '),
      quantityOf(result.removed, product),
      text(' from your cart. '),
      cartSize(itemCount(result.cart)),
    ),
    NEXT_QUESTION,
    { cardTitle: 'Cart' },
  );
}
