import { useTranscript } from '../../lib/analytics';
import { ApiError } from '../../lib/api';
import { formatCount, formatDateTime, formatDuration, formatMoney, localeFor } from '../../lib/format';
import {
  eventLabel,
  exitReasonLabel,
  intentLabel,
  namedList,
  productLabel,
  requestTypeLabel,
  variantKeyLabel,
} from '../../lib/labels';
import { useMe } from '../../lib/session';
import { IdDetails } from '../IdDetails';
import { Speech } from '../Speech';
import { Empty, ErrorState, Loading } from '../states';
import { shortId } from './session-labels';

type TranscriptData = NonNullable<ReturnType<typeof useTranscript>['data']>['data'];
type TranscriptEvent = TranscriptData['afterDialog'][number];

/** A field the API may add beside an id (issue 12): a product's or a variant's name. */
const named = (e: object, key: string): string | undefined => {
  const v = (e as Record<string, unknown>)[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/** An event in words: "Heard a pitch · Yirgacheffe pitch: variant b", "Added to cart · 2 × Ethiopia …". */
function describeEvent(e: TranscriptEvent, locale: string): string {
  const parts: string[] = [eventLabel(e.type, named(e, 'label'))];
  if (e.experimentKey) {
    const experiment = named(e, 'experimentName');
    const variant = named(e, 'variantName');
    parts.push(
      experiment && variant
        ? `${experiment}: ${variant}`
        : variantKeyLabel(`${e.experimentKey}:${e.variantKey ?? '?'}`),
    );
  }
  if (e.productId)
    parts.push(`${formatCount(e.quantity ?? 1, locale)} × ${named(e, 'productName') ?? productLabel(e)}`);
  if (e.amount !== undefined && e.currency) parts.push(formatMoney(e.amount, e.currency, locale));
  else if (e.unitAmount !== undefined && e.currency)
    parts.push(`at ${formatMoney(e.unitAmount, e.currency, locale)}`);
  if (e.failureCode) parts.push(`failed: ${e.failureCode.replaceAll('_', ' ')}`);
  return parts.join(' · ');
}

/** One session turn by turn: what the shopper asked, what Alexa said, and what happened after. */
export function TranscriptView({ sessionId }: { sessionId: string }) {
  const me = useMe();
  const tz = me.merchant.timezone;
  const locale = localeFor(me.merchant);
  const query = useTranscript(sessionId);
  if (query.isPending) return <Loading label="Loading the transcript…" />;
  if (query.error) {
    if (query.error instanceof ApiError && query.error.status === 404)
      return (
        <Empty title="No such session">
          No session of this merchant has this id. <IdDetails what="session id" id={sessionId} />
        </Empty>
      );
    return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  }
  const t = query.data.data;
  return (
    <section className="card transcript" aria-label="Transcript" data-testid="transcript">
      <h2 data-session-id={t.sessionId}>
        Session {shortId(t.sessionId)}
        <IdDetails what="session id" id={t.sessionId} />
      </h2>
      <dl className="facts">
        <dt>Shopper</dt>
        <dd>
          Shopper {shortId(t.userId)}
          <IdDetails what="user id" id={t.userId} />
        </dd>
        <dt>Locale</dt>
        <dd>
          {t.locale || 'unknown'}
          {t.hasScreen ? ' · screen' : ' · voice only'}
        </dd>
        <dt>Started</dt>
        <dd>{formatDateTime(t.startedAt, tz, locale, 'not recorded')}</dd>
        <dt>Ended</dt>
        <dd>
          {formatDateTime(t.endedAt, tz, locale, 'no end recorded')}
          {t.endReason ? ` (${exitReasonLabel(t.endReason).toLowerCase()})` : ''}
        </dd>
        <dt>Pitch variants heard</dt>
        <dd>
          {t.variantsHeard.length
            ? (namedList(t, 'variantsHeardNamed') ?? t.variantsHeard.map(variantKeyLabel)).join(', ')
            : 'none'}
        </dd>
      </dl>
      {t.turns.length === 0 ? (
        <Empty title="No turns recorded for this session" />
      ) : (
        <ol className="turns">
          {t.turns.map((turn, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: turns are in order and may share a timestamp
            <li key={i} className="turn" data-testid="turn">
              <div className="muted">
                {formatDateTime(turn.ts, tz, locale)} · {requestTypeLabel(turn.requestType)} · answered in{' '}
                {formatDuration(turn.latencyMs)}
              </div>
              <div className="shopper">
                <strong>Shopper:</strong>{' '}
                {turn.intent
                  ? intentLabel(turn.intent, named(turn, 'intentLabel'))
                  : requestTypeLabel(turn.requestType)}
                {turn.slots.length ? (
                  <span className="muted">
                    {' '}
                    (
                    {turn.slots
                      .map(
                        (s) =>
                          `${s.name}: “${s.value}”${s.resolvedValue && s.resolvedValue !== s.value ? ` → ${s.resolvedValue}` : ''}${s.resolution && s.resolution !== 'ER_SUCCESS_MATCH' && s.resolution !== 'match' ? ` (${s.resolution.replaceAll('_', ' ').toLowerCase()})` : ''}`,
                      )
                      .join(', ')}
                    )
                  </span>
                ) : null}
              </div>
              {turn.speech ? (
                <div className="alexa">
                  <strong>Alexa:</strong> <Speech ssml={turn.speech} />
                  {turn.reprompt ? (
                    <div className="muted">
                      If no answer: <Speech ssml={turn.reprompt} />
                    </div>
                  ) : null}
                </div>
              ) : null}
              {turn.error ? <div className="error-text">Error: {turn.error}</div> : null}
              {turn.events.length ? (
                <ul className="turn-events">
                  {turn.events.map((e, j) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: events are in order
                    <li key={j}>{describeEvent(e, locale)}</li>
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
                {formatDateTime(e.ts, tz, locale)} · {describeEvent(e, locale)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
