import {
  buildIntentRequest,
  buildLaunchRequest,
  buildSessionEndedRequest,
  type EnvelopeOptions,
} from '@pitchline/alexa-kit/nlu';
import type { RequestEnvelope, ResponseEnvelope, SessionEndedReason } from 'ask-sdk-model';
import { z } from 'zod';
import { type SimulatorConfig, truthFor } from './config';
import type { Visit } from './plan';
import { createRng, type Rng } from './rng';
import type { StatsCollector, VariantStats } from './stats';
import type { SendEnvelope } from './transport';

/** Simulated time of one session: history moves it forward by the thinking time, live traffic reads the wall clock. */
export interface SessionClock {
  now(): number;
  /** The shopper thinks this long before the next turn. */
  think(ms: number): Promise<void>;
}

export interface SessionContext {
  config: SimulatorConfig;
  applicationId: string;
  send: SendEnvelope;
  clock: SessionClock;
  stats: StatsCollector;
}

/** The parts of the skill's session attributes a shopper reacts to (the variant heard, the pending question). */
const attributesSchema = z.looseObject({
  heard: z.array(z.looseObject({ e: z.string(), v: z.string() })).catch([]),
  pending: z.looseObject({ kind: z.string() }).optional().catch(undefined),
  cart: z.array(z.unknown()).catch([]),
});

class SessionEnded extends Error {}

/** A visit's random stream, and its session id: the stream's first draw. */
function sessionStream(seed: string | number, visit: Visit): { rng: Rng; sessionId: string } {
  const rng = createRng(seed, 'session', visit.shopper.index, visit.visit);
  return { rng, sessionId: `amzn1.echo-api.session.sim-${hex(rng)}` };
}

/**
 * The session id a visit will carry, known without playing it (it depends on the seed, the shopper and
 * the visit's number only, not on the window): a resumed replay finds which visits are already recorded.
 */
export function sessionIdOf(seed: string | number, visit: Visit): string {
  return sessionStream(seed, visit).sessionId;
}

/**
 * One visit, played the way a person would: the skill greets with the featured product's pitch; the
 * shopper's reaction depends on the variant they heard (its true effect in the config) and on what
 * they came for (browse, search, ask for help, get misunderstood, hesitate, fill a cart and leave).
 * Every request is a real envelope, signed and sent through `send`; the next request carries the
 * session attributes the skill returned, as Alexa does.
 */
export async function runSession(ctx: SessionContext, visit: Visit): Promise<void> {
  const { config, stats } = ctx;
  const { rng, sessionId } = sessionStream(config.seed, visit);
  let attributes: Record<string, unknown> = {};
  let first = true;
  let ended = false;
  stats.count('sessions');

  const options = (): EnvelopeOptions => {
    const o: EnvelopeOptions = {
      applicationId: ctx.applicationId,
      userId: visit.shopper.alexaUserId,
      deviceId: visit.shopper.deviceId,
      locale: visit.shopper.locale,
      screen: visit.shopper.screen,
      sessionId,
      newSession: first,
      attributes,
      now: new Date(ctx.clock.now()),
      requestId: `amzn1.echo-api.request.sim-${hex(rng)}`,
      apiAccessToken: `simulated.${hex(rng)}`,
      ...(visit.shopper.accessToken ? { accessToken: visit.shopper.accessToken } : {}),
    };
    first = false;
    return o;
  };

  const exchange = async (
    label: string,
    envelope: RequestEnvelope,
  ): Promise<ResponseEnvelope | undefined> => {
    if (ended) throw new SessionEnded();
    const { status, response } = await ctx.send(envelope);
    stats.request(label, status);
    if (status !== 200 || !response) {
      stats.problem(`${label}: HTTP ${status}${status === 200 ? ' (no JSON body)' : ''}`);
      ended = true;
      throw new SessionEnded();
    }
    attributes = (response.sessionAttributes as Record<string, unknown> | undefined) ?? {};
    if (response.response.shouldEndSession !== false) ended = true;
    return response;
  };

  const think = async () => ctx.clock.think(Math.min(60_000, rng.exponential(config.thinkSeconds * 1000)));
  const say = async (intent: string, slots: Record<string, string> = {}) => {
    await think();
    return exchange(intent, buildIntentRequest(intent, slots, options()));
  };
  const leave = async (reason: SessionEndedReason) => {
    if (ended) return;
    // Silence or "Alexa, exit": Alexa itself closes the session and tells the skill.
    await ctx.clock.think(reason === 'EXCEEDED_MAX_REPROMPTS' ? 16_000 : 2_000);
    await exchange(`SessionEndedRequest:${reason}`, buildSessionEndedRequest(reason, options()));
  };
  const pending = () => attributesSchema.parse(attributes).pending?.kind;

  try {
    await exchange('LaunchRequest', buildLaunchRequest(options()));
    const heard = attributesSchema.parse(attributes).heard.find((h) => h.e === config.experiment?.key)?.v;
    const variant: VariantStats | undefined = heard ? stats.variant(heard, visit.shopper.index) : undefined;
    if (variant) variant.sessions++;
    const truth = truthFor(config, heard);

    if (rng.chance(truth.purchase)) {
      if (variant) variant.purchaseIntents++;
      await buy(ctx, rng, { say, pending, leave, variant });
    } else if (rng.chance(truth.stopAfterPitch / Math.max(1e-9, 1 - truth.purchase))) {
      if (variant) variant.stopsAfterPitch++;
      if (rng.chance(0.8)) await say(rng.chance(0.8) ? 'AMAZON.StopIntent' : 'AMAZON.CancelIntent');
      else await leave('USER_INITIATED');
    } else {
      await wander(ctx, rng, rng.weighted(config.intents), { say, pending, leave });
    }
    if (!ended) {
      if (rng.chance(0.7)) await say('AMAZON.StopIntent');
      else await leave(rng.chance(0.5) ? 'USER_INITIATED' : 'EXCEEDED_MAX_REPROMPTS');
    }
  } catch (err) {
    if (!(err instanceof SessionEnded)) throw err;
  }
}

