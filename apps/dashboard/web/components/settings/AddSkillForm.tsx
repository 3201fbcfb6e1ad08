import { skillIdProblem } from '@pitchline/core/skill-id';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api, ok } from '../../lib/api';
import { FormError } from '../states';
import { SETTINGS_KEY } from './settings-query';
import { SKILL_ID_HINT } from './skill-id';

/** An owner adds a skill by its id; a malformed id is flagged once the field is left (or is long enough). */
export function AddSkillForm() {
  const queryClient = useQueryClient();
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
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problem || id.trim() === '' || name.trim() === '') return;
    add.mutate();
  };
  const showProblem = touched || id.length > 20 ? problem : null;
  return (
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
  );
}
