import type { validatePitchTemplate } from '@pitchline/core/pitch-template';
import { useId } from 'react';
import { useWatch } from 'react-hook-form';
import type { Me } from '../../lib/session';
import type { ExperimentFormValues } from './experiment-form';
import { NumberInput } from './NumberInput';
import { PitchTemplateField } from './PitchTemplateField';
import { SpokenPreview } from './SpokenPreview';
import { useField } from './useField';

/** One variant: its key, name and weight, whether it is the control, and its pitch. */
export function VariantFieldset({
  index,
  check,
  locked,
  me,
  onMakeControl,
  onRemove,
}: {
  index: number;
  check: ReturnType<typeof validatePitchTemplate> | undefined;
  locked: boolean;
  me: Me;
  onMakeControl(): void;
  /** Absent while the variant cannot be removed. */
  onRemove?: () => void;
}) {
  const key = useField(`variants.${index}.key`);
  const name = useField(`variants.${index}.name`);
  const weight = useField(`variants.${index}.weight`);
  const weightId = useId();
  const isControl = useField(`variants.${index}.isControl`);
  const template = useWatch<ExperimentFormValues, `variants.${number}.template`>({
    name: `variants.${index}.template`,
  });
  return (
    <fieldset className="card variant-editor">
      <legend>Variant {index + 1}</legend>
      <div className="grid-3">
        <label>
          Key
          <input
            name={`variant-${index}-key`}
            ref={key.field.ref}
            value={key.field.value}
            onChange={key.field.onChange}
            onBlur={key.field.onBlur}
            disabled={locked}
            required
            {...key.aria}
          />
          {key.error}
        </label>
        <label>
          Name
          <input
            ref={name.field.ref}
            value={name.field.value}
            onChange={name.field.onChange}
            onBlur={name.field.onBlur}
            required
            {...name.aria}
          />
          {name.error}
        </label>
        <label htmlFor={weightId}>
          Weight
          <NumberInput
            id={weightId}
            min={1}
            max={10000}
            ref={weight.field.ref}
            value={weight.field.value}
            onChange={weight.field.onChange}
            onBlur={weight.field.onBlur}
            {...weight.aria}
          />
          {weight.error}
        </label>
      </div>
      <label className="inline">
        <input
          type="radio"
          name="control"
          ref={isControl.field.ref}
          checked={isControl.field.value}
          onChange={onMakeControl}
          onBlur={isControl.field.onBlur}
          disabled={locked}
        />{' '}
        Control (the pitch heard today)
      </label>
      <PitchTemplateField index={index} check={check} />
      <SpokenPreview template={template} valid={Boolean(check?.ok)} me={me} />
      {onRemove ? (
        <button type="button" className="link-button" onClick={onRemove}>
          Remove variant
        </button>
      ) : null}
    </fieldset>
  );
}
