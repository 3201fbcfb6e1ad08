import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, ok } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import type { Me } from '../../lib/session';
import { useUnsavedChangesGuard } from '../../lib/unsaved';
import { FormError } from '../states';
import { TableWrap } from '../TableWrap';
import { AUDIT_KEY } from './AuditLog';

const API_KEYS_KEY = ['api-keys'] as const;

type Scope = 'analytics:read' | 'transcripts:read' | 'experiments:write';
const SCOPES: { scope: Scope; words: string }[] = [
  { scope: 'analytics:read', words: 'read analytics and results' },
  { scope: 'transcripts:read', words: 'read conversations (transcripts, session search)' },
  { scope: 'experiments:write', words: 'create and change experiments' },
];
const SCOPE_WORDS = new Map(SCOPES.map((s) => [s.scope, s.scope]));
/** Lifetimes offered; the API refuses more than a year. */
const LIFETIMES = [
  { days: 30, words: '30 days' },
  { days: 90, words: '90 days' },
  { days: 180, words: '180 days' },
  { days: 365, words: '1 year' },
];

/** Keys for scripts: created here with scopes and an expiry (the key is shown once), listed, revoked. */
export function ApiKeys({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: API_KEYS_KEY, queryFn: () => ok(api['api-keys'].$get()) });
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['analytics:read']);
  const [expiresInDays, setExpiresInDays] = useState(90);
  const [shown, setShown] = useState<string | null>(null);
  const toggle = (scope: Scope, on: boolean) =>
    setScopes((now) => (on ? [...new Set([...now, scope])] : now.filter((s) => s !== scope)));
  const create = useMutation({
    mutationFn: () => ok(api['api-keys'].$post({ json: { name, scopes, expiresInDays } })),
    onSuccess: (body) => {
      setShown(body.apiKey.key);
      setName('');
      setTried(false);
      void queryClient.invalidateQueries({ queryKey: API_KEYS_KEY });
      void queryClient.invalidateQueries({ queryKey: AUDIT_KEY });
    },
  });
  const revoke = useMutation({
    mutationFn: async (id: string) => {
      const res = await api['api-keys'][':id'].$delete({ param: { id } });
      if (!res.ok) throw new Error(`revoking failed (${res.status})`);
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: API_KEYS_KEY });
      void queryClient.invalidateQueries({ queryKey: AUDIT_KEY });
    },
  });
  // A blank name is said beside the field when a creation is tried, not silently ignored.
  const [tried, setTried] = useState(false);
  const nameProblem = tried && !name.trim() ? 'Give the key a name, e.g. the script that will use it.' : null;
  useUnsavedChangesGuard(name.trim() !== '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (name.trim() && scopes.length > 0) create.mutate();
  };
  return (
    <section className="card">
      <h2>API keys</h2>
      <p className="muted">
        Keys for scripts: send as “Authorization: Bearer …”. A key does only what its scopes allow.
      </p>
      <form onSubmit={submit} aria-label="Create an API key" noValidate>
        <label className="inline">
          Name{' '}
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={100}
            required
            aria-invalid={nameProblem ? true : undefined}
            aria-describedby={nameProblem ? 'api-key-name-problem' : undefined}
            data-testid="api-key-name"
          />
        </label>{' '}
        {nameProblem ? (
          <small id="api-key-name-problem" className="form-error field-error" role="alert">
            {nameProblem}
          </small>
        ) : null}{' '}
        <label className="inline">
          Expires after{' '}
          <select value={expiresInDays} onChange={(e) => setExpiresInDays(Number(e.target.value))}>
            {LIFETIMES.map((l) => (
              <option key={l.days} value={l.days}>
                {l.words}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="scopes">
          <legend>Scopes</legend>
          {SCOPES.map((s) => (
            <label key={s.scope} className="inline">
              <input
                type="checkbox"
                checked={scopes.includes(s.scope)}
                onChange={(e) => toggle(s.scope, e.target.checked)}
              />{' '}
              <code>{s.scope}</code> <span className="muted">{s.words}</span>
            </label>
          ))}
        </fieldset>
        {scopes.length === 0 ? <p className="form-error">Choose at least one scope.</p> : null}
        <button type="submit" disabled={create.isPending || scopes.length === 0}>
          Create key
        </button>
      </form>
      {shown ? (
        <p className="warning" role="status">
          Copy this key now; it is not shown again: <code>{shown}</code>
        </p>
      ) : null}
      {create.error ? <FormError error={create.error} /> : null}
      {keys.data ? (
        <TableWrap label="API keys">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.apiKeys.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td className="mono">{k.prefix}…</td>
                  <td>{k.scopes.map((s) => SCOPE_WORDS.get(s) ?? s).join(', ')}</td>
                  <td>{formatDateTime(k.createdAt, me.merchant.timezone)}</td>
                  <td>
                    {k.expiresAt ? formatDateTime(k.expiresAt, me.merchant.timezone) : 'never (older key)'}
                  </td>
                  <td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt, me.merchant.timezone) : 'never'}</td>
                  <td>
                    {k.revokedAt ? (
                      'revoked'
                    ) : new Date(k.expiresAt).getTime() <= Date.now() ? (
                      'expired'
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
        </TableWrap>
      ) : null}
    </section>
  );
}
