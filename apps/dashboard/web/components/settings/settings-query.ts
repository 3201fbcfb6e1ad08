import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../lib/api';

/** Skills and payments share one API answer: a change to either refreshes this key. */
export const SETTINGS_KEY = ['settings'] as const;

export function useMerchantSettings() {
  return useQuery({ queryKey: SETTINGS_KEY, queryFn: () => ok(api.settings.$get()) });
}
