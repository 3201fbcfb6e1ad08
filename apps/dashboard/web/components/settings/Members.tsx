import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, ok } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import type { Me } from '../../lib/session';
import { ErrorState, Loading } from '../states';
import { TableWrap } from '../TableWrap';
import { AUDIT_KEY } from './AuditLog';
import { OneTimeLink } from './OneTimeLink';

type Role = 'owner' | 'analyst';
const ROLE_WORDS: Record<Role, string> = { owner: 'owner', analyst: 'analyst (read-only)' };
const MEMBERS_KEY = ['members'] as const;
const INVITES_KEY = ['invites'] as const;

type Link = { label: string; path: '/invite' | '/reset'; token: string; expiresAt: string };

/**
 * Who can sign in to this merchant, and with which role. Owners invite by link, change roles, remove
 * members and make password reset links; each change ends that member's open sessions at once.
 */
export function Members({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const isOwner = me.role === 'owner';
  const members = useQuery({ queryKey: MEMBERS_KEY, queryFn: () => ok(api.members.$get()) });
  const invites = useQuery({
    queryKey: INVITES_KEY,
    queryFn: () => ok(api.invites.$get()),
    enabled: isOwner,
  });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [link, setLink] = useState<Link | null>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: MEMBERS_KEY });
    void queryClient.invalidateQueries({ queryKey: INVITES_KEY });
    void queryClient.invalidateQueries({ queryKey: AUDIT_KEY });
  };

  const invite = useMutation({
    mutationFn: () => ok(api.invites.$post({ json: { email, role } })),
    onSuccess: ({ invite: made }) => {
      setLink({ label: `Invite link for ${made.email}.`, path: '/invite', ...made });
      setEmail('');
      refresh();
    },
  });
  const changeRole = useMutation({
    mutationFn: (v: { id: string; role: Role }) =>
      ok(api.members[':id'].$patch({ param: { id: v.id }, json: { role: v.role } })),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => ok(api.members[':id'].$delete({ param: { id } })),
    onSuccess: refresh,
  });
  const reset = useMutation({
    mutationFn: (id: string) => ok(api.members[':id']['password-reset'].$post({ param: { id } })),
    onSuccess: ({ reset: made }) => {
      setLink({ label: `Password reset link for ${made.email}.`, path: '/reset', ...made });
      void queryClient.invalidateQueries({ queryKey: AUDIT_KEY });
    },
  });
  const error = invite.error ?? changeRole.error ?? remove.error ?? reset.error;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (email.trim()) invite.mutate();
  };

  return (
    <section className="card" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      {isOwner ? (
        <form className="inline" onSubmit={submit} aria-label="Invite a member">
          <label>
            E-mail{' '}
            <input
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              maxLength={320}
              required
            />
          </label>{' '}
          <label>
            Role{' '}
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <option value="analyst">{ROLE_WORDS.analyst}</option>
              <option value="owner">{ROLE_WORDS.owner}</option>
            </select>
          </label>{' '}
          <button type="submit" className="primary" disabled={invite.isPending}>
            Invite
          </button>
        </form>
      ) : null}
      {link ? <OneTimeLink {...link} timeZone={me.merchant.timezone} /> : null}
      {error ? <ErrorState error={error} /> : null}
      {members.isPending ? <Loading /> : null}
      {members.error ? <ErrorState error={members.error} /> : null}
      {members.data ? (
        <TableWrap label="Members">
          <table data-testid="members">
            <caption className="visually-hidden">Members</caption>
            <thead>
              <tr>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Since</th>
                {isOwner ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {members.data.members.map((m) => (
                <tr key={m.id}>
                  <td>
                    {m.email}
                    {m.id === me.member?.id ? <span className="muted"> (you)</span> : null}
                  </td>
                  <td>
                    {isOwner ? (
                      <select
                        aria-label={`Role of ${m.email}`}
                        value={m.role}
                        disabled={changeRole.isPending}
                        onChange={(e) => changeRole.mutate({ id: m.id, role: e.target.value as Role })}
                      >
                        <option value="analyst">{ROLE_WORDS.analyst}</option>
                        <option value="owner">{ROLE_WORDS.owner}</option>
                      </select>
                    ) : (
                      ROLE_WORDS[m.role]
                    )}
                  </td>
                  <td>{formatDateTime(m.createdAt, me.merchant.timezone)}</td>
                  {isOwner ? (
                    <td className="actions">
                      <button type="button" className="link-button" onClick={() => reset.mutate(m.id)}>
                        Reset link
                      </button>
                      <button
                        type="button"
                        className="link-button"
                        onClick={() =>
                          window.confirm(`Remove ${m.email}? Their open sessions end at once.`) &&
                          remove.mutate(m.id)
                        }
                      >
                        Remove
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {isOwner && invites.data && invites.data.invites.length > 0 ? (
        <>
          <h3>Pending invites</h3>
          <ul className="plain">
            {invites.data.invites.map((i) => (
              <li key={i.id}>
                {i.email} as {ROLE_WORDS[i.role]}, until {formatDateTime(i.expiresAt, me.merchant.timezone)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
