import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, ok } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import type { Me } from '../../lib/session';
import { ErrorState } from '../states';

const API_KEYS_KEY = ['api-keys'] as const;

/** Read-only keys for scripts: created here (the key is shown once), listed, revoked. */
export function ApiKeys({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: API_KEYS_KEY, queryFn: () => ok(api['api-keys'].$get()) });
  const [name, setName] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => ok(api['api-keys'].$post({ json: { name } })),
    onSuccess: (body) => {
      setShown(body.apiKey.key);
      setName('');
      void queryClient.invalidateQueries({ queryKey: API_KEYS_KEY });
    },
  });
  const revoke = useMutation({
    mutationFn: async (id: string) => {
      const res = await api['api-keys'][':id'].$delete({ param: { id } });
      if (!res.ok) throw new Error(`revoking failed (${res.status})`);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: API_KEYS_KEY }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate();
  };
  return (
    <section className="card">
      <h2>API keys</h2>
      <p className="muted">Read-only keys for scripts: send as “Authorization: Bearer …”.</p>
      <form className="inline" onSubmit={submit}>
        <label>
          Name <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
        </label>{' '}
        <button type="submit" disabled={create.isPending}>
          Create key
        </button>
      </form>
      {shown ? (
        <p className="warning" role="status">
          Copy this key now; it is not shown again: <code>{shown}</code>
        </p>
      ) : null}
      {create.error ? <ErrorState error={create.error} /> : null}
      {keys.data ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.apiKeys.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td className="mono">{k.prefix}…</td>
                  <td>{formatDateTime(k.createdAt, me.merchant.timezone)}</td>
                  <td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt, me.merchant.timezone) : 'never'}</td>
                  <td>
                    {k.revokedAt ? (
                      'revoked'
                    ) : (
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => window.confirm(`Revoke “${k.name}”?`) && revoke.mutate(k.id)}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
