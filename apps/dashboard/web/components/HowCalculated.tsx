import { useEffect, useId, useRef, useState } from 'react';
import { METRICS, type MetricId } from '../lib/metrics';

/**
 * "How is this calculated": a small button beside a figure that opens the metric's name and definition
 * from the catalogue (@pitchline/analytics/metrics), the same text the API's metric id points at.
 * A disclosure (button + aria-expanded + aria-controls), closed by Escape or a click elsewhere.
 */
export function HowCalculated({ metric, label }: { metric: MetricId; label?: string }) {
  const def = METRICS[metric];
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    const onClick = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);
  return (
    <span className="how" ref={root}>
      <button
        type="button"
        className="how-button"
        aria-expanded={open}
        aria-controls={id}
        aria-label={`How is ${label ?? def.name} calculated?`}
        title="How is this calculated?"
        data-testid={`how-${metric}`}
        onClick={() => setOpen(!open)}
      >
        ?
      </button>
      {open ? (
        <span className="how-panel" id={id} role="note">
          <strong>{def.name}</strong> {def.definition}
          <span className="how-source">From: {def.source}</span>
        </span>
      ) : null}
    </span>
  );
}

/** The catalogue's sentence for two figures on one page that differ by design. */
export function Differences({ sentences }: { sentences: string[] }) {
  if (sentences.length === 0) return null;
  return (
    <ul className="differences muted" data-testid="metric-differences">
      {sentences.map((s) => (
        <li key={s}>{s}</li>
      ))}
    </ul>
  );
}
