import { type EventOf, newEventId, type PitchlineEvent } from '@pitchline/core';
import type { RequestEnvelope, ResponseEnvelope } from 'ask-sdk-model';
import type { TurnState } from '../dialog/turn';

export interface TurnOutcome {
  request: RequestEnvelope;
  response: ResponseEnvelope | undefined;
  latencyMs: number;
  /** New session: Alexa says so on its first request (LaunchRequest or a one-shot intent). */
  newSession: boolean;
  newUser: boolean;
}

function ssmlOf(speech: unknown): string | undefined {
  if (!speech || typeof speech !== 'object') return undefined;
  const s = speech as { type?: string; ssml?: string; text?: string };
  return (s.type === 'SSML' ? s.ssml : s.text)?.slice(0, 24_000);
}

/**
 * Every event of one request, in the order things happened: session_start, what the handlers
 * emitted (cart changes, checkout …), the turn itself, and session_end when the session closed.
 */
export function buildTurnEvents(turn: TurnState, outcome: TurnOutcome): PitchlineEvent[] {
  // Built property by property: on this hot path object spread ({ ...base, ...device }) cost V8
  // several µs per literal (~25 µs a turn), assignment a fraction of one. Same keys and values;
  // optional ones are appended, which no reader sees (rows are written by column name).
  const request = outcome.request.request;
  const response = outcome.response?.response;
  const responseSsml = ssmlOf(response?.outputSpeech) ?? '';
  const reprompt = ssmlOf(response?.reprompt?.outputSpeech);
  // respond() always sets shouldEndSession; a SessionEndedRequest gets no speech but is over by definition.
  const ended = request.type === 'SessionEndedRequest' || response?.shouldEndSession === true;
  const startTs = turn.drafts[0]?.ts ?? turn.now();
  const events: PitchlineEvent[] = [];

  if (outcome.newSession) {
    events.push({
      merchant_id: turn.merchantId,
      skill_id: turn.skillId,
      user_id: turn.userId,
      session_id: turn.sessionId,
      event_id: newEventId(),
      ts: startTs,
      type: 'session_start',
      locale: turn.locale,
      has_screen: turn.hasScreen,
      new_user: outcome.newUser,
    });
  }
  for (const draft of turn.drafts) {
    const event: Record<string, unknown> = {
      merchant_id: turn.merchantId,
      skill_id: turn.skillId,
      user_id: turn.userId,
      session_id: turn.sessionId,
      event_id: newEventId(),
    };
    events.push(Object.assign(event, draft) as PitchlineEvent);
  }

  const turnTs = turn.now();
  const intent = request.type === 'IntentRequest' ? request.intent : undefined;
  const turnEvent: EventOf<'turn'> = {
    merchant_id: turn.merchantId,
    skill_id: turn.skillId,
    user_id: turn.userId,
    session_id: turn.sessionId,
    event_id: newEventId(),
    ts: turnTs,
    type: 'turn',
    locale: turn.locale,
    has_screen: turn.hasScreen,
    request_id: (request.requestId || 'unknown').slice(0, 200),
    request_type: request.type.slice(0, 100),
    slots: turn.slots.slice(0, 50),
    response_ssml: responseSsml,
    should_end_session: ended,
    latency_ms: Math.max(0, outcome.latencyMs),
  };
  if (intent) turnEvent.intent = intent.name.slice(0, 100);
  if (request.type === 'IntentRequest' && request.dialogState) {
    turnEvent.dialog_state = request.dialogState.slice(0, 50);
  }
  if (reprompt) turnEvent.reprompt_ssml = reprompt;
  if (turn.error) turnEvent.error = turn.error;
  events.push(turnEvent);

  if (ended) {
    const end = turn.sessionEnd ?? { reason: turn.error ? 'error' : 'completed' };
    const lastPrompt = (end.lastPrompt ?? (responseSsml || undefined))?.slice(0, 24_000);
    const endEvent: EventOf<'session_end'> = {
      merchant_id: turn.merchantId,
      skill_id: turn.skillId,
      user_id: turn.userId,
      session_id: turn.sessionId,
      event_id: newEventId(),
      ts: turnTs,
      type: 'session_end',
      reason: end.reason,
    };
    if (lastPrompt) endEvent.last_prompt = lastPrompt;
    events.push(endEvent);
  }
  return events;
}
