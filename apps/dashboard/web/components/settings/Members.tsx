import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import type { Me } from '../../lib/session';
import { ErrorState, Loading } from '../states';

/** Who can sign in to this merchant, and with which role. */
export function Members({ me }: { me: Me }) {
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
