import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { ApiError, api, ok } from '../../lib/api';
import {
  type AlertCondition,
  type AlertMetricInfo,
  type AlertRule,
  BREAK_ANYWHERE,
  CONDITION_WORDS,
  inPercent,
  RULES_KEY,
  WINDOWS,
} from './alerts-query';

type Field = 'name' | 'metric' | 'condition' | 'threshold' | 'windowMinutes' | 'webhookUrl';
type Errors = Partial<Record<Field, string>>;
const FIELDS: Field[] = ['name', 'metric', 'condition', 'threshold', 'windowMinutes', 'webhookUrl'];

/** The server's refusal, each message beside its field; what names no field goes above the button. */
function errorsFrom(error: unknown): { fields: Errors; general?: string } {
  if (!(error instanceof ApiError))
    return { fields: {}, general: error instanceof Error ? error.message : String(error) };
  const fields: Errors = {};
  const other: string[] = [];
  for (const issue of error.body.issues ?? []) {
    const field = issue.path[0];
    if (typeof field === 'string' && (FIELDS as string[]).includes(field) && !fields[field as Field]) {
      fields[field as Field] = issue.message;
    } else other.push(issue.message);
  }
  const general = other.length > 0 ? other.join(' ') : error.body.issues?.length ? undefined : error.message;
  return { fields, general };
}

/** The threshold as the form shows it: a share in percent (without float noise), else as stored. */
function thresholdText(rule: AlertRule, metrics: AlertMetricInfo[]): string {
  const metric = metrics.find((m) => m.id === rule.metric);
  const percent = metric ? inPercent(metric, rule.condition) : false;
  return String(percent ? Math.round(rule.threshold * 100_000) / 1000 : rule.threshold);
}

/**
 * A rule's form: a new rule (the owner names it, picks a metric and a condition, and the URL deliveries
 * go to), or, given `rule`, that rule's fields to change.
 */
