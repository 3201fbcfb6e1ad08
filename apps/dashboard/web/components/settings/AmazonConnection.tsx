import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { api, ok } from '../../lib/api';
import { IdDetails } from '../IdDetails';
import { ErrorState, FormError, Loading } from '../states';
import { SETTINGS_KEY } from './settings-query';
import { shortSkillId } from './skill-id';

/*
 * How an owner adds a skill: by proving they control it. They connect their Amazon developer account
 * (Login with Amazon; the browser goes to Amazon and back to /api/amazon/callback), then pick one of
 * the skills that account lists. A skill id typed by hand is never bound.
 */

const AMAZON_KEY = ['amazon'] as const;
const AMAZON_SKILLS_KEY = ['amazon', 'skills'] as const;

/** What the callback's redirect (`/settings?amazon=…`) means, in words. */
const OUTCOMES: Record<string, { text: string; good: boolean }> = {
  connected: { text: 'Your Amazon developer account is connected.', good: true },
  state_invalid: {
    text: 'That connection attempt expired, was already used, or was started in another browser. Start it again.',
    good: false,
  },
  denied: { text: 'Amazon did not grant access, so nothing was connected.', good: false },
  token_failed: { text: 'Amazon refused to complete the connection. Try again in a moment.', good: false },
};

function Outcome() {
  const outcome = OUTCOMES[new URLSearchParams(window.location.search).get('amazon') ?? ''];
  if (!outcome) return null;
  return (
    <p role="status" className={outcome.good ? 'ok-text' : 'form-error'}>
      {outcome.text}
    </p>
  );
}

function ListedSkills() {
  const queryClient = useQueryClient();
  const listed = useQuery({ queryKey: AMAZON_SKILLS_KEY, queryFn: () => ok(api.amazon.skills.$get()) });
  const bind = useMutation({
    mutationFn: (id: string) => ok(api.settings.skills.$post({ json: { id } })),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: SETTINGS_KEY }),
        queryClient.invalidateQueries({ queryKey: AMAZON_SKILLS_KEY }),
      ]),
  });
  if (listed.isPending) return <Loading label="Asking Amazon for your skills…" />;
  if (listed.isError) return <ErrorState error={listed.error} retry={() => void listed.refetch()} />;
  const skills = listed.data.skills;
  return (
    <>
      {skills.length === 0 ? (
        <p className="muted">Your Amazon developer account lists no skills yet.</p>
      ) : (
        <ul className="amazon-skills">
          {skills.map((s) => (
            <li key={s.id}>
              <span>
                <strong>{s.name}</strong> <span className="mono muted">{shortSkillId(s.id)}</span>
                <IdDetails what="skill id" id={s.id} />
              </span>
              {s.bound ? (
                <span className="muted">In use</span>
              ) : (
                <button
                  type="button"
                  className="primary"
                  disabled={bind.isPending}
                  aria-label={`Use the skill ${s.name}`}
                  onClick={() => bind.mutate(s.id)}
                >
                  Use this skill
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {bind.error ? <FormError error={bind.error} /> : null}
    </>
  );
}

/** For owners: the Amazon connection and the skills it lists, under the merchant's skill table. */
export function AmazonConnection() {
  const ids = useId();
  const status = useQuery({ queryKey: AMAZON_KEY, queryFn: () => ok(api.amazon.$get()) });
  if (status.isPending) return <Loading />;
  if (status.isError) return <ErrorState error={status.error} retry={() => void status.refetch()} />;
  const amazon = status.data;
  return (
    <section className="amazon-connection" aria-labelledby={`${ids}-amazon`}>
      <h3 id={`${ids}-amazon`}>Add a skill from your Amazon developer account</h3>
      <Outcome />
      {!amazon.configured ? (
        <p className="muted">{amazon.howToConfigure}</p>
      ) : amazon.connected ? (
        <>
          <p className="muted">
            These are the skills your Amazon developer account lists. Only these can sell for you.{' '}
            <a href="/api/amazon/connect">Connect another account</a>
          </p>
          <ListedSkills />
        </>
      ) : (
        <>
          <p className="muted">
            To prove a skill is yours, sign in with the Amazon account that develops it. Pitchline only reads
            the list of your skills.
          </p>
          <a className="button primary" href="/api/amazon/connect">
            Connect your Amazon developer account
          </a>
        </>
      )}
    </section>
  );
}
