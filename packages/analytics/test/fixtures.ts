import { newEventId, type PitchlineEvent } from '@pitchline/core';

export const MERCHANT = '0195a3c4-1111-7000-8000-000000000001';
const EXPERIMENT = '0195a3c4-2222-7000-8000-000000000002';
const PRODUCT = '0195a3c4-3333-7000-8000-000000000003';

const SSML =
  '<speak>Welcome back to Hilltop Roasters! <break time="300ms"/> Today our <emphasis level="moderate">' +
  'Ethiopian Yirgacheffe</emphasis> is twenty percent off: bright, floral, with notes of bergamot and ' +
  'honey. It is roasted this morning and ships tomorrow. <break time="200ms"/> Would you like to add a ' +
  'twelve ounce bag to your cart for fourteen dollars and ninety nine cents, or hear about our other ' +
  'single origin coffees? You can also say <say-as interpret-as="interjection">surprise me</say-as>.</speak>';

function base(i: number, session: number) {
  return {
    event_id: newEventId(),
    ts: Date.now(),
    merchant_id: MERCHANT,
    skill_id: 'amzn1.ask.skill.hilltop',
    user_id: `user-${session % 997}`,
    session_id: `session-${session}`,
    _i: i,
  };
}

/** A realistic mix: mostly turns (with ~500 chars of SSML), plus exposures and cart events. */
export function makeEvent(i: number): PitchlineEvent {
  const session = Math.floor(i / 8);
  const { _i, ...b } = base(i, session);
  switch (i % 8) {
    case 1:
      return {
        ...b,
        type: 'pitch_exposure',
        experiment_id: EXPERIMENT,
        experiment_key: 'welcome-pitch',
        variant_key: i % 16 === 1 ? 'control' : 'scarcity',
        assignment_probability: 0.5,
        product_id: PRODUCT,
      };
    case 4:
      return { ...b, type: 'cart_add', product_id: PRODUCT, quantity: 1, unit_amount: 1499, currency: 'USD' };
    default:
      return {
        ...b,
        type: 'turn',
        locale: 'en-US',
        has_screen: i % 3 === 0,
        request_id: `amzn1.echo-api.request.${b.event_id}`,
        request_type: 'IntentRequest',
        intent: 'PitchProductIntent',
        slots: [{ name: 'product', value: 'ethiopian coffee', resolved_id: PRODUCT, resolution: 'match' }],
        dialog_state: 'COMPLETED',
        response_ssml: SSML,
        reprompt_ssml: '<speak>Would you like to add it to your cart?</speak>',
        should_end_session: false,
        latency_ms: 42.5,
      };
  }
}
