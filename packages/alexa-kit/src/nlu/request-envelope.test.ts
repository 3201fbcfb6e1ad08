import { interactionModel } from '@pitchline/voice-model';
import {
  getAccountLinkingAccessToken,
  getIntentName,
  getRequestType,
  getSlotValue,
  getSupportedInterfaces,
  type HandlerInput,
  SkillBuilders,
} from 'ask-sdk-core';
import type { IntentRequest, RequestEnvelope, SessionEndedRequest } from 'ask-sdk-model';
import { describe, expect, it } from 'vitest';
import { authorityName, staticResolution } from './entity-resolution';
import {
  alexaTimestamp,
  buildIntentRequest,
  buildLaunchRequest,
  buildSessionEndedRequest,
  createEnvelopeSession,
} from './request-envelope';

const REQUEST_ID = /^amzn1\.echo-api\.request\.[0-9a-f-]{36}$/;

describe('request envelopes', () => {
  it('builds a LaunchRequest like Alexa sends', () => {
    const now = new Date('2026-11-27T04:39:17.123Z');
    const env = buildLaunchRequest({
      now,
      accessToken: 'linked-token',
      applicationId: 'amzn1.ask.skill.abc',
    });
    expect(env.version).toBe('1.0');
    expect(env.request).toMatchObject({
      type: 'LaunchRequest',
      locale: 'en-US',
      timestamp: '2026-11-27T04:39:17Z',
    });
    expect(env.request.requestId).toMatch(REQUEST_ID);
    expect(env.session).toMatchObject({
      new: true,
      attributes: {},
      application: { applicationId: 'amzn1.ask.skill.abc' },
    });
    expect(env.session?.sessionId).toMatch(/^amzn1\.echo-api\.session\./);
    expect(env.context.System.user).toEqual(env.session?.user);
    expect(env.context.System.user.userId).toMatch(/^amzn1\.ask\.account\./);
    expect(env.context.System.apiEndpoint).toBe('https://api.amazonalexa.com');
    expect(env.context.System.apiAccessToken).toBeTruthy();
    expect(getAccountLinkingAccessToken(env)).toBe('linked-token');
    expect(getSupportedInterfaces(env)).toEqual({});
    expect(env.context.Viewport).toBeUndefined();
  });

  it('adds APL and a viewport for screen devices only', () => {
    const env = buildLaunchRequest({ screen: true });
    expect(getSupportedInterfaces(env)['Alexa.Presentation.APL']?.runtime?.maxVersion).toMatch(
      /^\d{4}\.\d+$/,
    );
    expect(env.context.Viewport?.pixelWidth).toBeGreaterThan(0);
    expect(buildLaunchRequest().context.System.user.accessToken).toBeUndefined();
  });

  it('builds an IntentRequest with Alexa slot JSON and no resolutions', () => {
    const env = buildIntentRequest(
      'AddToCartIntent',
      { product: 'espresso beans' },
      { model: interactionModel },
    );
    const request = env.request as IntentRequest;
    expect(getRequestType(env)).toBe('IntentRequest');
    expect(getIntentName(env)).toBe('AddToCartIntent');
    expect(getSlotValue(env, 'product')).toBe('espresso beans');
    expect(request.intent).toEqual({
      name: 'AddToCartIntent',
      confirmationStatus: 'NONE',
      slots: {
        product: {
          name: 'product',
          value: 'espresso beans',
          confirmationStatus: 'NONE',
          source: 'USER',
          slotValue: { type: 'Simple', value: 'espresso beans' },
        },
        // declared but unfilled: present without a value, as Alexa sends it
        quantity: { name: 'quantity', confirmationStatus: 'NONE' },
        reference: { name: 'reference', confirmationStatus: 'NONE' },
      },
    });
    expect(request).not.toHaveProperty('dialogState');
    expect(env.session?.new).toBe(false);
    const noSlots = buildIntentRequest('CheckoutIntent', {}, { dialogState: 'STARTED' })
      .request as IntentRequest;
    expect(noSlots.intent.slots).toBeUndefined();
    expect(noSlots.dialogState).toBe('STARTED');
  });

  it('builds a one-shot IntentRequest: a new session, static entity resolution on slot and slotValue', () => {
    const applicationId = 'amzn1.ask.skill.abc';
    const noMatch = staticResolution(interactionModel, applicationId, 'PRODUCT', 'jet ski');
    const env = buildIntentRequest(
      'ProductDetailsIntent',
      { product: 'jet ski' },
      { model: interactionModel, newSession: true, applicationId, resolutions: { product: noMatch } },
    );
    expect(env.session?.new).toBe(true);
    const slot = (env.request as IntentRequest).intent.slots?.product;
    expect(slot?.resolutions).toEqual({
      resolutionsPerAuthority: [
        {
          authority: 'amzn1.er-authority.echo-sdk.amzn1.ask.skill.abc.PRODUCT',
          status: { code: 'ER_SUCCESS_NO_MATCH' },
        },
      ],
    });
    expect((slot?.slotValue as { resolutions?: unknown } | undefined)?.resolutions).toEqual(
      slot?.resolutions,
    );
    // A listed value or synonym matches, with the model's canonical value and id.
    expect(
      staticResolution(interactionModel, applicationId, 'PRODUCT', 'Huila').resolutionsPerAuthority?.[0],
    ).toEqual({
      authority: 'amzn1.er-authority.echo-sdk.amzn1.ask.skill.abc.PRODUCT',
      status: { code: 'ER_SUCCESS_MATCH' },
      values: [{ value: { id: 'colombia-huila', name: 'colombia huila' } }],
    });
    expect(authorityName(applicationId, 'PRODUCT', true)).toBe(
      'amzn1.er-authority.echo-sdk.dynamic.amzn1.ask.skill.abc.PRODUCT',
    );
  });

  it('builds a SessionEndedRequest with reason and error', () => {
    const env = buildSessionEndedRequest('ERROR', {
      error: { type: 'INVALID_RESPONSE', message: 'SSML invalid' },
    });
    expect(env.request as SessionEndedRequest).toMatchObject({
      type: 'SessionEndedRequest',
      reason: 'ERROR',
      error: { type: 'INVALID_RESPONSE', message: 'SSML invalid' },
    });
  });

  it('keeps one session across turns and carries attributes back', () => {
    const session = createEnvelopeSession({ screen: true });
    const a = session.launch();
    session.setAttributes({ cart: ['x'] });
    const b = session.intent('ReviewCartIntent');
    const c = session.ended('USER_INITIATED');
    expect([a, b, c].map((e) => e.session?.new)).toEqual([true, false, false]);
    expect(new Set([a, b, c].map((e) => e.session?.sessionId)).size).toBe(1);
    expect(new Set([a, b, c].map((e) => e.context.System.user.userId)).size).toBe(1);
    expect(new Set([a, b, c].map((e) => e.request.requestId)).size).toBe(3);
    expect(a.session?.attributes).toEqual({});
    expect(b.session?.attributes).toEqual({ cart: ['x'] });
  });

  it('formats timestamps at second precision', () => {
    expect(alexaTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 999)))).toBe('2026-01-02T03:04:05Z');
  });

  it('is accepted by a real ask-sdk-core skill', async () => {
    const seen: string[] = [];
    const skill = SkillBuilders.custom()
      .addRequestHandlers({
        canHandle: () => true,
        handle: (input: HandlerInput) => {
          const env: RequestEnvelope = input.requestEnvelope;
          const type = getRequestType(env);
          seen.push(
            type === 'IntentRequest' ? `${getIntentName(env)}:${getSlotValue(env, 'quantity') ?? ''}` : type,
          );
          input.attributesManager.setSessionAttributes({ turns: seen.length });
          return input.responseBuilder.speak('ok').getResponse();
        },
      })
      .withSkillId('amzn1.ask.skill.test')
      .create();
    const session = createEnvelopeSession({ applicationId: 'amzn1.ask.skill.test' });
    const first = await skill.invoke(session.launch());
    session.setAttributes(first.sessionAttributes);
    const second = await skill.invoke(session.intent('AddToCartIntent', { product: 'mug', quantity: '2' }));
    expect(seen).toEqual(['LaunchRequest', 'AddToCartIntent:2']);
    expect(second.sessionAttributes).toEqual({ turns: 2 });
    await expect(
      skill.invoke(buildLaunchRequest({ applicationId: 'amzn1.ask.skill.other' })),
    ).rejects.toThrow(/skill id/i);
  });
});
