import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { api, ok } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import type { Me } from '../../lib/session';
import { ErrorState, Loading } from '../states';

const STEP_WORDS = {
  skill_bound: 'Your Alexa skill is added',
  first_request: 'Alexa reached your skill',
  account_linked: 'A shopper linked an account',
  order_paid: 'An order was paid',
} as const;

/**
 * From sign-up to selling: each step ticked from what the server has seen (a skill id bound, a verified
 * request answered, an account linked, an order paid), or saying what to do next.
 */
export function SetupChecklist({ me }: { me: Me }) {
  const id = useId();
  const checklist = useQuery({
    queryKey: ['setup-checklist'],
    queryFn: () => ok(api['setup-checklist'].$get()),
  });
  const done = checklist.data?.steps.filter((s) => s.done).length ?? 0;
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Selling through Alexa</h2>
      {checklist.isPending ? <Loading /> : null}
      {checklist.error ? <ErrorState error={checklist.error} /> : null}
      {checklist.data ? (
        <>
          <p className="muted">
            {checklist.data.ready
              ? 'Every step is done: shoppers can buy by voice.'
              : `${done} of ${checklist.data.steps.length} steps done.`}
          </p>
          <ol className="checklist" data-testid="setup-checklist">
            {checklist.data.steps.map((step) => (
              <li key={step.id} data-done={step.done}>
                <span aria-hidden="true">{step.done ? '✓' : '○'}</span> <strong>{STEP_WORDS[step.id]}</strong>
                <span className="visually-hidden">{step.done ? ' (done)' : ' (to do)'}</span>
                {step.at ? (
                  <span className="muted"> · {formatDateTime(step.at, me.merchant.timezone)}</span>
                ) : null}
                <br />
                <span className="muted">{step.detail}</span>
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
