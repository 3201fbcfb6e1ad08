import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Empty, ErrorState, FormError, Loading } from '../components/states';
import { api, ok } from '../lib/api';
import { formatDateTime } from '../lib/format';
import { canWrite, type Me, useMe } from '../lib/session';

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
      </section>
      <MerchantSettings me={me} />
      {me.member ? <Members me={me} /> : null}
      {me.member && me.role === 'owner' ? <ApiKeys me={me} /> : null}
    </>
  );
}

const SETTINGS_KEY = ['settings'] as const;

/*
 * The same rule the server applies (packages/db merchant-settings.ts), repeated here only to flag a typo
 * while typing; the server stays the judge and its refusal is shown as it says it.
 */
const SKILL_ID = /^amzn1\.ask\.skill\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SKILL_ID_HINT = 'amzn1.ask.skill. followed by the id Amazon shows in the Alexa developer console';

function skillIdProblem(value: string): string | null {
  const id = value.trim().toLowerCase();
  if (id === '') return null;
  if (!id.startsWith('amzn1.ask.skill.')) return 'A skill id starts with amzn1.ask.skill.';
  if (!SKILL_ID.test(id)) return 'After amzn1.ask.skill. comes a UUID: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx';
  return null;
}

/** Skills and payments share one API answer, so one query feeds both cards. */
function MerchantSettings({ me }: { me: Me }) {
  const settings = useQuery({ queryKey: SETTINGS_KEY, queryFn: () => ok(api.settings.$get()) });
  if (settings.isPending) {
    return (
      <section className="card">
        <h2>Skills and payments</h2>
        <Loading />
      </section>
    );
  }
  if (settings.error) {
    return (
      <section className="card">
        <h2>Skills and payments</h2>
        <ErrorState error={settings.error} retry={() => void settings.refetch()} />
      </section>
    );
  }
  const data = settings.data;
  return (
    <>
      <Skills me={me} skills={data.skills} cacheSeconds={data.skillCacheSeconds} />
      <Payments
        me={me}
        mode={data.paymentMode}
        stripeConfigured={data.stripeConfigured}
        cacheSeconds={data.skillCacheSeconds}
      />
    </>
  );
}

type SkillRow = { id: string; name: string; createdAt: string };

