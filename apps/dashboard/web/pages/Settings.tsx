import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ErrorState, Loading, NotAvailableYet } from '../components/states';
import { api, ok } from '../lib/api';
import { formatDateTime } from '../lib/format';
import { type Me, useMe } from '../lib/session';

export default function Settings() {
  const me = useMe();
  return (
    <>
      <h1>Settings</h1>
      <section className="card">
        <h2>Merchant</h2>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{me.merchant.name}</dd>
          <dt>Time zone</dt>
          <dd>{me.merchant.timezone}</dd>
          <dt>Currency</dt>
          <dd>{me.merchant.currency}</dd>
        </dl>
        <NotAvailableYet what="Skill ids and the payment mode" />
      </section>
      {me.member ? <Members me={me} /> : null}
      {me.member && me.role === 'owner' ? <ApiKeys me={me} /> : null}
    </>
  );
}

function Members({ me }: { me: Me }) {
  const members = useQuery({ queryKey: ['members'], queryFn: () => ok(api.members.$get()) });
  return (
    <section className="card">
      <h2>Members</h2>
      {members.isPending ? <Loading /> : null}
      {members.error ? <ErrorState error={members.error} /> : null}
      {members.data ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {members.data.members.map((m) => (
                <tr key={m.id}>
                  <td>{m.email}</td>
                  <td>{m.role === 'owner' ? 'owner' : 'analyst (read-only)'}</td>
                  <td>{formatDateTime(m.createdAt, me.merchant.timezone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function ApiKeys({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => ok(api['api-keys'].$get()) });
  const [name, setName] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => ok(api['api-keys'].$post({ json: { name } })),
    onSuccess: (body) => {
      setShown(body.apiKey.key);
      setName('');
      void queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: async (id: string) => {
      const res = await api['api-keys'][':id'].$delete({ param: { id } });
      if (!res.ok) throw new Error(`revoking failed (${res.status})`);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['api-keys'] }),
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
                  <td>{formatDateTime(k.lastUsedAt, me.merchant.timezone)}</td>
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
