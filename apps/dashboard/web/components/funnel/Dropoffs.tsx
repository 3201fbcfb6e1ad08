import { useEffect, useRef } from 'react';
import { DROPOFF_PAGE, useDropoffs } from '../../lib/analytics';
import { formatCount, formatCountOf, formatDateTime } from '../../lib/format';
import type { FunnelApiRequest } from '../../lib/funnel-url';
import { useRange } from '../../lib/range-context';
import { useDisplay } from '../../lib/use-display';
import { shortId } from '../conversations/session-labels';
import { Link } from '../Link';
import { Empty, ErrorState, Loading } from '../states';
import { UNIT_LABELS } from './fields';

/**
 * The units that reached a step and went no further. Opened from a button far up the page, it scrolls
 * itself into view and takes focus (a screen reader hears its heading), says how many there are, and
 * pages through all of them: the count comes from the funnel, the list a page at a time.
 */
export function Dropoffs({
  spec,
  step,
  group,
  title,
  total,
}: {
  spec: FunnelApiRequest;
  step: number;
  group: string;
  /** "Reached 2. Heard a pitch but not 3. Added to cart · Variant b". */
  title: string;
  /** How many units dropped here, as the funnel counted them. */
  total: number;
}) {
  const { timeZone } = useRange();
  const display = useDisplay();
  const drop = useDropoffs(spec, step, group);
  const heading = useRef<HTMLHeadingElement>(null);
  // A user funnel lists user ids; transcripts are per session, so those are not links.
  const bySession = spec.unit === 'session';
  const noun = UNIT_LABELS[spec.unit];
  useEffect(() => {
    // Another step opened: bring the panel to the reader again.
    if (!title) return;
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus({ preventScroll: true });
  }, [title]);
  const firstPageIn = !drop.isPending;
  useEffect(() => {
    // Opened while its list was loading, the page may have been too short to bring the heading to
    // the top: once the list is in, try again, unless the reader has moved on.
    if (firstPageIn && document.activeElement === heading.current)
      heading.current?.scrollIntoView({ block: 'start' });
  }, [firstPageIn]);
  const units = drop.data?.pages.flatMap((p) => p.data) ?? [];
  const more = Math.min(DROPOFF_PAGE, Math.max(0, total - units.length));
  return (
    <section className="card dropoffs" aria-labelledby="dropoffs-title" data-testid="dropoffs">
      <h2 id="dropoffs-title" className="card-title" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      <p className="muted" aria-live="polite">
        {formatCountOf(total, noun, display.locale)}
        {units.length > 0 && units.length < total
          ? ` · showing ${formatCount(units.length, display.locale)}`
          : units.length > 0 && total > 1
            ? ` · showing all ${formatCountOf(total, noun, display.locale)}`
            : ''}
      </p>
      {drop.isPending ? (
        <Loading />
      ) : drop.error && units.length === 0 ? (
        <ErrorState error={drop.error} retry={() => void drop.refetch()} />
      ) : units.length === 0 ? (
        <Empty title={`No ${noun.plural} dropped here`} />
      ) : (
        <>
          <ul className="dropoff-list">
            {units.map((u) => (
              <li key={u.unit}>
                {bySession ? (
                  <Link
                    to={`/conversations/${encodeURIComponent(u.unit)}`}
                    className="mono"
                    title={u.unit}
                    data-session-id={u.unit}
                  >
                    Session {shortId(u.unit)}
                  </Link>
                ) : (
                  <span className="mono" title={u.unit}>
                    Shopper {shortId(u.unit)}
                  </span>
                )}{' '}
                <span className="muted">entered {formatDateTime(u.enteredAt, timeZone)}</span>
              </li>
            ))}
          </ul>
          {drop.error ? <ErrorState error={drop.error} retry={() => void drop.fetchNextPage()} /> : null}
          {drop.hasNextPage && more > 0 ? (
            <button
              type="button"
              onClick={() => void drop.fetchNextPage()}
              disabled={drop.isFetchingNextPage}
            >
              {drop.isFetchingNextPage ? 'Loading…' : `Show ${formatCount(more, display.locale)} more`}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
