import { concat, PitchTemplateError, renderPitch, type Ssml, text } from '@pitchline/core';
import type { Catalog, CatalogProduct } from '../catalog/types';
import type { SkillLogger } from '../recording/logger';
import { clip, price, productName } from './speech';

/** Short enough that the question after it and the card still fit one response. */
const PITCH_BUDGET_CHARS = 5000;

/**
 * The spoken pitch for a product. Until experiments choose a variant, every shopper hears the
 * product's default pitch. A template that will not render (a merchant's typo) must not cost the
 * sale: the shopper hears a plain description instead, and the log says why.
 */
export function pitchFor(
  product: CatalogProduct,
  catalog: Catalog,
  locale: string,
  logger: SkillLogger,
): Ssml {
  try {
    return renderPitch(
      product.defaultPitch,
      {
        product: product.name,
        price: { amount: product.priceAmount, currency: product.currency },
        category: product.category,
        merchant: catalog.merchantName,
      },
      { locale, maxChars: PITCH_BUDGET_CHARS },
    );
  } catch (error) {
    if (!(error instanceof PitchTemplateError)) throw error;
    logger.warn(
      { productId: product.id, err: error.message },
      'default pitch did not render; using the description',
    );
    return plainPitch(product, locale);
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