interface Moves {
  say(intent: string, slots?: Record<string, string>): Promise<ResponseEnvelope | undefined>;
  pending(): string | undefined;
  leave(reason: SessionEndedReason): Promise<void>;
}

/** A shopper who wants the pitched product: maybe asks about it first, adds it, checks out, says yes. */
async function buy(
  ctx: SessionContext,
  rng: Rng,
  moves: Moves & { variant: VariantStats | undefined },
): Promise<void> {
  const { config, stats } = ctx;
  const featured = config.experiment?.productName ?? config.catalog[0]?.name ?? '';
  if (rng.chance(0.3)) await moves.say('ProductDetailsIntent', { product: spoken(featured) });
  if (moves.pending() === 'add') await moves.say('AMAZON.YesIntent');
  else await moves.say('AddToCartIntent', { product: spoken(featured) });
  if (rng.chance(0.15)) {
    const other = rng.pick(config.catalog.filter((p) => p.name !== featured));
    if (other)
      await moves.say('AddToCartIntent', { product: spoken(other.name), quantity: String(rng.int(1, 3)) });
  }
  const readBack =
    moves.pending() === 'offer_checkout' && rng.chance(0.7)
      ? await moves.say('AMAZON.YesIntent')
      : await moves.say('CheckoutIntent');
  if (readBack?.response.card?.type === 'LinkAccount') {
    stats.count('linkCards');
    return;
  }
  if (moves.pending() !== 'checkout') return;
  const placed = await moves.say('AMAZON.YesIntent');
  stats.count('ordersPlaced');
  // "Order placed" closes the session; "payment needed" keeps it open (cards only reach screens).
  if (placed && placed.response.shouldEndSession !== false) {
    stats.count('ordersCharged');
    if (moves.variant) moves.variant.ordersCharged++;
  } else stats.count('paymentsNeeded');
}

/** A shopper who does not buy this time. */
async function wander(
  ctx: SessionContext,
  rng: Rng,
  intent: keyof SimulatorConfig['intents'],
  moves: Moves,
): Promise<void> {
  const { config, stats } = ctx;
  const product = () => rng.pick(config.catalog);
  switch (intent) {
    case 'browse': {
      if (rng.chance(0.5)) await moves.say('BrowseCatalogIntent');
      else await moves.say('BrowseCatalogIntent', { category: spoken(product().category) });
      if (rng.chance(0.3)) await moves.say('AMAZON.NextIntent');
      if (rng.chance(0.6)) await moves.say('ProductDetailsIntent', { product: spoken(product().name) });
      if (rng.chance(0.2)) await moves.say('ReviewCartIntent');
      if (rng.chance(0.1)) await moves.say('OrderStatusIntent');
      if (rng.chance(0.5)) await moves.say('AMAZON.NoIntent');
      return;
    }
    case 'search': {
      const known = rng.chance(0.6);
      const query = known ? spoken(product().name) : rng.pick(config.unknownProducts);
      await moves.say('SearchProductIntent', { query });
      if (known && rng.chance(0.4)) await moves.say('ProductDetailsIntent', { product: query });
      return;
    }
    case 'help': {
      await moves.say('AMAZON.HelpIntent');
      if (rng.chance(0.6)) await moves.say('BrowseCatalogIntent');
      if (rng.chance(0.3)) await moves.say('AMAZON.NavigateHomeIntent');
      return;
    }
    case 'confused': {
      // What Alexa could not map to an intent arrives as AMAZON.FallbackIntent.
      await moves.say('AMAZON.FallbackIntent');
      if (rng.chance(0.5)) await moves.say('AMAZON.FallbackIntent');
      if (rng.chance(0.5)) await moves.say('AMAZON.HelpIntent');
      return;
    }
    case 'hesitate': {
      await moves.say('AMAZON.RepeatIntent');
      if (rng.chance(0.5)) await moves.leave('EXCEEDED_MAX_REPROMPTS');
      return;
    }
    case 'abandonCart': {
      if (moves.pending() === 'add') await moves.say('AMAZON.YesIntent');
      else await moves.say('AddToCartIntent', { product: spoken(product().name) });
      await moves.say('CheckoutIntent');
      if (moves.pending() === 'checkout') {
        await moves.say(rng.chance(0.7) ? 'AMAZON.NoIntent' : 'AMAZON.StopIntent');
        stats.count('ordersDeclined');
      }
      return;
    }
  }
}

/** Names as a person says them (and as Alexa transcribes them): lower case. */
function spoken(name: string): string {
  return name.toLowerCase();
}

function hex(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 4; i++)
    s += Math.floor(rng.next() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return s;
}
