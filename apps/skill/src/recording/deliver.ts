import { type PitchlineEvent, parseEvent } from '@pitchline/core';
import type { SkillLogger } from './logger';
import type { SkillMetrics } from './metrics';

export type RecordEvent = (event: PitchlineEvent) => Promise<void>;

/**
 * Wraps the analytics sink so that it can never break a shopper's dialog: an invalid event (our bug)
 * or a failing sink is logged and counted, and the caller carries on. Awaited, so a turn's events
 * are written (to the WAL) before its response leaves.
 */
export function safeRecorder(
  recordEvent: RecordEvent,
  logger: SkillLogger,
  metrics: SkillMetrics,
): RecordEvent {
  return async (event) => {
    let valid: PitchlineEvent;
    try {
      valid = parseEvent(event);
    } catch (err) {
      metrics.invalidEvents++;
      logger.error({ err, type: event.type }, 'skill built an event that breaks the contract');
      return;
    }
    try {
      await recordEvent(valid);
    } catch (err) {
      metrics.recordFailures++;
      logger.error({ err, type: event.type, eventId: event.event_id }, 'could not record analytics event');
    }
  };
}

/** In order, one at a time: a session_start must not land after the turn it opened. */
export async function deliverAll(record: RecordEvent, events: readonly PitchlineEvent[]): Promise<void> {
  for (const event of events) await record(event);
}
