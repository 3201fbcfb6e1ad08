import { isUuidV7, parseEvent } from '@pitchline/core';
import type { RequestEnvelope, ResponseEnvelope } from 'ask-sdk-model';
import { describe, expect, it } from 'vitest';
import type { TurnState } from '../dialog/turn';
import { buildTurnEvents } from './build-events';

const MERCHANT = '0190a5a4-3c1e-7c2a-9f7e-2b9c3d4e5f60';
const PRODUCT = '0190a5a4-3c1e-7c2a-9f7e-2b9c3d4e5f61';

function turnState(overrides: Partial<TurnState> = {}): TurnState {
  let clock = 1_000;
  return {
    merchantId: MERCHANT,
    skillId: 'amzn1.ask.skill.test',
    userId: 'hashed-user',
    sessionId: 'amzn1.echo-api.session.1',
    locale: 'en-GB',
    hasScreen: true,
    now: () => clock++,
    catalog: () => Promise.reject(new Error('not needed')),
    drafts: [],
    slots: [],
    ...overrides,
  };
}

const intentRequest = (dialogState?: string) =>
  ({
    version: '1.0',
    context: {} as RequestEnvelope['context'],
    request: {
      type: 'IntentRequest',
      requestId: 'amzn1.echo-api.request.1',
      timestamp: '2026-01-01T00:00:00Z',
      locale: 'en-GB',
      intent: { name: 'AddToCartIntent', confirmationStatus: 'NONE' },
      ...(dialogState ? { dialogState } : {}),
    },
  }) as RequestEnvelope;

const answer = (end: boolean, reprompt?: string): ResponseEnvelope => ({
  version: '1.0',
  response: {
    outputSpeech: { type: 'SSML', ssml: '<speak>Added.</speak>' },
    ...(reprompt ? { reprompt: { outputSpeech: { type: 'SSML', ssml: reprompt } } } : {}),
    shouldEndSession: end,
  },
});

const identity = {
  merchant_id: MERCHANT,
  skill_id: 'amzn1.ask.skill.test',
  user_id: 'hashed-user',
  session_id: 'amzn1.echo-api.session.1',
};

describe('buildTurnEvents', () => {
  it('opens the session, carries the drafts, then the turn, with every field the contract needs', () => {
    const draft = {
      type: 'cart_add' as const,
      product_id: PRODUCT,
      quantity: 2,
      unit_amount: 1850,
      currency: 'USD',
      ts: 500,
    };
    const turn = turnState({
      drafts: [draft],
      slots: [{ name: 'product', value: 'kettle', resolution: 'none' }],
    });
    const events = buildTurnEvents(turn, {
      request: intentRequest('IN_PROGRESS'),
      response: answer(false, '<speak>What next?</speak>'),
      latencyMs: 4.5,
      newSession: true,
      newUser: true,
    });
    expect(events).toEqual([
      {
        ...identity,
        event_id: expect.any(String),
        ts: 500,
        type: 'session_start',
        locale: 'en-GB',
        has_screen: true,
        new_user: true,
      },
      { ...identity, event_id: expect.any(String), ...draft },
      {
        ...identity,
        event_id: expect.any(String),
        ts: 1_000,
        type: 'turn',
        locale: 'en-GB',
        has_screen: true,
        request_id: 'amzn1.echo-api.request.1',
        request_type: 'IntentRequest',
        intent: 'AddToCartIntent',
        slots: [{ name: 'product', value: 'kettle', resolution: 'none' }],
        dialog_state: 'IN_PROGRESS',
        response_ssml: '<speak>Added.</speak>',
        reprompt_ssml: '<speak>What next?</speak>',
        should_end_session: false,
        latency_ms: 4.5,
      },
    ]);
    for (const e of events) {
      expect(isUuidV7(e.event_id)).toBe(true);
      expect(parseEvent(e)).toEqual(e);
    }
    expect(new Set(events.map((e) => e.event_id)).size).toBe(3);
  });

  it('leaves optional fields out when absent, and closes an ended session with its exit point', () => {
    const turn = turnState({
      error: 'TypeError: boom',
      sessionEnd: { reason: 'user_stop', lastPrompt: '<speak>Bye</speak>' },
    });
    const events = buildTurnEvents(turn, {
      request: intentRequest(),
      response: answer(true),
      latencyMs: -1,
      newSession: false,
      newUser: false,
    });
    expect(events.map((e) => e.type)).toEqual(['turn', 'session_end']);
    const [turnEvent, end] = events;
    expect(turnEvent).not.toHaveProperty('dialog_state');
    expect(turnEvent).not.toHaveProperty('reprompt_ssml');
    expect(turnEvent).toMatchObject({ error: 'TypeError: boom', latency_ms: 0, should_end_session: true });
    expect(end).toEqual({
      ...identity,
      event_id: expect.any(String),
      ts: turnEvent?.ts,
      type: 'session_end',
      reason: 'user_stop',
      last_prompt: '<speak>Bye</speak>',
    });
    for (const e of events) expect(parseEvent(e)).toEqual(e);
  });
});
