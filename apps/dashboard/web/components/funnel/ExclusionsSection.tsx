import type { RangeQuery } from '../../lib/analytics';
import { type FunnelStepState, LIMITS } from '../../lib/funnel-url';
import { StepRow } from './StepRow';

type ExclusionsUpdate = (exclusions: FunnelStepState[]) => FunnelStepState[];

/** Events that take a session or user out of the whole funnel. */
export function ExclusionsSection({
  exclusions,
  unitWord,
  issueRows,
  range,
  onChange,
}: {
  exclusions: FunnelStepState[];
  /** "sessions" or "users": what the funnel counts. */
  unitWord: string;
  /** Indexes of the exclusions the server's refusal points at. */
  issueRows: ReadonlySet<number>;
  range: RangeQuery;
  onChange(update: ExclusionsUpdate): void;
}) {
  const full = exclusions.length >= LIMITS.maxExclusions;
  return (
    <fieldset className="funnel-section">
      <legend>Exclude {unitWord} that…</legend>
      <p className="muted funnel-help">
        …have any matching event, from a day before the range to its end plus the window: they leave the whole
        funnel.
      </p>
      {exclusions.length > 0 ? (
        <ol className="funnel-rows">
          {exclusions.map((s, i) => (
            <StepRow
              // biome-ignore lint/suspicious/noArrayIndexKey: exclusions are positional and may repeat a type
              key={i}
              step={s}
              name={`Exclusion ${i + 1}`}
              testId={`exclusion-${i + 1}`}
              selectTestId={`exclusion-${i + 1}-event`}
              rowTestId={`exclusion-${i + 1}`}
              hasIssue={issueRows.has(i)}
              canRemove
              range={range}
              onChange={(step) => onChange((list) => list.map((x, j) => (j === i ? step : x)))}
              onRemove={() => onChange((list) => list.filter((_, j) => j !== i))}
            />
          ))}
        </ol>
      ) : null}
      <button
        type="button"
        disabled={full}
        title={full ? `At most ${LIMITS.maxExclusions} exclusions` : undefined}
        onClick={() => onChange((list) => [...list, { type: 'session_end', filters: [] }])}
      >
        Add exclusion
      </button>
    </fieldset>
  );
}
