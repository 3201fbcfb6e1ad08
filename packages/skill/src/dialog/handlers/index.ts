import type { DialogHandler } from '../handler';
import { addToCartHandler } from './add-to-cart';
import { browseCatalogHandler } from './browse-catalog';
import { catchAllHandler } from './catch-all';
import { checkoutHandler } from './checkout';
import { fallbackHandler } from './fallback';
import { helpHandler } from './help';
import { launchHandler } from './launch';
import { navigateHomeHandler } from './navigate-home';
import { nextHandler } from './next';
import { noHandler } from './no';
import { orderStatusHandler } from './order-status';
import { productDetailsHandler } from './product-details';
import { removeFromCartHandler } from './remove-from-cart';
import { repeatHandler } from './repeat';
import { reviewCartHandler } from './review-cart';
import { searchProductHandler } from './search-product';
import { sessionEndedHandler } from './session-ended';
import { stopHandler } from './stop';
import { yesHandler } from './yes';

/** Every dialog handler, in dispatch order; the catch-all must stay last. */
export const DIALOG_HANDLERS: readonly DialogHandler[] = [
  launchHandler,
  browseCatalogHandler,
  searchProductHandler,
  productDetailsHandler,
  addToCartHandler,
  removeFromCartHandler,
  reviewCartHandler,
  checkoutHandler,
  orderStatusHandler,
  yesHandler,
  noHandler,
  helpHandler,
  repeatHandler,
  stopHandler,
  fallbackHandler,
  navigateHomeHandler,
  nextHandler,
  sessionEndedHandler,
  catchAllHandler,
];

/** Intents the handlers answer, for the check against the interaction model. */
export function handledIntents(): string[] {
  return DIALOG_HANDLERS.flatMap((h) => h.intents ?? []);
}
