import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  type AlertRule,
  BREAK_ANYWHERE,
  DELIVERIES_KEY,
  fetchDeliveries,
  fetchRules,
  REFRESH_MS,
  RULES_KEY,
} from '../components/alerts/alerts-query';
import { DeliveryHistory } from '../components/alerts/DeliveryHistory';
import { RuleForm } from '../components/alerts/RuleForm';
import { RulesTable } from '../components/alerts/RulesTable';
import { ErrorState, Loading } from '../components/states';
import { useMe } from '../lib/session';
import { useTitle } from '../lib/title';

/**
 * Alerts: rules on a metric that post to a webhook when they fire and when they recover, and the
 * history of those deliveries. Owners write rules; analysts read them.
 */
export default function Alerts() {
  useTitle('Alerts');
  const me = useMe();
  const canWrite = me.role === 'owner' && me.member !== null;
  const rules = useQuery({ queryKey: RULES_KEY, queryFn: fetchRules, refetchInterval: REFRESH_MS });
  const deliveries = useQuery({
    queryKey: DELIVERIES_KEY,
    queryFn: fetchDeliveries,
    refetchInterval: REFRESH_MS,
  });
  const [secret, setSecret] = useState<{ value: string; rule: string } | null>(null);
  const [editing, setEditing] = useState<AlertRule | null>(null);
  const timeZone = me.merchant.timezone;
  return (
    <>
      <h1>Alerts</h1>
      <section className="card" aria-labelledby="alert-rules">
        <h2 id="alert-rules">Rules</h2>
        {rules.isPending ? <Loading /> : null}
        {rules.error ? <ErrorState error={rules.error} retry={() => void rules.refetch()} /> : null}
        {rules.data ? (
          <RulesTable
            rules={rules.data.rules}
            metrics={rules.data.metrics}
            canWrite={canWrite}
            timeZone={timeZone}
            onEdit={setEditing}
          />
        ) : null}
      </section>
      {canWrite && rules.data && editing ? (
        <section className="card" aria-labelledby="edit-alert-rule">
          <h2 id="edit-alert-rule">Edit “{editing.name}”</h2>
          <RuleForm
            key={editing.id}
            metrics={rules.data.metrics}
            rule={editing}
            onSaved={() => setEditing(null)}
          />
          <button type="button" className="link-button" onClick={() => setEditing(null)}>
            Cancel
          </button>
        </section>
      ) : null}
      {canWrite && rules.data ? (
        <section className="card" aria-labelledby="new-alert-rule">
          <h2 id="new-alert-rule">New rule</h2>
          <p className="muted">
            A rule posts once when it starts firing and once when it recovers, as Slack-compatible JSON signed
            with the header {rules.data.signatureHeader} (see README “Alerts”).
          </p>
          {secret ? (
            <p className="warning" role="status">
              Signing secret of “{secret.rule}”, to verify deliveries — copy it now, it is not shown again:{' '}
              <code style={BREAK_ANYWHERE}>{secret.value}</code>
            </p>
          ) : null}
          <RuleForm metrics={rules.data.metrics} onCreated={(value, rule) => setSecret({ value, rule })} />
        </section>
      ) : null}
      <section className="card" aria-labelledby="alert-deliveries">
        <h2 id="alert-deliveries">Delivery history</h2>
        {deliveries.isPending ? <Loading /> : null}
        {deliveries.error ? (
          <ErrorState error={deliveries.error} retry={() => void deliveries.refetch()} />
        ) : null}
        {deliveries.data ? (
          <DeliveryHistory deliveries={deliveries.data.deliveries} timeZone={timeZone} />
        ) : null}
      </section>
    </>
  );
}
