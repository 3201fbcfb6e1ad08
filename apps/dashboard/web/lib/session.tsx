import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { ApiError, api, ok, setCsrfToken, setUnauthorizedHandler } from './api';

export type Me = Awaited<ReturnType<typeof fetchMe>>;

async function fetchMe() {
  return ok(api.auth.me.$get());
}

export const ME_KEY = ['auth', 'me'] as const;

const SessionContext = createContext<Me | null>(null);

/** The signed-in caller: merchant (name, time zone, currency), role and member. */
export function useMe(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useMe outside a signed-in page');
  return me;
}

export const canWrite = (me: Me) => me.role === 'owner' && me.member !== null;

/**
 * Renders `signedIn` once /auth/me answers, `signedOut` on 401. The CSRF token from the answer is
 * handed to the API client for every later write.
 */
export function SessionGate({
  signedIn,
  signedOut,
  loading,
  failed,
}: {
  signedIn: ReactNode;
  signedOut: ReactNode;
  loading: ReactNode;
  failed: (error: unknown, retry: () => void) => ReactNode;
}) {
  const queryClient = useQueryClient();
  const me = useQuery({
    queryKey: ME_KEY,
    queryFn: fetchMe,
    retry: (count, error) => !(error instanceof ApiError && error.status === 401) && count < 2,
    staleTime: 5 * 60_000,
  });
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      void queryClient.invalidateQueries({ queryKey: ME_KEY });
    });
  }, [queryClient]);
  useEffect(() => setCsrfToken(me.data?.csrfToken ?? null), [me.data]);

  if (me.isPending) return loading;
  // Checked before the data: a refetch that answers 401 keeps the old data beside the error.
  if (me.error instanceof ApiError && me.error.status === 401) return signedOut;
  if (me.data) return <SessionContext.Provider value={me.data}>{signedIn}</SessionContext.Provider>;
  if (me.error) return failed(me.error, () => void me.refetch());
  return signedOut;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) => ok(api.auth.login.$post({ json: body })),
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      queryClient.setQueryData(ME_KEY, me);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      // A 401 here means the session had already ended, which is what signing out wants.
      const res: Response = await api.auth.logout.$post();
      if (!res.ok && res.status !== 401) throw new ApiError(res.status, {});
    },
    onSettled: async () => {
      setCsrfToken(null);
      // Nothing of this account stays in memory for whoever signs in next on this browser.
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      await queryClient.resetQueries({ queryKey: ME_KEY });
    },
  });
}
