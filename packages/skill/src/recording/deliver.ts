import { InvalidEventError, type Logger, type PitchlineEvent, type RecordEvent } from '@pitchline/core';
import type { SkillMetrics } from './metrics';

/*
 * The analytics sink (core's RecordEvent; in a server, EventWriter.record) validates each event against
 * the contract and rejects a bad one with InvalidEventError, writing nothing; it enqueues each event when
 * called, in call order, and resolves once the event is durable.
 */

function isInvalidEvent(err: unknown): boolean {
  // By name too: a second copy of @pitchline/core in a bundle would have its own class.
  return err instanceof InvalidEventError || (err instanceof Error && err.name === 'InvalidEventError');
}

/**
 * Wraps the analytics sink so that it can never break a shopper's dialog: an invalid event (our bug)
 * or a failing sink is logged and counted, and the caller carries on. Awaited, so a turn's events
 * are written (to the WAL) before its response leaves.
 *
 * The sink's own validation is the contract check: validating here first as well cost a second zod
 * parse of every event (~35 µs of a turn) and found nothing the sink does not.
 */
export function safeRecorder(recordEvent: RecordEvent, logger: Logger, metrics: SkillMetrics): RecordEvent {
  return async (event) => {
    try {
      await recordEvent(event);
    } catch (err) {
      if (isInvalidEvent(err)) {
        metrics.invalidEvents++;
        logger.error({ err, type: event.type }, 'skill built an event that breaks the contract');
        return;
      }
      metrics.recordFailures++;
      logger.error({ err, type: event.type, eventId: event.event_id }, 'could not record analytics event');
    }
  };
}

/**
 * All of a turn's events at once, in order. The sink enqueues in call order, so a session_start still
 * lands before the turn it opened, and one group commit (write + fdatasync) makes them all durable:
 * awaiting each before recording the next cost a full commit round per event, up to three per turn.
 */
export async function deliverAll(record: RecordEvent, events: readonly PitchlineEvent[]): Promise<void> {
  await Promise.all(events.map((event) => record(event)));
}
