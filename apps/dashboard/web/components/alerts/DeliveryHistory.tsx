import { formatDateTime } from '../../lib/format';
import type { AlertDelivery } from './alerts-query';

const KIND_WORDS: Record<AlertDelivery['kind'], string> = {
  firing: 'Firing',
  recovered: 'Recovered',
  test: 'Test',
};
const STATUS_CLASS: Record<AlertDelivery['status'], string> = {
  delivered: 'status-running',
  pending: 'status-draft',
  failed: 'status-stopped',
};
const STATUS_WORDS: Record<AlertDelivery['status'], string> = {
  delivered: 'Delivered',
  pending: 'Retrying',
  failed: 'Failed',
};

/**
 * Size containment on the scroller: its table's width no longer counts toward the page's minimum
 * width, so at 390 px the table scrolls inside its card instead of widening the page.
 */
const NO_MIN_WIDTH = { contain: 'inline-size' } as const;

/** Every webhook message, newest first: what it announced, whether it arrived, after how many attempts. */
export function DeliveryHistory({ deliveries, timeZone }: { deliveries: AlertDelivery[]; timeZone: string }) {
  if (deliveries.length === 0) return <p className="muted">Nothing sent yet.</p>;
  return (
    <div className="table-wrap" style={NO_MIN_WIDTH}>
      <table>
        <caption className="visually-hidden">Webhook deliveries</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Rule</th>
            <th scope="col">Message</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Answer</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id}>
              <td>{formatDateTime(d.createdAt, timeZone)}</td>
              <td>{d.ruleName}</td>
              <td>{KIND_WORDS[d.kind]}</td>
              <td>
                <span className={`badge ${STATUS_CLASS[d.status]}`}>{STATUS_WORDS[d.status]}</span>
              </td>
              <td>{d.attempts}</td>
              <td>
                {d.responseStatus !== null ? `HTTP ${d.responseStatus}` : 'no answer'}
                {d.error ? <span className="muted"> · {d.error}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
