import { resultsUnavailable, useResults } from '../lib/results';

const TONE: Record<string, string> = {
  ship: 'good',
  keep_running: 'neutral',
  inconclusive: 'neutral',
  stop_guardrail: 'bad',
  stop_srm: 'bad',
};

/** The plain-words verdict of an experiment's results ("ship b", "keep running", …). */
export function Verdict({
  id,
  compact = false,
  variantNames = {},
}: {
  id: string;
  compact?: boolean;
  /** Variant names by key: "ship b" reads "ship Tasting promise". */
  variantNames?: Record<string, string>;
}) {
  const results = useResults(id);
  if (results.isPending) return <span className="muted">…</span>;
  if (results.error) {
    const why = resultsUnavailable(results.error);
    return (
      <span className="muted" title={why ?? results.error.message}>
        {compact ? 'n/a' : (why ?? results.error.message)}
      </span>
    );
  }
  const { verdict } = results.data.results;
  return (
    <span className={`verdict tone-${TONE[verdict.decision] ?? 'neutral'}`} title={verdict.reason}>
      {verdict.decision === 'ship' && verdict.variant && variantNames[verdict.variant]
        ? `ship ${variantNames[verdict.variant]}`
        : verdict.text}
      {/* The reason is a block visually; the space keeps "ship b" and the reason apart for screen readers and copy. */}
      {compact ? null : <span className="verdict-reason"> {verdict.reason}</span>}
    </span>
  );
}
