import { useField } from './useField';

/** What the experiment is called and the question it asks. The key is fixed once the experiment exists. */
export function BasicsFields({ isNew, locked }: { isNew: boolean; locked: boolean }) {
  const key = useField('key', { helpId: 'key-help' });
  const name = useField('name');
  const hypothesis = useField('hypothesis');
  return (
    <>
      <div className="grid-2">
        <label>
          Key
          <input
            name="key"
            ref={key.field.ref}
            value={key.field.value}
            onChange={key.field.onChange}
            onBlur={key.field.onBlur}
            disabled={!isNew}
            required
            pattern="[a-z0-9][a-z0-9_\-]{0,62}"
            placeholder="launch-pitch-emphasis"
            {...key.aria}
          />
          <small id="key-help" className="muted">
            Lower-case letters, digits, - and _; cannot change later.
          </small>
          {key.error}
        </label>
        <label>
          Name
          <input
            name="name"
            ref={name.field.ref}
            value={name.field.value}
            onChange={name.field.onChange}
            onBlur={name.field.onBlur}
            {...name.aria}
          />
          {name.error}
        </label>
      </div>
      <label>
        Hypothesis
        <textarea
          name="hypothesis"
          rows={2}
          ref={hypothesis.field.ref}
          value={hypothesis.field.value}
          onChange={hypothesis.field.onChange}
          onBlur={hypothesis.field.onBlur}
          disabled={locked}
          placeholder="Stressing the product name will raise paid-order conversion."
          {...hypothesis.aria}
        />
        {hypothesis.error}
      </label>
    </>
  );
}
