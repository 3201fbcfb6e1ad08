import { concat, type Ssml, text } from '@pitchline/core';
import type { HandlerInput } from 'ask-sdk-core';
import type { Response } from 'ask-sdk-model';
import { searchProducts } from '../catalog/match';
import { page } from '../catalog/paginate';
import { type Catalog, type CatalogProduct, categoriesOf } from '../catalog/types';
import { ask } from './respond';
import { type Listing, updateSession } from './session';
import { clip, fitList, LIST_BUDGET_CHARS, price, productName } from './speech';

/** The items a listing stands for, recomputed from the catalog so session attributes stay small. */
function listingItems(
  listing: Listing,
  catalog: Catalog,
): { products?: CatalogProduct[]; categories?: string[] } {
  switch (listing.kind) {
    case 'categories':
      return { categories: categoriesOf(catalog) };
    case 'category':
      return { products: catalog.products.filter((p) => p.category === listing.key) };
    case 'search':
      return { products: searchProducts(listing.key, catalog.products).map((m) => m.product) };
  }
}

/** Speaks one page of a listing and remembers where it stopped, so "next" continues it. */
export function speakListing(
  input: HandlerInput,
  listing: Listing,
  catalog: Catalog,
  locale: string,
  intro?: Ssml,
): Response {
  const { products, categories } = listingItems(listing, catalog);
  if (categories) {
    const pg = page(categories, listing.offset);
    const names = pg.items.map((c) => text(clip(c, 80)));
    updateSession(input, (d) => {
      d.listing = pg.nextOffset === undefined ? undefined : { ...listing, offset: pg.nextOffset };
      // "the second one" now means the second category heard on this page.
      d.shown = undefined;
      d.shownCategories = pg.items.length > 0 ? { offset: pg.offset, count: pg.items.length } : undefined;
    });
    const more = pg.nextOffset === undefined ? text('') : text(' Say next for more.');
    return ask(
      input,
      concat(
        intro ?? text(''),
        text(pg.offset === 0 ? 'We have ' : 'We also have '),
        fitList(names, LIST_BUDGET_CHARS, (left) => text(`and ${left} more`)),
        text('.'),
        more,
      ),
      text('Which category would you like?'),
      { cardTitle: 'Categories' },
    );
  }
  const all = products ?? [];
  const pg = page(all, listing.offset);
  if (pg.items.length === 0) {
    updateSession(input, (d) => {
      d.listing = undefined;
    });
    return ask(
      input,
      concat(intro ?? text(''), text("That's everything.")),
      text('What would you like to hear about?'),
    );
  }
  const lines = pg.items.map((p) => concat(productName(p), text(' for '), price(p, locale)));
  updateSession(input, (d) => {
    d.listing = pg.nextOffset === undefined ? undefined : { ...listing, offset: pg.nextOffset };
    // "the second one" is the second the shopper heard on this page, as the page was read.
    d.shown = pg.items.map((p) => p.id);
    d.shownCategories = undefined;
    // One product heard is the one in focus; after several, "add it" would be a guess, so the
    // earlier focus is dropped and a pronoun gets "which product do you mean?".
    d.lastProductId = pg.items.length === 1 ? pg.items[0]?.id : undefined;
  });
  const heading =
    listing.kind === 'category'
      ? text(pg.offset === 0 ? `In ${clip(listing.key, 80)}, we have ` : 'We also have ')
      : text(
          pg.offset === 0
            ? `I found ${all.length === 1 ? 'one match' : `${all.length} matches`}: `
            : 'Next: ',
        );
  const more = pg.nextOffset === undefined ? text('') : text(' Say next for more.');
  return ask(
    input,
    concat(
      intro ?? text(''),
      heading,
      fitList(lines, LIST_BUDGET_CHARS, (left) => text(`and ${left} more`)),
      text('.'),
      more,
    ),
    text('Which one would you like to hear about?'),
    { cardTitle: listing.kind === 'category' ? clip(listing.key, 80) : 'Search results' },
  );
}
