import { useTranscript } from '../../lib/analytics';
import { ApiError } from '../../lib/api';
import { formatDateTime, formatMinor } from '../../lib/format';
import { useMe } from '../../lib/session';
import { Empty, ErrorState, Loading } from '../states';

type TranscriptData = NonNullable<ReturnType<typeof useTranscript>['data']>['data'];
type TranscriptEvent = TranscriptData['afterDialog'][number];

/** SSML as a reader sees it: the words, without the markup. */
function spoken(ssml: string): string {
  return ssml
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function describeEvent(e: TranscriptEvent): string {
  const parts: string[] = [e.type];
  if (e.experimentKey) parts.push(`${e.experimentKey}:${e.variantKey ?? '?'}`);
  if (e.productId) parts.push(`${e.quantity ?? 1} × ${e.productId}`);
  if (e.orderId) parts.push(`order ${e.orderId}`);
  if (e.amount !== undefined && e.currency) parts.push(formatMinor(e.amount, e.currency));
  else if (e.unitAmount !== undefined && e.currency)
    parts.push(`at ${formatMinor(e.unitAmount, e.currency)}`);
  if (e.failureCode) parts.push(`failed: ${e.failureCode}`);
  return parts.join(' · ');
}

/** One session turn by turn: what the shopper asked, what Alexa said, and what happened after. */
export function TranscriptView({ sessionId }: { sessionId: string }) {
  const me = useMe();
  const tz = me.merchant.timezone;
  const query = useTranscript(sessionId);
  if (query.isPending) return <Loading label="Loading the transcript…" />;
  if (query.error) {
    if (query.error instanceof ApiError && query.error.status === 404)
      return <Empty title="No such session">No session of this merchant has the id {sessionId}.</Empty>;
    return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  }
  const t = query.data.data;
  return (
    <section className="card transcript" aria-label="Transcript" data-testid="transcript">
      <h2 className="mono">{t.sessionId}</h2>
      <dl className="facts">
        <dt>User</dt>
        <dd className="mono">{t.userId}</dd>
        <dt>Locale</dt>
        <dd>
          {t.locale}
          {t.hasScreen ? ' · screen' : ''}
        </dd>
        <dt>Started</dt>
        <dd>{formatDateTime(t.startedAt, tz)}</dd>
        <dt>Ended</dt>
        <dd>
          {formatDateTime(t.endedAt, tz)}
          {t.endReason ? ` (${t.endReason})` : ''}
        </dd>
        <dt>Pitch variants heard</dt>
        <dd>{t.variantsHeard.length ? t.variantsHeard.join(', ') : 'none'}</dd>
      </dl>
      {t.turns.length === 0 ? (
        <Empty title="No turns recorded for this session" />
      ) : (
        <ol className="turns">
          {t.turns.map((turn, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: turns are in order and may share a timestamp
            <li key={i} className="turn" data-testid="turn">
              <div className="muted">
                {formatDateTime(turn.ts, tz)} · {turn.requestType} · {turn.latencyMs} ms
              </div>
              <div className="shopper">
                <strong>Shopper:</strong> {turn.intent || turn.requestType}
                {turn.slots.length ? (
                  <span className="muted">
                    {' '}
                    (
                    {turn.slots
                      .map(
                        (s) =>
                          `${s.name}="${s.value}"${s.resolvedValue && s.resolvedValue !== s.value ? ` → ${s.resolvedValue}` : ''}${s.resolution && s.resolution !== 'ER_SUCCESS_MATCH' ? ` [${s.resolution}]` : ''}`,
                      )
                      .join(', ')}
                    )
                  </span>
                ) : null}
              </div>
              {turn.speech ? (
                <div className="alexa">
                  <strong>Alexa:</strong> {spoken(turn.speech)}
                  {turn.reprompt ? <span className="muted"> (reprompt: {spoken(turn.reprompt)})</span> : null}
                </div>
              ) : null}
              {turn.error ? <div className="error-text">Error: {turn.error}</div> : null}
              {turn.events.length ? (
                <ul className="turn-events">
                  {turn.events.map((e, j) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: events are in order
                    <li key={j}>{describeEvent(e)}</li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {t.afterDialog.length ? (
        <>
          <h3>After the dialog</h3>
          <ul className="turn-events">
            {t.afterDialog.map((e, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: events are in order
              <li key={j}>
                {formatDateTime(e.ts, tz)} · {describeEvent(e)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
