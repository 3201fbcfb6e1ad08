import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from '../../lib/api';
import { ME_KEY } from '../../lib/session';
import { ErrorState } from '../states';

/** Ends every session of the signed-in member, this one included (a lost laptop, a shared computer). */
export function SignOutEverywhere() {
  const queryClient = useQueryClient();
  const signOut = useMutation({
    mutationFn: async () => {
      const res: Response = await api.auth['sign-out-everywhere'].$post();
      if (!res.ok && res.status !== 401) throw new ApiError(res.status, {});
    },
    onSuccess: async () => {
      setCsrfToken(null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      await queryClient.resetQueries({ queryKey: ME_KEY });
    },
  });
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Your sessions</h2>
      <p className="muted">Signs you out on every browser and device, this one included.</p>
      <button
        type="button"
        className="danger"
        disabled={signOut.isPending}
        onClick={() => window.confirm('Sign out on every device, this one included?') && signOut.mutate()}
      >
        Sign out everywhere
      </button>
      {signOut.error ? <ErrorState error={signOut.error} /> : null}
    </section>
  );
}
