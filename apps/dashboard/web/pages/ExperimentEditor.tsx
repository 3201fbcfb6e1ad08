import { GUARDRAIL_METRICS, PRIMARY_METRICS } from '@pitchline/core/experiments/definition';
import { renderPitch, validatePitchTemplate } from '@pitchline/core/pitch-template';
import { ssmlToPlainText } from '@pitchline/core/ssml';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { Link } from '../components/Link';
import { ErrorState, FormError, Loading } from '../components/states';
import { api, ok } from '../lib/api';
import { type Experiment, experimentKeys, useExperiment } from '../lib/experiments';
import { navigate } from '../lib/router';
import { canWrite, type Me, useMe } from '../lib/session';

type VariantForm = { key: string; name: string; template: string; weight: number; isControl: boolean };
type ScopeKind = 'launch' | 'category' | 'product';
type Form = {
  key: string;
  name: string;
  hypothesis: string;
  scopeKind: ScopeKind;
  scopeValue: string;
  primaryMetric: (typeof PRIMARY_METRICS)[number];
  guardrailMetrics: (typeof GUARDRAIL_METRICS)[number][];
  conversionWindowHours: number;
  /** Winsorise revenue per user at this quantile of buyers' revenue; null: no cap. */
  revenueCapQuantile: number | null;
  mode: 'fixed' | 'bandit';
  variants: VariantForm[];
};

/** The caps offered: none, or a high quantile (one whale order must not decide revenue per user). */
const REVENUE_CAPS = [null, 0.95, 0.99, 0.999] as const;

const NEW_FORM: Form = {
  key: '',
  name: '',
  hypothesis: '',
  scopeKind: 'launch',
  scopeValue: '',
  primaryMetric: 'conversion',
  guardrailMetrics: ['stop_after_pitch'],
  conversionWindowHours: 72,
  revenueCapQuantile: null,
  mode: 'fixed',
  variants: [
    {
      key: 'control',
      name: 'Current pitch',
      template: '{{product}} is {{price}}.',
      weight: 1,
      isControl: true,
    },
    {
      key: 'b',
      name: 'Challenger',
      template: '<emphasis level="moderate">{{product}}</emphasis> is just {{price}} today.',
      weight: 1,
      isControl: false,
    },
  ],
};

function formOf(e: Experiment): Form {
  return {
    key: e.key,
    name: e.name,
    hypothesis: e.hypothesis,
    scopeKind: e.scope.kind,
    scopeValue:
      e.scope.kind === 'category' ? e.scope.category : e.scope.kind === 'product' ? e.scope.productId : '',
    primaryMetric: e.primaryMetric,
    guardrailMetrics: e.guardrailMetrics,
    conversionWindowHours: e.conversionWindowHours,
    revenueCapQuantile: e.revenueCapQuantile,
    mode: e.mode,
    variants: e.variants.map(({ key, name, template, weight, isControl }) => ({
      key,
      name,
      template,
      weight,
      isControl,
    })),
  };
}

function scopeOf(form: Form) {
  switch (form.scopeKind) {
    case 'launch':
      return { kind: 'launch' as const };
    case 'category':
      return { kind: 'category' as const, category: form.scopeValue };
    case 'product':
      return { kind: 'product' as const, productId: form.scopeValue };
  }
}

export default function ExperimentEditor({ id }: { id?: string }) {
  const me = useMe();
  if (!canWrite(me)) return <ErrorState error={new Error('Only owners can create or edit experiments.')} />;
  return id ? <EditExisting id={id} me={me} /> : <Editor me={me} initial={NEW_FORM} />;
}

function EditExisting({ id, me }: { id: string; me: Me }) {
  const query = useExperiment(id);
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  return (
    <Editor me={me} initial={formOf(query.data.experiment)} id={id} status={query.data.experiment.status} />
  );
}

