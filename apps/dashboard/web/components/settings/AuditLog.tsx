import { useInfiniteQuery } from '@tanstack/react-query';
import { api, ok } from '../../lib/api';
import { col, type TableModel } from '../../lib/table';
import { DataTable } from '../ChartCard';
import { ErrorState, Loading } from '../states';

/** Every change a page makes that the log records refreshes this key. */
export const AUDIT_KEY = ['audit'] as const;

/** The audit log's actions in words. */
const ACTION_WORDS: Record<string, string> = {
  sign_in: 'signed in',
  sign_in_failed: 'failed sign-in',
  sign_out_everywhere: 'signed out everywhere',
  invite_created: 'invited',
  invite_accepted: 'accepted an invite',
  member_added: 'member added',
  member_removed: 'member removed',
  role_changed: 'role changed',
  password_reset_issued: 'password reset link made',
  password_reset_used: 'password reset',
  api_key_created: 'API key created',
  api_key_revoked: 'API key revoked',
  skill_bound: 'skill connected',
  skill_unbound: 'skill disconnected',
  payment_mode_changed: 'payment mode changed',
  alert_rule_created: 'alert rule created',
  alert_rule_changed: 'alert rule changed',
  alert_rule_deleted: 'alert rule deleted',
};

type Entry = {
  id: string;
  at: string;
  action: string;
  actor: string;
  target: string | null;
  details: unknown;
};

/** What changed, from an entry's details: roles and modes as "from → to", scopes listed. */
function detailWords(details: unknown): string {
  if (typeof details !== 'object' || details === null) return '';
  const d = details as Record<string, unknown>;
  if (typeof d.from === 'string' && typeof d.to === 'string') return `${d.from} → ${d.to}`;
  if (Array.isArray(d.scopes)) return d.scopes.join(', ');
  if (typeof d.role === 'string') return d.role;
  return '';
}

const table = (rows: Entry[]): TableModel<Entry> => ({
  columns: [
    col.datetime('at', 'When', (e) => e.at),
    col.text('action', 'What', (e) => ACTION_WORDS[e.action] ?? e.action.replaceAll('_', ' ')),
    col.text('actor', 'Who', (e) => e.actor),
    col.text('target', 'On', (e) => e.target ?? '—'),
    col.text('details', 'Details', (e) => detailWords(e.details) || '—'),
  ],
  rows,
});

/** Security-relevant actions, newest first, for owners; older pages load on demand. */
export function AuditLog() {
  const log = useInfiniteQuery({
    queryKey: AUDIT_KEY,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      ok(api.audit.$get({ query: { limit: '25', ...(pageParam ? { cursor: pageParam } : {}) } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = log.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <p className="muted">Sign-ins, members, roles, reset links, API keys, skills and payment mode.</p>
      {log.isPending ? <Loading /> : null}
      {log.error ? <ErrorState error={log.error} /> : null}
      {log.data ? <DataTable table={table(rows)} caption="Audit log" testId="audit-log" /> : null}
      {log.hasNextPage ? (
        <button type="button" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
          Older entries
        </button>
      ) : null}
    </section>
  );
}
