import { type FormEvent, useState } from 'react';
import type { RangeQuery } from '../../lib/analytics';
import {
  defaultFunnel,
  type FunnelState,
  type FunnelStepState,
  fitsInUrl,
  LIMITS,
  type ParsedFunnel,
  serializeFunnel,
} from '../../lib/funnel-url';
import { ExclusionsSection } from './ExclusionsSection';
import { FunnelOptions } from './FunnelOptions';
import { describeIssuePath, UNIT_LABELS } from './fields';
import { StepsSection } from './StepsSection';
import './funnel.css';

export type ApiIssue = { path: (string | number)[]; message: string };

/** Indexes of the rows of `list` ('steps' or 'exclusions') that the server's issues point at. */
function rowsWithIssues(issues: ApiIssue[] | null, list: 'steps' | 'exclusions'): Set<number> {
  return new Set(
    (issues ?? []).flatMap((i) => (i.path[0] === list && typeof i.path[1] === 'number' ? [i.path[1]] : [])),
  );
}

/**
 * The funnel definition being edited. It starts from the funnel in the address (the one the results
 * show) and changes nothing there until "Run funnel": then the page pushes the new address, so every
 * run is a history entry the back button returns to, and editing alone queries nothing.
 */
export function FunnelBuilder({
  applied,
  range,
  issues,
  onRun,
}: {
  applied: ParsedFunnel;
  range: RangeQuery;
  /** The API's 400 issues for the funnel the results are asked for. */
  issues: ApiIssue[] | null;
  onRun(state: FunnelState): void;
}) {
  const [draft, setDraft] = useState<FunnelState>(applied.state);
  const [windowValid, setWindowValid] = useState(true);
  // Bumped by a reset, so the window input re-reads its value instead of keeping what was typed.
  const [generation, setGeneration] = useState(0);
  const unitWord = UNIT_LABELS[draft.unit].plural;
  const dirty = serializeFunnel(draft) !== serializeFunnel(applied.state);
  const fits = fitsInUrl(draft);
  const canRun = fits && windowValid;

  const updateList =
    (list: 'steps' | 'exclusions') => (update: (rows: FunnelStepState[]) => FunnelStepState[]) =>
      setDraft((d) => ({ ...d, [list]: update(d[list]) }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (canRun) onRun(draft);
  };

  return (
    <form className="card funnel-builder" aria-label="Funnel definition" onSubmit={submit} noValidate>
      {applied.problems.length > 0 ? (
        <div className="warning" role="status" data-testid="funnel-link-problems">
          <strong>This link's funnel could not be read, so the voice sales funnel is shown instead.</strong>
          <ul>
            {applied.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <StepsSection
        steps={draft.steps}
        issueRows={rowsWithIssues(issues, 'steps')}
        range={range}
        onChange={updateList('steps')}
        onReset={() => {
          setDraft(defaultFunnel());
          setWindowValid(true);
          setGeneration((g) => g + 1);
        }}
      />
      <ExclusionsSection
        exclusions={draft.exclusions}
        unitWord={unitWord}
        issueRows={rowsWithIssues(issues, 'exclusions')}
        range={range}
        onChange={updateList('exclusions')}
      />
      <FunnelOptions
        draft={draft}
        windowGeneration={generation}
        onChange={setDraft}
        onWindowValidity={setWindowValid}
      />

      {issues && issues.length > 0 ? (
        <div className="funnel-issues" role="alert" data-testid="funnel-issues">
          <strong>The funnel was not run: the server refused this definition.</strong>
          <ul>
            {issues.map((i, n) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: issues have no identity; order is the server's
              <li key={n}>
                {describeIssuePath(i.path)}: {i.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {!fits ? (
        <p className="form-error" role="alert">
          This funnel is too large to keep in a link ({LIMITS.maxSearchLength} characters at most): remove
          some filter values.
        </p>
      ) : null}

      <div className="form-row">
        <button type="submit" className="primary" disabled={!canRun} data-testid="run-funnel">
          Run funnel
        </button>
        <span className="muted" aria-live="polite">
          {dirty ? 'Changed: run to see the new funnel.' : ''}
        </span>
      </div>
    </form>
  );
}
