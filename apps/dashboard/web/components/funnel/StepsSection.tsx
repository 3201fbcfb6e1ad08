import type { RangeQuery } from '../../lib/analytics';
import { type FunnelStepState, LIMITS } from '../../lib/funnel-url';
import { StepRow } from './StepRow';

type StepsUpdate = (steps: FunnelStepState[]) => FunnelStepState[];

/** The funnel's steps, in order: add, change, remove (never below the minimum), or start over. */
export function StepsSection({
  steps,
  issueRows,
  range,
  onChange,
  onReset,
}: {
  steps: FunnelStepState[];
  /** Indexes of the steps the server's refusal points at. */
  issueRows: ReadonlySet<number>;
  range: RangeQuery;
  onChange(update: StepsUpdate): void;
  onReset(): void;
}) {
  return (
    <fieldset className="funnel-section">
      <legend>Steps</legend>
      <ol className="funnel-rows">
        {steps.map((s, i) => (
          <StepRow
            // biome-ignore lint/suspicious/noArrayIndexKey: steps are positional and may repeat a type
            key={i}
            step={s}
            name={`Step ${i + 1}`}
            testId={`step-${i + 1}`}
            selectTestId={`step-${i + 1}`}
            hasIssue={issueRows.has(i)}
            canRemove={steps.length > LIMITS.minSteps}
            range={range}
            onChange={(step) => onChange((list) => list.map((x, j) => (j === i ? step : x)))}
            onRemove={() => onChange((list) => list.filter((_, j) => j !== i))}
          />
        ))}
      </ol>
      <div className="form-row">
        <button
          type="button"
          disabled={steps.length >= LIMITS.maxSteps}
          onClick={() =>
            onChange((list) => [...list, { type: list.at(-1)?.type ?? 'session_start', filters: [] }])
          }
        >
          Add step
        </button>
        <button type="button" className="link-button" onClick={onReset}>
          Reset to the voice sales funnel
        </button>
      </div>
    </fieldset>
  );
}
