import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api, ok } from '../../lib/api';
import { canWrite, type Me } from '../../lib/session';
import { FormError } from '../states';
import { SETTINGS_KEY } from './settings-query';

type PaymentMode = 'simulated' | 'stripe';

const MODE_LABEL = { simulated: 'Simulated', stripe: 'Stripe (real payments)' } as const;

/** The merchant's payment mode, what each one does, and (for owners) the switch between them. */
export function Payments({
  me,
  mode,
  stripeConfigured,
  cacheSeconds,
}: {
  me: Me;
  mode: PaymentMode;
  stripeConfigured: boolean;
  cacheSeconds: number;
}) {
  const queryClient = useQueryClient();
  const owner = canWrite(me);
  const ids = useId();
  const [choice, setChoice] = useState<PaymentMode>(mode);
  const save = useMutation({
    mutationFn: (next: PaymentMode) => ok(api.settings['payment-mode'].$put({ json: { mode: next } })),
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