function Skills({ me, skills, cacheSeconds }: { me: Me; skills: SkillRow[]; cacheSeconds: number }) {
  const queryClient = useQueryClient();
  const owner = canWrite(me);
  const ids = useId();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const problem = skillIdProblem(id);
  const add = useMutation({
    mutationFn: () => ok(api.settings.skills.$post({ json: { id: id.trim(), name: name.trim() } })),
    onSuccess: () => {
      setId('');
      setName('');
      setTouched(false);
      void queryClient.invalidateQueries({ queryKey: SETTINGS_KEY });
    },
  });
  const remove = useMutation({
    mutationFn: (skillId: string) => ok(api.settings.skills[':id'].$delete({ param: { id: skillId } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: SETTINGS_KEY }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problem || id.trim() === '' || name.trim() === '') return;
    add.mutate();
  };
  const confirmRemove = (skill: SkillRow) => {
    const last = skills.length === 1;
    const message = last
      ? `Remove “${skill.name}”? It is your only skill: once removed, Alexa requests to it are refused and the skill answers nobody until you add a skill again.`
      : `Remove “${skill.name}” (${skill.id})? Alexa requests to it will be refused.`;
    if (window.confirm(message)) remove.mutate(skill.id);
  };
  const showProblem = touched || id.length > 20 ? problem : null;
  return (
    <section className="card" aria-labelledby={`${ids}-skills`}>
      <h2 id={`${ids}-skills`}>Skills</h2>
      <p className="muted">
        The Alexa skills that sell for {me.merchant.name}: a request from any other skill id is refused.
        Changes reach the skill within {cacheSeconds} seconds.
      </p>
      {skills.length === 0 ? (
        <Empty title="No skills">
          {owner
            ? "Alexa requests are refused until you add your skill's id below."
            : "Alexa requests are refused until an owner adds the skill's id."}
        </Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Skill id</th>
                <th scope="col">Name</th>
                <th scope="col">Added</th>
                {owner ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {skills.map((s) => (
                <tr key={s.id}>
                  <td className="mono">{s.id}</td>
                  <td>{s.name}</td>
                  <td>{formatDateTime(s.createdAt, me.merchant.timezone)}</td>
                  {owner ? (
                    <td>
                      <button
                        type="button"
                        className="link-button"
                        disabled={remove.isPending}
                        aria-label={`Remove skill ${s.name}`}
                        onClick={() => confirmRemove(s)}
                      >
                        Remove
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {remove.error ? <FormError error={remove.error} /> : null}
      {owner ? (
        <form onSubmit={submit} noValidate aria-label="Add a skill">
          <label>
            Skill id
            <input
              className="mono"
              value={id}
              onChange={(e) => setId(e.target.value)}
              onBlur={() => setTouched(true)}
              placeholder="amzn1.ask.skill.xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
              maxLength={200}
              spellCheck={false}
              autoComplete="off"
              aria-invalid={showProblem ? true : undefined}
              aria-describedby={`${ids}-id-help`}
              required
            />
            <small id={`${ids}-id-help`} className={showProblem ? 'form-error' : 'muted'}>
              {showProblem ?? SKILL_ID_HINT}
            </small>
          </label>
          <label>
            Skill name
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={100}
              aria-invalid={touched && name.trim() === '' ? true : undefined}
              aria-describedby={touched && name.trim() === '' ? `${ids}-name-error` : undefined}
              required
            />
            {touched && name.trim() === '' ? (
              <small id={`${ids}-name-error`} className="form-error">
                A name is required (it is only shown here).
              </small>
            ) : null}
          </label>
          <div className="actions">
            <button type="submit" className="primary" disabled={add.isPending}>
              {add.isPending ? 'Adding…' : 'Add skill'}
            </button>
          </div>
          {add.error ? <FormError error={add.error} /> : null}
        </form>
      ) : null}
    </section>
  );
}

const MODE_LABEL = { simulated: 'Simulated', stripe: 'Stripe (real payments)' } as const;

function Payments({
  me,
  mode,
  stripeConfigured,
  cacheSeconds,
}: {
  me: Me;
  mode: 'simulated' | 'stripe';
  stripeConfigured: boolean;
  cacheSeconds: number;
}) {
  const queryClient = useQueryClient();
  const owner = canWrite(me);
  const ids = useId();
  const [choice, setChoice] = useState<'simulated' | 'stripe'>(mode);
  const save = useMutation({
    mutationFn: (next: 'simulated' | 'stripe') =>
      ok(api.settings['payment-mode'].$put({ json: { mode: next } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: SETTINGS_KEY }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(choice);
  };
  return (
    <section className="card" aria-labelledby={`${ids}-payments`}>
      <h2 id={`${ids}-payments`}>Payments</h2>
      <dl className="facts">
        <dt>Payment mode</dt>
        <dd data-testid="payment-mode">{MODE_LABEL[mode]}</dd>
        <dt>This server</dt>
        <dd>
          {stripeConfigured
            ? 'has Stripe keys: real payments possible'
            : 'has no Stripe keys: simulated only'}
        </dd>
      </dl>
      {mode === 'stripe' && !stripeConfigured ? (
        <p className="warning" role="alert">
          This merchant takes real payments, but the server now runs without Stripe keys: checkouts are
          refused (nothing is charged or faked) until the server has its keys again or you switch to
          simulated.
        </p>
      ) : null}
      <ul>
        <li>
          <strong>Simulated</strong>: behaves like Stripe's test mode on this server. Orders are placed and
          marked paid, but no money moves and Stripe is never called. For trying the skill and for demos.
        </li>
        <li>
          <strong>Stripe</strong>: shoppers' saved cards are charged for real through Stripe, and Stripe's
          webhooks confirm the money. Needs a server started with PAYMENTS=stripe and its Stripe keys.
        </li>
      </ul>
      {owner ? (
        <form className="inline" onSubmit={submit}>
          <label>
            Payment mode{' '}
            <select
              value={choice}
              onChange={(e) => {
                setChoice(e.target.value === 'stripe' ? 'stripe' : 'simulated');
                save.reset();
              }}
            >
              <option value="simulated">Simulated</option>
              <option value="stripe">Stripe (real payments)</option>
            </select>
          </label>{' '}
          <button type="submit" disabled={save.isPending || choice === mode}>
            {save.isPending ? 'Saving…' : 'Save payment mode'}
          </button>
          {save.isSuccess ? (
            <p className="ok-text" role="status">
              Saved. Checkouts use it within {cacheSeconds} seconds.
            </p>
          ) : null}
          {save.error ? <FormError error={save.error} /> : null}
        </form>
      ) : (
        <p className="muted">Only an owner can change the payment mode.</p>
      )}
    </section>
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
