import { useId } from 'react';
import type { RangeQuery } from '../../lib/analytics';
import type { FunnelStepState } from '../../lib/funnel-url';
import { EventSelect } from './EventSelect';
import { StepFilters } from './StepFilters';

/** One step or exclusion of the funnel: its event type, its filters, and the button that removes it. */
export function StepRow({
  step,
  name,
  testId,
  selectTestId,
  rowTestId,
  hasIssue,
  canRemove,
  range,
  onChange,
  onRemove,
}: {
  step: FunnelStepState;
  /** "Step 2", "Exclusion 1": the row's label, and the name its controls are announced by. */
  name: string;
  testId: string;
  selectTestId: string;
  rowTestId?: string;
  /** The server's refusal points at this row. */
  hasIssue: boolean;
  canRemove: boolean;
  range: RangeQuery;
  onChange(step: FunnelStepState): void;
  onRemove(): void;
}) {
  const id = useId();
  return (
    <li className={hasIssue ? 'funnel-row has-issue' : 'funnel-row'} data-testid={rowTestId}>
      <div className="funnel-row-head">
        <label htmlFor={id}>
          {name}
          <span className="visually-hidden"> event</span>
        </label>
        <EventSelect
          id={id}
          value={step.type}
          testId={selectTestId}
          onChange={(type) => onChange({ ...step, type })}
        />
        <button
          type="button"
          className="link-button"
          disabled={!canRemove}
          onClick={onRemove}
          aria-label={`Remove ${name.toLowerCase()}`}
        >
          Remove
        </button>
      </div>
      <StepFilters
        step={step}
        name={name}
        testId={testId}
        range={range}
        onChange={(filters) => onChange({ ...step, filters })}
      />
    </li>
  );
}
