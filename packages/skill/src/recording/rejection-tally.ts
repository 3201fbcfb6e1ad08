import { newEventId, type PitchlineEvent, UNKNOWN_MERCHANT_ID } from '@pitchline/core';
import type { RejectionReason } from '../verification/reasons';

/*
 * Requests refused before any dialog (unsigned, forged, stale) are counted, not recorded one by one:
 * one `request_rejected` row per merchant, reason and minute carries how many there were, so a flood
 * of junk costs a few rows a minute instead of a row per request. Keys are bounded: an unknown merchant
 * is one key whatever skill id the sender made up, and reasons are a closed set.
 */

export interface CountedRejection {
  /** Absent when the request named no skill we know. */
  merchantId?: string | undefined;
  skillId?: string | undefined;
  reason: RejectionReason;
  detail: string;
}

export interface RejectionTallyOptions {
  record: (event: PitchlineEvent) => void | Promise<void>;
  clock: () => number;
  /** Called for every rejection as it is counted (the Prometheus counter). */
  onCount?: (merchantId: string, reason: RejectionReason) => void;
  /** How often finished minutes are written (default 15 s; 0: only by flushCompleted/flush). */
  flushEveryMs?: number;
}

type Bucket = {
  merchantId: string;
  skillId: string;
  reason: RejectionReason;
  minuteStart: number;
  detail: string;
  count: number;
};

const MINUTE_MS = 60_000;

export class RejectionTally {
  private readonly buckets = new Map<string, Bucket>();
  private readonly record: RejectionTallyOptions['record'];
  private readonly clock: () => number;
  private readonly onCount: RejectionTallyOptions['onCount'];
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  private latestMinute = Number.NEGATIVE_INFINITY;

  constructor(options: RejectionTallyOptions) {
    this.record = options.record;
    this.clock = options.clock;
    this.onCount = options.onCount;
    const every = options.flushEveryMs ?? 15_000;
    if (every > 0) {
      this.timer = setInterval(() => void this.flushCompleted(), every);
      // A tally never keeps the process alive on its own.
      this.timer.unref();
    }
  }

  count(rejection: CountedRejection): void {
    const now = this.clock();
    const minuteStart = now - (((now % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
    const merchantId = rejection.merchantId ?? UNKNOWN_MERCHANT_ID;
    // A known merchant's skill id is one of theirs; an unknown one is whatever the sender wrote.
    const skillId = rejection.merchantId
      ? (rejection.skillId ?? 'unknown').slice(0, 200) || 'unknown'
      : 'unknown';
    const key = `${merchantId}\n${rejection.reason}\n${minuteStart}`;
    const bucket = this.buckets.get(key);
    if (bucket) bucket.count += 1;
    else
      this.buckets.set(key, {
        merchantId,
        skillId,
        reason: rejection.reason,
        minuteStart,
        detail: rejection.detail,
        count: 1,
      });

    this.onCount?.(merchantId, rejection.reason);

    // A new minute began: the previous ones are complete.
    if (minuteStart > this.latestMinute) {
      const hadEarlier = Number.isFinite(this.latestMinute);
      this.latestMinute = minuteStart;
      if (hadEarlier) void this.flushCompleted();
    }
  }

  /** Writes the minutes that are over. */
  flushCompleted(): Promise<void> {
    const now = this.clock();
    return this.write((bucket) => bucket.minuteStart + MINUTE_MS <= now);
  }

  /** Writes everything counted so far, the current minute included (at shutdown, and in tests). */
  flush(): Promise<void> {
    return this.write(() => true);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async write(due: (bucket: Bucket) => boolean): Promise<void> {
    const rows: PitchlineEvent[] = [];
    for (const [key, bucket] of this.buckets) {
      if (!due(bucket)) continue;
      this.buckets.delete(key);
      rows.push({
        type: 'request_rejected',
        event_id: newEventId(),
        ts: bucket.minuteStart,
        merchant_id: bucket.merchantId,
        skill_id: bucket.skillId,
        user_id: 'unknown',
        session_id: 'unknown',
        reason: bucket.reason,
        detail: bucket.detail,
        count: bucket.count,
      });
    }
    for (const row of rows) await this.record(row);
  }
}
