import { buildLaunchRequest } from '@pitchline/alexa-kit/nlu';
import { hashUserId } from '@pitchline/core';
import { DEMO_SKILL_ID } from '@pitchline/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHarness,
  eventsOf,
  type Harness,
  said,
  speech,
  USER_ID_HASH_KEY,
} from '../dialog/testing/harness';

let h: Harness;
/** The simulator's clock: events carry it, not the wall clock. */
let simulated = Date.parse('2026-03-01T09:00:00Z');

beforeAll(async () => {
  h = await createHarness({ clock: () => simulated });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const inSession = (sessionId: string) => h.events.filter((e) => e.session_id === sessionId);

describe('events of a session', () => {
  it('session_start once, a turn per request, stamped by the injected clock, user id hashed', async () => {
    const userId = 'amzn1.ask.account.RECORDED';
    const convo = h.conversation({ userId, screen: true, locale: 'en-GB' });
    simulated += 1000;
    const t0 = simulated;
    await convo.launch();
    simulated += 5000;
    await convo.say('AMAZON.HelpIntent');
    const events = inSession(convo.session.sessionId);
    expect(events.map((e) => e.type)).toEqual(['session_start', 'turn', 'turn']);
    expect(events[0]).toMatchObject({ type: 'session_start', locale: 'en-GB', has_screen: true, ts: t0 });
    expect(events[1]?.ts).toBe(t0);
    expect(events[2]?.ts).toBe(t0 + 5000);
    for (const e of events) {
      expect(e.user_id).toBe(hashUserId(userId, USER_ID_HASH_KEY));
      expect(JSON.stringify(e)).not.toContain(userId);
    }
  });

  it('Stop ends the session with the prompt the shopper walked away from', async () => {
    const convo = h.conversation();
    await convo.launch();
    const help = await convo.say('AMAZON.HelpIntent');
    const stop = await convo.say('AMAZON.StopIntent');
    expect(stop.response.shouldEndSession).toBe(true);
    expect(stop.response.reprompt).toBeUndefined();
    const events = inSession(convo.session.sessionId);
    const end = eventsOf(events, 'session_end');
    expect(end).toEqual([expect.objectContaining({ reason: 'user_stop', last_prompt: speech(help) })]);
    expect(eventsOf(events, 'turn').at(-1)).toMatchObject({
      intent: 'AMAZON.StopIntent',
      should_end_session: true,
    });
  });

  it('SessionEndedRequest is recorded as a turn and a session_end with its reason', async () => {
    const convo = h.conversation();
    const launch = await convo.launch();
    const ended = await convo.ended('EXCEEDED_MAX_REPROMPTS');
    expect(ended.response.outputSpeech).toBeUndefined();
    const events = inSession(convo.session.sessionId);
    expect(eventsOf(events, 'turn').at(-1)).toMatchObject({
      request_type: 'SessionEndedRequest',
      response_ssml: '',
      should_end_session: true,
    });
    expect(eventsOf(events, 'session_end')).toEqual([
      expect.objectContaining({ reason: 'exceeded_max_reprompts', last_prompt: speech(launch) }),
    ]);
  });

  it('leaving at the checkout question declines that order', async () => {
    const convo = h.conversation();
    await convo.launch();
    await convo.say('AddToCartIntent', { product: 'kettle', quantity: '1' });
    await convo.say('CheckoutIntent');
    await convo.say('AMAZON.CancelIntent');
    const events = inSession(convo.session.sessionId);
    expect(eventsOf(events, 'order_declined')).toEqual([
      expect.objectContaining({ amount: 6400, currency: 'USD' }),
    ]);
    expect(eventsOf(events, 'session_end')[0]?.reason).toBe('user_stop');
  });

  it('records what the shopper asked for when the catalog has no match', async () => {
    const convo = h.conversation();
    await convo.launch();
    const search = await convo.say('SearchProductIntent', { query: 'unicorn saddle' });
    expect(said(search)).toContain("couldn't find anything for unicorn saddle");
    const details = await convo.say('ProductDetailsIntent', { product: 'jet ski' });
    expect(said(details)).toContain("don't have jet ski");
    const turns = eventsOf(inSession(convo.session.sessionId), 'turn');
    expect(turns[1]?.slots).toEqual([{ name: 'query', value: 'unicorn saddle', resolution: 'no_match' }]);
    expect(turns[2]?.slots).toEqual([{ name: 'product', value: 'jet ski', resolution: 'no_match' }]);
  });

  it('uses Alexa entity resolution against the dynamic catalog when it is there', async () => {
    const convo = h.conversation();
    const launch = await convo.launch();
    const dynamic = launch.response.directives?.[0] as {
      types: { name: string; values: { id: string; name: { value: string } }[] }[];
    };
    const kettle = dynamic.types
      .find((t) => t.name === 'PRODUCT')
      ?.values.find((v) => v.name.value === 'Gooseneck Kettle');
    expect(kettle).toBeDefined();
    const envelope = convo.session.intent('ProductDetailsIntent', { product: 'the swan neck one' });
    const slot =
      envelope.request.type === 'IntentRequest' ? envelope.request.intent.slots?.product : undefined;
    if (!slot || !kettle) throw new Error('no slot');
    slot.resolutions = {
      resolutionsPerAuthority: [
        {
          authority: `amzn1.er-authority.echo-sdk.dynamic.${DEMO_SKILL_ID}.PRODUCT`,
          status: { code: 'ER_SUCCESS_MATCH' },
          values: [{ value: { id: kettle.id, name: kettle.name.value } }],
        },
      ],
    };
    const details = await convo.send(envelope);
    expect(speech(details)).toContain('Gooseneck Kettle');
    const turn = eventsOf(inSession(convo.session.sessionId), 'turn').at(-1);
    expect(turn?.slots).toEqual([
      {
        name: 'product',
        value: 'the swan neck one',
        resolved_id: kettle.id,
        resolved_value: 'Gooseneck Kettle',
        resolution: 'match',
      },
    ]);
  });

  it('a one-shot request opening a session also teaches Alexa the catalog', async () => {
    const convo = h.conversation();
    const oneShot = await convo.send(
      convo.session.intent('AddToCartIntent', { product: 'decaf' }, { newSession: true }),
    );
    expect(said(oneShot)).toContain('Added 1 Swiss Water Decaf');
    expect(oneShot.response.directives?.map((d) => d.type)).toEqual(['Dialog.UpdateDynamicEntities']);
    const next = await convo.say('ReviewCartIntent');
    expect(next.response.directives ?? []).toEqual([]);
    expect(eventsOf(inSession(convo.session.sessionId), 'session_start')).toHaveLength(1);
  });

  it('cards only on devices with a screen; Repeat re-speaks the last response', async () => {
    const headless = h.conversation({ screen: false });
    expect((await headless.launch()).response.card).toBeUndefined();
    const show = h.conversation({ screen: true });
    const launch = await show.launch();
    expect(launch.response.card).toMatchObject({ type: 'Simple', title: 'Northwind Coffee Roasters' });
    expect((launch.response.card as { content: string }).content).toContain('Ethiopia Yirgacheffe');
    const repeat = await show.say('AMAZON.RepeatIntent');
    expect(speech(repeat)).toBe(speech(launch));
  });

  it('removes from the cart and records cart_remove with the quantity removed', async () => {
    const convo = h.conversation();
    await convo.launch();
    await convo.say('AddToCartIntent', { product: 'earl grey', quantity: '3' });
    const remove = await convo.say('RemoveFromCartIntent', { product: 'earl grey', quantity: '2' });
    expect(said(remove)).toContain('Removed 2 Earl Grey Supreme');
    const removeAll = await convo.say('RemoveFromCartIntent', { product: 'earl grey' });
    expect(said(removeAll)).toContain('Removed 1 Earl Grey Supreme');
    const events = inSession(convo.session.sessionId);
    expect(eventsOf(events, 'cart_remove').map((e) => e.quantity)).toEqual([2, 1]);
    const empty = await convo.say('ReviewCartIntent');
    expect(said(empty)).toContain('Your cart is empty');
  });

  it('writes every event before the response leaves', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow = await createHarness({
      recordEvent: async () => {
        await gate;
      },
    });
    try {
      let answered = false;
      const pending = slow.send(buildLaunchRequest({ applicationId: DEMO_SKILL_ID })).then((r) => {
        answered = true;
        return r;
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(answered).toBe(false);
      release();
      expect(speech(await pending)).toContain('Welcome');
    } finally {
      await slow.close();
    }
  });

  it('refuses a skill id it does not serve', async () => {
    const res = await h.post(
      JSON.stringify(buildLaunchRequest({ applicationId: 'amzn1.ask.skill.unknown' })),
    );
    expect(res.status).toBe(400);
  });
});