export function RuleForm({
  metrics,
  rule,
  onCreated,
  onSaved,
}: {
  metrics: AlertMetricInfo[];
  rule?: AlertRule;
  onCreated?: (secret: string, name: string) => void;
  onSaved?: () => void;
}) {
  const queryClient = useQueryClient();
  const id = useId();
  const [name, setName] = useState(rule?.name ?? '');
  const [metricId, setMetricId] = useState(rule?.metric ?? metrics[0]?.id ?? 'fallback_rate');
  const [condition, setCondition] = useState<AlertCondition>(rule?.condition ?? 'above');
  // Kept as typed: an empty field stays empty while the owner types, it is not turned into 0.
  const [threshold, setThreshold] = useState(rule ? thresholdText(rule, metrics) : '5');
  const [windowMinutes, setWindowMinutes] = useState(rule?.windowMinutes ?? 60);
  const [webhookUrl, setWebhookUrl] = useState(rule?.webhookUrl ?? '');
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<string | undefined>();
  const metric = metrics.find((m) => m.id === metricId) ?? metrics[0];
  const conditions = (Object.keys(CONDITION_WORDS) as AlertCondition[]).filter(
    (c) => metric?.comparesToPrevious || (c !== 'rises_by' && c !== 'drops_by'),
  );
  const percent = metric ? inPercent(metric, condition) : false;
  const unit = metric?.unit === 'milliseconds' ? 'ms' : '';

  type Body = Parameters<typeof api.alerts.rules.$post>[0]['json'];
  const create = useMutation({
    mutationFn: async (body: Body) => {
      if (!rule) return ok(api.alerts.rules.$post({ json: body }));
      // Only a changed URL is sent, so an unchanged one is not resolved and checked again.
      const { webhookUrl: url, ...rest } = body;
      const patch = url === rule.webhookUrl ? rest : body;
      await ok(api.alerts.rules[':id'].$patch({ param: { id: rule.id }, json: patch }));
      return null;
    },
    onSuccess: (answer) => {
      if (answer) onCreated?.(answer.signingSecret, answer.rule.name);
      else onSaved?.();
      if (!rule) {
        setName('');
        setWebhookUrl('');
      }
      setErrors({});
      setGeneral(undefined);
      void queryClient.invalidateQueries({ queryKey: RULES_KEY });
    },
    onError: (error) => {
      const found = errorsFrom(error);
      setErrors(found.fields);
      setGeneral(found.general);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Errors = {};
    if (!name.trim()) found.name = 'Give the rule a name.';
    const value = Number(threshold.replace(',', '.'));
    if (threshold.trim() === '' || !Number.isFinite(value))
      found.threshold = 'Enter a number for the threshold.';
    else if (value < 0) found.threshold = 'The threshold cannot be negative.';
    if (!webhookUrl.trim()) found.webhookUrl = 'Enter the webhook URL.';
    else if (!/^https?:\/\//i.test(webhookUrl.trim())) {
      found.webhookUrl = 'Webhooks are sent over http or https: the URL starts with https://';
    }
    setErrors(found);
    setGeneral(undefined);
    if (Object.keys(found).length > 0 || !metric) return;
    create.mutate({
      name: name.trim(),
      metric: metric.id,
      condition,
      threshold: percent ? value / 100 : value,
      windowMinutes,
      webhookUrl: webhookUrl.trim(),
    });
  };

  const describedBy = (field: Field) => (errors[field] ? `${id}-${field}-error` : undefined);
  const fieldError = (field: Field) =>
    errors[field] ? (
      <p className="form-error" id={`${id}-${field}-error`} style={BREAK_ANYWHERE}>
        {errors[field]}
      </p>
    ) : null;

  return (
    <form onSubmit={submit} aria-label={rule ? `Edit ${rule.name}` : 'New alert rule'} noValidate>
      <div className="form-row">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          value={name}
          maxLength={100}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describedBy('name')}
        />
      </div>
      {fieldError('name')}
      <div className="form-row">
        <label htmlFor={`${id}-metric`}>Metric</label>
        <select
          id={`${id}-metric`}
          value={metric?.id}
          aria-describedby={`${id}-definition`}
          onChange={(e) => {
            const next = metrics.find((m) => m.id === e.target.value);
            setMetricId(e.target.value as typeof metricId);
            if (next && !next.comparesToPrevious && (condition === 'rises_by' || condition === 'drops_by')) {
              setCondition('above');
            }
          }}
        >
          {metrics.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      {fieldError('metric')}
      {metric ? (
        <p className="muted" id={`${id}-definition`}>
          {metric.definition}
        </p>
      ) : null}
      <div className="form-row">
        <label htmlFor={`${id}-condition`}>Fires when it</label>
        <select
          id={`${id}-condition`}
          value={condition}
          onChange={(e) => setCondition(e.target.value as AlertCondition)}
          aria-invalid={errors.condition ? true : undefined}
          aria-describedby={describedBy('condition')}
        >
          {conditions.map((c) => (
            <option key={c} value={c}>
              {CONDITION_WORDS[c]}
            </option>
          ))}
        </select>
      </div>
      {fieldError('condition')}
      <div className="form-row">
        <label htmlFor={`${id}-threshold`}>
          {percent ? 'Threshold, in %' : unit === 'ms' ? 'Threshold, in milliseconds' : 'Threshold'}
        </label>
        <input
          id={`${id}-threshold`}
          inputMode="decimal"
          value={threshold}
          onChange={(e) => setThreshold(e.target.value)}
          aria-invalid={errors.threshold ? true : undefined}
          aria-describedby={describedBy('threshold')}
        />
      </div>
      {fieldError('threshold')}
      {metric?.usesWindow ? (
        <div className="form-row">
          <label htmlFor={`${id}-window`}>Over the last</label>
          <select
            id={`${id}-window`}
            value={windowMinutes}
            onChange={(e) => setWindowMinutes(Number(e.target.value))}
            aria-invalid={errors.windowMinutes ? true : undefined}
            aria-describedby={describedBy('windowMinutes')}
          >
            {WINDOWS.map((w) => (
              <option key={w.minutes} value={w.minutes}>
                {w.words}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {fieldError('windowMinutes')}
      <div className="form-row">
        <label htmlFor={`${id}-url`}>Webhook URL</label>
        <input
          id={`${id}-url`}
          type="url"
          size={48}
          placeholder="https://hooks.slack.com/services/…"
          value={webhookUrl}
          onChange={(e) => setWebhookUrl(e.target.value)}
          aria-invalid={errors.webhookUrl ? true : undefined}
          aria-describedby={describedBy('webhookUrl')}
        />
      </div>
      {fieldError('webhookUrl')}
      {general ? (
        <p className="form-error" role="alert" style={BREAK_ANYWHERE}>
          {general}
        </p>
      ) : null}
      <div className="form-row">
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? 'Checking the URL…' : rule ? 'Save changes' : 'Create rule'}
        </button>
      </div>
    </form>
  );
}
