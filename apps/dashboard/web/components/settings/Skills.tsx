import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { api, ok } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { canWrite, type Me } from '../../lib/session';
import { IdDetails } from '../IdDetails';
import { Empty, FormError } from '../states';
import { TableWrap } from '../TableWrap';
import { AmazonConnection } from './AmazonConnection';
import { SETTINGS_KEY } from './settings-query';
import { shortSkillId } from './skill-id';

type SkillRow = { id: string; name: string; createdAt: string };

/** The Alexa skill ids allowed to sell for the merchant; owners add and remove them. */
export function Skills({ me, skills, cacheSeconds }: { me: Me; skills: SkillRow[]; cacheSeconds: number }) {
  const queryClient = useQueryClient();
  const owner = canWrite(me);
  const ids = useId();
  const remove = useMutation({
    mutationFn: (skillId: string) => ok(api.settings.skills[':id'].$delete({ param: { id: skillId } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: SETTINGS_KEY }),
  });
  const confirmRemove = (skill: SkillRow) => {
    const last = skills.length === 1;
    const message = last
      ? `Remove “${skill.name}”? It is your only skill: once removed, Alexa requests to it are refused and the skill answers nobody until you add a skill again.`
      : `Remove “${skill.name}” (${skill.id})? Alexa requests to it will be refused.`;
    if (window.confirm(message)) remove.mutate(skill.id);
  };
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
            ? 'Alexa requests are refused until you add your skill from your Amazon developer account below.'
            : 'Alexa requests are refused until an owner adds the skill.'}
        </Empty>
      ) : (
        <TableWrap label="Skills">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Skill id</th>
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
                  <td>{s.name}</td>
                  <td>
                    {/* Copied into the Alexa developer console, rarely read: behind a disclosure. */}
                    <span className="mono">{shortSkillId(s.id)}</span>
                    <IdDetails what="skill id" id={s.id} />
                  </td>
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
        </TableWrap>
      )}
      {remove.error ? <FormError error={remove.error} /> : null}
      {owner ? <AmazonConnection /> : null}
    </section>
  );
}
