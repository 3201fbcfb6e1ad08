/**
 * Catalog lists are read a page at a time: a voice list longer than a handful of items is forgotten
 * before it ends, and a long one would not fit Alexa's 8,000-character speech limit anyway.
 */
export const PAGE_SIZE = 5;

export interface Page<T> {
  items: T[];
  offset: number;
  total: number;
  /** Offset of the next page, if any ("say next for more"). */
  nextOffset: number | undefined;
}

export function page<T>(all: readonly T[], offset: number, size: number = PAGE_SIZE): Page<T> {
  const start = Math.max(0, Math.min(offset, all.length));
  const items = all.slice(start, start + size);
  const end = start + items.length;
  return { items, offset: start, total: all.length, nextOffset: end < all.length ? end : undefined };
}
