import { createHash } from 'node:crypto';
import { startOfDayContaining } from '@pitchline/core/time-zone';
import type { SimulatorConfig } from './config';
import { createRng } from './rng';

/** One synthetic person with one Echo: the same Alexa ids in every session, as on a real device. */
export interface Shopper {
  index: number;
  alexaUserId: string;
  deviceId: string;
  locale: string;
  screen: boolean;
  /** The account-linking token; undefined for shoppers who never linked (they get the link card). */
  accessToken?: string;
  /** The test PaymentMethod saved on their linked Stripe customer. */
  card: string;
}

export interface Visit {
  shopper: Shopper;
  /** When the session opens (UTC ms). */
  at: number;
  /** 0 for the first visit, then 1, 2 … for returns. */
  visit: number;
}

/** Stable ids for a run's seed: reruns of one config hit the same users, tokens and customers. */
function idPart(seed: string | number, what: string, index: number, length: number): string {
  return createHash('sha256')
    .update(`${seed}\u0000${what}\u0000${index}`)
    .digest('hex')
    .slice(0, length)
    .toUpperCase();
}

export function makeShoppers(config: SimulatorConfig): Shopper[] {
  const shoppers: Shopper[] = [];
  for (let index = 0; index < config.shoppers; index++) {
    const rng = createRng(config.seed, 'shopper', index);
    const linked = rng.chance(config.linkedShare);
    shoppers.push({
      index,
      alexaUserId: `amzn1.ask.account.SIM${idPart(config.seed, 'user', index, 40)}`,
      deviceId: `amzn1.ask.device.SIM${idPart(config.seed, 'device', index, 40)}`,
      locale: rng.weighted(config.locales),
      screen: rng.chance(config.screenShare),
      ...(linked ? { accessToken: `sim-${idPart(config.seed, 'token', index, 32).toLowerCase()}` } : {}),
      card: rng.weighted(config.cards),
    });
  }
  return shoppers;
}

/**
 * The replayed window: the `days` whole local days before today, so every replayed session is over
 * before real traffic (today's) begins.
 */
export function historyWindow(now: number, days: number, timeZone: string): { start: number; end: number } {
  const end = startOfDayContaining(now, timeZone);
  let start = end;
  for (let d = 0; d < days; d++) start = startOfDayContaining(start - 12 * 3_600_000, timeZone);
  return { start, end };
}

/**
 * Every session of a replay, in time order: each shopper first visits on a random day, at an hour
 * drawn from the daily curve in the merchant's time zone, and comes back on later days with the
 * configured chance, each time.
 */
export function planVisits(config: SimulatorConfig, window: { start: number; end: number }): Visit[] {
  const shoppers = makeShoppers(config);
  const dayStarts: number[] = [];
  for (let t = window.start; t < window.end; ) {
    dayStarts.push(t);
    t = startOfDayContaining(t + 36 * 3_600_000, config.timeZone);
  }
  if (dayStarts.length === 0) return [];
  const hours = Object.fromEntries(config.hourlyTraffic.map((w, h) => [String(h), w])) as Record<
    string,
    number
  >;
  const visits: Visit[] = [];
  for (const shopper of shoppers) {
    const rng = createRng(config.seed, 'visits', shopper.index);
    let day = rng.int(0, dayStarts.length - 1);
    for (let visit = 0; day < dayStarts.length; visit++) {
      const dayStart = dayStarts[day] as number;
      const hour = Number(rng.weighted(hours));
      // Half an hour before the window ends at the latest: a session (a minute at most per turn) never
      // spills into today, which belongs to real traffic.
      const at = Math.min(dayStart + hour * 3_600_000 + rng.int(0, 3_599_999), window.end - 1_800_000);
      visits.push({ shopper, at, visit });
      if (!rng.chance(config.returnRate)) break;
      day += rng.int(1, 7);
    }
  }
  return visits.sort((a, b) => a.at - b.at || a.shopper.index - b.shopper.index);
}
