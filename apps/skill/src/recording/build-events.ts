import { newEventId, type PitchlineEvent } from '@pitchline/core';
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
  const base = {
    merchant_id: turn.merchantId,
    skill_id: turn.skillId,
    user_id: turn.userId,
    session_id: turn.sessionId,
  };
  const device = { locale: turn.locale, has_screen: turn.hasScreen };
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
      ...base,
      event_id: newEventId(),
      ts: startTs,
      type: 'session_start',
      ...device,
      new_user: outcome.newUser,
    });
  }
  for (const draft of turn.drafts)
    events.push({ ...base, event_id: newEventId(), ...draft } as PitchlineEvent);

  const turnTs = turn.now();
  const intent = request.type === 'IntentRequest' ? request.intent : undefined;
  events.push({
    ...base,
    event_id: newEventId(),
    ts: turnTs,
    type: 'turn',
    ...device,
    request_id: (request.requestId || 'unknown').slice(0, 200),
    request_type: request.type.slice(0, 100),
    ...(intent ? { intent: intent.name.slice(0, 100) } : {}),
    slots: turn.slots.slice(0, 50),
    ...(request.type === 'IntentRequest' && request.dialogState
      ? { dialog_state: request.dialogState.slice(0, 50) }
      : {}),
    response_ssml: responseSsml,
    ...(reprompt ? { reprompt_ssml: reprompt } : {}),
    should_end_session: ended,
    latency_ms: Math.max(0, outcome.latencyMs),
    ...(turn.error ? { error: turn.error } : {}),
  });

  if (ended) {
    const end = turn.sessionEnd ?? { reason: turn.error ? 'error' : 'completed' };
    const lastPrompt = (end.lastPrompt ?? (responseSsml || undefined))?.slice(0, 24_000);
    events.push({
      ...base,
      event_id: newEventId(),
      ts: turnTs,
      type: 'session_end',
      reason: end.reason,
      ...(lastPrompt ? { last_prompt: lastPrompt } : {}),
    });
  }
  return events;
}
