import type { validatePitchTemplate } from '@pitchline/core/pitch-template';
import { EMPTY_PITCH, isBlankPitch } from './experiment-form';
import { useField } from './useField';

type PitchCheck = ReturnType<typeof validatePitchTemplate>;

/**
 * A variant's pitch, checked while it is typed with core's SSML validator; each problem is located
 * (line, column). The form's own problem (an empty or overlong pitch) shows once the SSML is valid, as
 * the form reports invalid SSML with the same words.
 */
export function PitchTemplateField({ index, check }: { index: number; check: PitchCheck | undefined }) {
  const template = useField(`variants.${index}.template`);
  const checkId = `variant-${index}-check`;
  // An empty pitch is valid SSML but says nothing: refused at once, before any save.
  const empty = isBlankPitch(template.field.value);
  const problem = empty ? EMPTY_PITCH : check?.ok ? template.message : undefined;
  return (
    <>
      <label>
        Pitch (SSML with {'{{product}}'}, {'{{price}}'}, {'{{discount}}'}, {'{{category}}'}, {'{{merchant}}'})
        <textarea
          name={`variant-${index}-template`}
          className="mono"
          rows={3}
          ref={template.field.ref}
          value={template.field.value}
          onChange={template.field.onChange}
          onBlur={template.field.onBlur}
          aria-invalid={(check !== undefined && !check.ok) || problem !== undefined}
          aria-describedby={checkId}
        />
      </label>
      <div id={checkId} aria-live="polite" data-testid={checkId}>
        {problem ? (
          <p className="form-error">{problem}</p>
        ) : check?.ok ? (
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
    </>
  );
}
