import { type FormEvent, useId, useState } from 'react';
import {
  EMPTY_CRITERIA,
  SESSION_OUTCOMES,
  type SessionCriteria,
  useSessionSearch,
} from '../../lib/analytics';
import { formatLocalDate } from '../../lib/format';
import { useRange } from '../../lib/range-context';
import { SessionResults } from './SessionResults';
import { OUTCOME_LABELS } from './session-labels';

/**
 * The range's sessions, filtered. The filters typed here are a draft: the results and the address follow
 * `applied` only when the search is submitted, and a new `applied` (back/forward) replaces the draft.
 */
export function SessionSearch({
  applied,
  onApply,
  transcriptPath,
}: {
  applied: SessionCriteria;
  onApply(criteria: SessionCriteria): void;
  transcriptPath(sessionId: string): string;
}) {
  const { range, timeZone } = useRange();
  const [draft, setDraft] = useState<SessionCriteria>(applied);
  const [draftOf, setDraftOf] = useState(applied);
  if (draftOf !== applied) {
    setDraftOf(applied);
    setDraft(applied);
  }
  const query = useSessionSearch({ ...range, tz: timeZone }, applied);
  const filtersId = useId();
  const set = <K extends keyof SessionCriteria>(key: K, value: SessionCriteria[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(draft);
  };
  const reset = () => {
    setDraft(EMPTY_CRITERIA);
    onApply(EMPTY_CRITERIA);
  };
  const moreOpen = Boolean(draft.variant || draft.productId || draft.locale);

  return (
    <section className="card" aria-labelledby={`${filtersId}-title`}>
      <header className="card-header">
        <h2 id={`${filtersId}-title`}>Find sessions</h2>
      </header>
      <p className="muted">
        Sessions that started from {formatLocalDate(range.from)} to {formatLocalDate(range.to)} ({timeZone}),
        newest first. The text matches what the shopper said (intents and slot values), what Alexa said, or an
        exact session id.
      </p>
      <form className="form-row" onSubmit={submit} aria-label="Session search filters">
        <span>
          <label htmlFor={`${filtersId}-q`}>Search sessions</label>{' '}
          <input
            id={`${filtersId}-q`}
            type="search"
            value={draft.q}
            maxLength={200}
            onChange={(e) => set('q', e.target.value)}
            placeholder="oat milk, AddToCartIntent, …"
            size={28}
            data-testid="session-search"
          />
        </span>
        <span>
          <label htmlFor={`${filtersId}-outcome`}>Outcome</label>{' '}
          <select
            id={`${filtersId}-outcome`}
            value={draft.outcome}
            onChange={(e) => set('outcome', e.target.value as SessionCriteria['outcome'])}
          >
            <option value="">Any outcome</option>
            {SESSION_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {OUTCOME_LABELS[o]}
              </option>
            ))}
          </select>
        </span>
        <span>
          <label htmlFor={`${filtersId}-device`}>Device</label>{' '}
          <select
            id={`${filtersId}-device`}
            value={draft.device}
            onChange={(e) => set('device', e.target.value as SessionCriteria['device'])}
          >
            <option value="">Any device</option>
            <option value="screen">With a screen</option>
            <option value="voice">Voice only</option>
          </select>
        </span>
        <span>
          <label htmlFor={`${filtersId}-minTurns`}>Min turns</label>{' '}
          <input
            id={`${filtersId}-minTurns`}
            type="number"
            min={0}
            max={100000}
            step={1}
            value={draft.minTurns}
            onChange={(e) => set('minTurns', e.target.value)}
            style={{ width: '5em' }}
          />
        </span>
        <details open={moreOpen}>
          <summary>More filters</summary>
          <div className="form-row">
            <span>
              <label htmlFor={`${filtersId}-variant`}>Variant heard</label>{' '}
              <input
                id={`${filtersId}-variant`}
                value={draft.variant}
                maxLength={201}
                onChange={(e) => set('variant', e.target.value)}
                placeholder="experiment:variant"
                size={20}
              />
            </span>
            <span>
              <label htmlFor={`${filtersId}-productId`}>Product id</label>{' '}
              <input
                id={`${filtersId}-productId`}
                className="mono"
                value={draft.productId}
                maxLength={36}
                onChange={(e) => set('productId', e.target.value)}
                size={36}
              />
            </span>
            <span>
              <label htmlFor={`${filtersId}-locale`}>Locale</label>{' '}
              <input
                id={`${filtersId}-locale`}
                value={draft.locale}
                maxLength={35}
                onChange={(e) => set('locale', e.target.value)}
                placeholder="en-US"
                size={6}
              />
            </span>
          </div>
        </details>
        <button type="submit">Search</button>
        <button type="button" className="link-button" onClick={reset}>
          Clear filters
        </button>
      </form>
      <SessionResults query={query} timeZone={timeZone} transcriptPath={transcriptPath} />
    </section>
  );
}
