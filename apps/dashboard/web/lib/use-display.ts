import { localeFor } from './format';
import { useRange } from './range-context';
import { useMe } from './session';
import type { DisplayContext } from './table';

/** How this merchant's figures are written: its currency and locale, and the zone the pages are in. */
export function useDisplay(): DisplayContext {
  const me = useMe();
  const { timeZone } = useRange();
  return { locale: localeFor(me.merchant), timeZone, currency: me.merchant.currency };
}