function Editor({ me, initial, id, status }: { me: Me; initial: Form; id?: string; status?: string }) {
  const [form, setForm] = useState<Form>(initial);
  // While running only names, weights and templates may change (core's planEdit): lock the rest.
  const locked = status === 'running';
  const queryClient = useQueryClient();
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const setVariant = (i: number, patch: Partial<VariantForm>) =>
    setForm((f) => ({
      ...f,
      variants: f.variants.map((v, j) =>
        j === i ? { ...v, ...patch } : patch.isControl ? { ...v, isControl: false } : v,
      ),
    }));

  const save = useMutation({
    mutationFn: async () => {
      const common = {
        name: form.name.trim() || form.key,
        hypothesis: form.hypothesis,
        scope: scopeOf(form),
        variants: form.variants,
        primaryMetric: form.primaryMetric,
        guardrailMetrics: form.guardrailMetrics,
        conversionWindowHours: form.conversionWindowHours,
        revenueCapQuantile: form.revenueCapQuantile,
        mode: form.mode,
      };
      if (id) return ok(api.experiments[':id'].$patch({ param: { id }, json: common }));
      return ok(api.experiments.$post({ json: { ...common, key: form.key } }));
    },
    onSuccess: async (body) => {
      await queryClient.invalidateQueries({ queryKey: experimentKeys.all });
      navigate(`/experiments/${body.experiment.id}`);
    },
  });

  const checks = useMemo(() => form.variants.map((v) => validatePitchTemplate(v.template)), [form.variants]);
  const invalid = checks.some((c) => !c.ok);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!invalid) save.mutate();
  };

  return (
    <form className="editor" onSubmit={submit} noValidate>
      <p>
        <Link to={id ? `/experiments/${id}` : '/experiments'}>← Back</Link>
      </p>
      <h1>{id ? `Edit ${initial.name}` : 'New experiment'}</h1>
      {status === 'running' ? (
        <p className="warning">
          This experiment is running: only its name, variant names, weights and pitches can change (a changed
          pitch is recorded as a new version of its variant).
        </p>
      ) : null}
      <div className="grid-2">
        <label>
          Key
          <input
            name="key"
            value={form.key}
            onChange={(e) => set('key', e.target.value)}
            disabled={Boolean(id)}
            required
            pattern="[a-z0-9][a-z0-9_\-]{0,62}"
            placeholder="launch-pitch-emphasis"
            aria-describedby="key-help"
          />
          <small id="key-help" className="muted">
            Lower-case letters, digits, - and _; cannot change later.
          </small>
        </label>
        <label>
          Name
          <input name="name" value={form.name} onChange={(e) => set('name', e.target.value)} />
        </label>
      </div>
      <label>
        Hypothesis
        <textarea
          name="hypothesis"
          rows={2}
          value={form.hypothesis}
          onChange={(e) => set('hypothesis', e.target.value)}
          disabled={locked}
          placeholder="Stressing the product name will raise paid-order conversion."
        />
      </label>
      <div className="grid-3">
        <label>
          Where
          <select
            value={form.scopeKind}
            onChange={(e) => set('scopeKind', e.target.value as ScopeKind)}
            disabled={locked}
          >
            <option value="launch">Launch pitch</option>
            <option value="category">A category</option>
            <option value="product">A product</option>
          </select>
        </label>
        {form.scopeKind !== 'launch' ? (
          <label>
            {form.scopeKind === 'category' ? 'Category' : 'Product id'}
            <input
              value={form.scopeValue}
              onChange={(e) => set('scopeValue', e.target.value)}
              required
              disabled={locked}
            />
          </label>
        ) : null}
        <label>
          Primary metric
          <select
            value={form.primaryMetric}
            onChange={(e) => set('primaryMetric', e.target.value as Form['primaryMetric'])}
            disabled={locked}
          >
            {PRIMARY_METRICS.map((m) => (
              <option key={m} value={m}>
                {m.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          Conversion window (hours)
          <input
            type="number"
            min={1}
            max={8760}
            value={form.conversionWindowHours}
            onChange={(e) => set('conversionWindowHours', Number(e.target.value))}
            disabled={locked}
          />
        </label>
        <label>
          Revenue cap
          <select
            value={String(form.revenueCapQuantile ?? '')}
            onChange={(e) => set('revenueCapQuantile', e.target.value ? Number(e.target.value) : null)}
            disabled={locked}
          >
            {REVENUE_CAPS.map((q) => (
              <option key={String(q)} value={String(q ?? '')}>
                {q === null ? 'none' : `revenue per user capped at the ${q} quantile of buyers`}
              </option>
            ))}
          </select>
        </label>
        <label>
          Allocation
          <select
            value={form.mode}
            onChange={(e) => set('mode', e.target.value as Form['mode'])}
            disabled={locked}
          >
            <option value="fixed">Fixed split</option>
            <option value="bandit">Bandit (shifts traffic to the better pitch)</option>
          </select>
        </label>
      </div>
      <fieldset className="checks" disabled={locked}>
        <legend>Guardrails</legend>
        {GUARDRAIL_METRICS.map((m) => (
          <label key={m}>
            <input
              type="checkbox"
              checked={form.guardrailMetrics.includes(m)}
              onChange={(e) =>
                set(
                  'guardrailMetrics',
                  e.target.checked
                    ? [...form.guardrailMetrics, m]
                    : form.guardrailMetrics.filter((x) => x !== m),
                )
              }
            />{' '}
            {m.replaceAll('_', ' ')}
          </label>
        ))}
      </fieldset>

      <h2>Variants</h2>
      {form.variants.map((v, i) => {
        const check = checks[i];
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: variants are edited in place; their key is a field being typed
          <fieldset className="card variant-editor" key={i}>
            <legend>Variant {i + 1}</legend>
            <div className="grid-3">
              <label>
                Key
                <input
                  name={`variant-${i}-key`}
                  value={v.key}
                  onChange={(e) => setVariant(i, { key: e.target.value })}
                  disabled={locked}
                  required
                />
              </label>
              <label>
                Name
                <input value={v.name} onChange={(e) => setVariant(i, { name: e.target.value })} required />
              </label>
              <label>
                Weight
                <input
                  type="number"
                  min={1}
                  max={10000}
                  value={v.weight}
                  onChange={(e) => setVariant(i, { weight: Number(e.target.value) })}
                />
              </label>
            </div>
            <label className="inline">
              <input
                type="radio"
                name="control"
                checked={v.isControl}
                onChange={() => setVariant(i, { isControl: true })}
                disabled={locked}
              />{' '}
              Control (the pitch heard today)
            </label>
            <label>
              Pitch (SSML with {'{{product}}'}, {'{{price}}'}, {'{{discount}}'}, {'{{category}}'},{' '}
              {'{{merchant}}'})
              <textarea
                name={`variant-${i}-template`}
                className="mono"
                rows={3}
                value={v.template}
                aria-invalid={check && !check.ok}
                aria-describedby={`variant-${i}-check`}
                onChange={(e) => setVariant(i, { template: e.target.value })}
              />
            </label>
            <div id={`variant-${i}-check`} aria-live="polite" data-testid={`variant-${i}-check`}>
              {check?.ok ? (
                <span className="ok-text">Valid SSML</span>
              ) : (
                <ul className="form-error">
                  {check?.errors.map((err) => (
                    <li key={`${err.offset}-${err.message}`}>
                      line {err.line}, column {err.column}: {err.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <SpokenPreview template={v.template} valid={Boolean(check?.ok)} me={me} />
            {form.variants.length > 2 && !locked ? (
              <button
                type="button"
                className="link-button"
                onClick={() => setForm((f) => ({ ...f, variants: f.variants.filter((_, j) => j !== i) }))}
              >
                Remove variant
              </button>
            ) : null}
          </fieldset>
        );
      })}
      {form.variants.length < 10 && !locked ? (
        <button
          type="button"
          onClick={() =>
            setForm((f) => ({
              ...f,
              variants: [
                ...f.variants,
                {
                  key: `v${f.variants.length + 1}`,
                  name: '',
                  template: '{{product}} is {{price}}.',
                  weight: 1,
                  isControl: false,
                },
              ],
            }))
          }
        >
          Add variant
        </button>
      ) : null}

      {save.error ? <FormError error={save.error} whole="experiment" /> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={invalid || save.isPending}>
          {save.isPending ? 'Saving…' : id ? 'Save changes' : 'Create experiment'}
        </button>
      </div>
    </form>
  );
}

const speechAvailable = () => typeof window !== 'undefined' && 'speechSynthesis' in window;

/**
 * Renders the pitch with sample catalog values through core's own renderer, then speaks its plain
 * text with the browser's voice: an approximation of Alexa that still catches clumsy wording.
 */
function SpokenPreview({ template, valid, me }: { template: string; valid: boolean; me: Me }) {
  const [speaking, setSpeaking] = useState(false);
  useEffect(
    () => () => {
      if (speechAvailable()) window.speechSynthesis.cancel();
    },
    [],
  );
  const text = useMemo(() => {
    if (!valid) return null;
    try {
      const ssml = renderPitch(
        template,
        {
          product: 'Ethiopian Yirgacheffe',
          price: { amount: 1899, currency: me.merchant.currency },
          discount: { percent: 15 },
          category: 'single origin coffee',
          merchant: me.merchant.name,
        },
        { locale: 'en-US' },
      );
      return ssmlToPlainText(ssml);
    } catch (error) {
      return `(cannot render: ${(error as Error).message})`;
    }
  }, [template, valid, me.merchant.currency, me.merchant.name]);
  if (!text) return null;
  const speak = () => {
    const synth = window.speechSynthesis;
    synth.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = 'en-US';
    utterance.onend = () => setSpeaking(false);
    utterance.onerror = () => setSpeaking(false);
    setSpeaking(true);
    synth.speak(utterance);
  };
  return (
    <div className="preview">
      <span className="muted">Sounds like: </span>
      <q>{text}</q>{' '}
      {speechAvailable() ? (
        <button type="button" className="link-button" onClick={speak} disabled={speaking}>
          {speaking ? 'Speaking…' : '▶ Listen'}
        </button>
      ) : null}
    </div>
  );
}
