import type { Catalog, CatalogProduct } from '../../catalog/types';
import type { CartLine } from '../session';

export interface PricedLine {
  product: CatalogProduct;
  quantity: number;
  /** Integer minor units. */
  lineAmount: number;
}

export interface PricedCart {
  lines: PricedLine[];
  /** Cart lines whose product left the catalog since they were added. */
  unavailable: number;
  amount: number;
  currency: string;
  itemCount: number;
}

/**
 * Prices a cart from the catalog as it is now: the session holds only ids and quantities, so a price
 * the merchant changed mid-session is the price read back and charged.
 */
export function priceCart(cart: readonly CartLine[], catalog: Catalog): PricedCart {
  const lines: PricedLine[] = [];
  let unavailable = 0;
  for (const line of cart) {
    const product = catalog.products.find((p) => p.id === line.productId);
    if (!product) {
      unavailable++;
      continue;
    }
    lines.push({ product, quantity: line.quantity, lineAmount: product.priceAmount * line.quantity });
  }
  const currency = lines[0]?.product.currency ?? catalog.currency;
  if (lines.some((l) => l.product.currency !== currency)) {
    // add-to-cart refuses a second currency; reaching this means the catalog changed under the cart.
    throw new Error('cart mixes currencies');
  }
  return {
    lines,
    unavailable,
    amount: lines.reduce((sum, l) => sum + l.lineAmount, 0),
    currency,
    itemCount: lines.reduce((n, l) => n + l.quantity, 0),
  };
}
