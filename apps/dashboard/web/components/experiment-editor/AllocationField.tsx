import type { ExperimentMode } from '@pitchline/core/experiments/definition';
import { useField } from './useField';

/** How traffic is split between the variants: as weighted, or shifted by a bandit toward the better one. */
export function AllocationField({ locked }: { locked: boolean }) {
  const mode = useField('mode');
  return (
    <label>
      Allocation
      <select
        ref={mode.field.ref}
        value={mode.field.value}
        onChange={(e) => mode.field.onChange(e.target.value as ExperimentMode)}
        onBlur={mode.field.onBlur}
        disabled={locked}
        {...mode.aria}
      >
        <option value="fixed">Fixed split</option>
        <option value="bandit">Bandit (shifts traffic to the better pitch)</option>
      </select>
      {mode.error}
    </label>
  );
}
