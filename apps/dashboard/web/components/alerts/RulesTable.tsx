import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ok } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { ErrorState } from '../states';
import {
  type AlertMetricInfo,
  type AlertRule,
  BREAK_ANYWHERE,
  DELIVERIES_KEY,
  RULES_KEY,
} from './alerts-query';

/**
 * Size containment on the scroller: its table's width no longer counts toward the page's minimum
 * width, so at 390 px the table scrolls inside its card instead of widening the page.
 */
const NO_MIN_WIDTH = { contain: 'inline-size' } as const;

/** A rule's last reading in its metric's unit (the API sends ratios as 0–1 and latency in ms). */
function lastValue(rule: AlertRule, metric: AlertMetricInfo | undefined): string {
  if (rule.lastEvaluatedAt === null) return 'not evaluated yet';
  if (rule.lastValue === null) return 'no data in the window';
  if (metric?.unit === 'ratio') return `${(rule.lastValue * 100).toFixed(1)} %`;
  if (metric?.unit === 'milliseconds') return `${Math.round(rule.lastValue).toLocaleString('en-US')} ms`;
  return Math.round(rule.lastValue).toLocaleString('en-US');
}

/** The merchant's rules with their state; owners switch them off and on, test and delete them. */
export function RulesTable({
  rules,
  metrics,
  canWrite,
  timeZone,
  onEdit,
}: {
  rules: AlertRule[];
  metrics: AlertMetricInfo[];
  canWrite: boolean;
  timeZone: string;
  onEdit: (rule: AlertRule) => void;
}) {
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: RULES_KEY });
    void queryClient.invalidateQueries({ queryKey: DELIVERIES_KEY });
  };
  const toggle = useMutation({
    mutationFn: (rule: AlertRule) =>
      ok(api.alerts.rules[':id'].$patch({ param: { id: rule.id }, json: { enabled: !rule.enabled } })),
    onSuccess: refresh,
  });
  const test = useMutation({
    mutationFn: (rule: AlertRule) => ok(api.alerts.rules[':id'].test.$post({ param: { id: rule.id } })),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: async (rule: AlertRule) => {
      if (!window.confirm(`Delete the rule “${rule.name}” and its delivery history?`)) return;
      await ok(api.alerts.rules[':id'].$delete({ param: { id: rule.id } }));
    },
    onSuccess: refresh,
  });
  if (rules.length === 0) {
    return <p className="muted">No alert rules yet{canWrite ? ': add one below.' : '.'}</p>;
  }
  const error = toggle.error ?? test.error ?? remove.error;
  return (
    <>
      {error ? <ErrorState error={error} /> : null}
      {test.data ? (
        <p
          role="status"
          className={test.data.delivery.status === 'delivered' ? 'ok-text' : 'form-error'}
          style={BREAK_ANYWHERE}
        >
          Test delivery {test.data.delivery.status}
          {test.data.delivery.responseStatus ? ` (HTTP ${test.data.delivery.responseStatus})` : ''}
          {test.data.delivery.error ? `: ${test.data.delivery.error}` : '.'}
        </p>
      ) : null}
      <div className="table-wrap" style={NO_MIN_WIDTH}>
        <table>
          <caption className="visually-hidden">Alert rules</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Fires when</th>
              <th scope="col">State</th>
              <th scope="col">Last reading</th>
              <th scope="col">Sends to</th>
              {canWrite ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => {
              const metric = metrics.find((m) => m.id === rule.metric);
              return (
                <tr key={rule.id}>
                  <th scope="row">{rule.name}</th>
                  <td>{rule.description}</td>
                  <td>
                    {!rule.enabled ? (
                      <span className="badge status-draft">Off</span>
                    ) : rule.state === 'firing' ? (
                      <span className="badge status-stopped">
                        Firing since {formatDateTime(rule.firingSince, timeZone)}
                      </span>
                    ) : (
                      <span className="badge status-running">OK</span>
                    )}
                  </td>
                  <td>
                    {lastValue(rule, metric)}
                    {rule.lastEvaluatedAt ? (
                      <span className="muted"> · {formatDateTime(rule.lastEvaluatedAt, timeZone)}</span>
                    ) : null}
                  </td>
                  <td className="mono">{rule.webhookUrl}</td>
                  {canWrite ? (
                    <td>
                      <div className="actions">
                        <button
                          type="button"
                          className="button"
                          onClick={() => test.mutate(rule)}
                          disabled={test.isPending}
                        >
                          Send test
                        </button>
                        <button type="button" className="button" onClick={() => onEdit(rule)}>
                          Edit
                        </button>
                        <button type="button" className="button" onClick={() => toggle.mutate(rule)}>
                          {rule.enabled ? 'Switch off' : 'Switch on'}
                        </button>
                        <button type="button" className="button" onClick={() => remove.mutate(rule)}>
                          Delete
                        </button>
                      </div>
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
