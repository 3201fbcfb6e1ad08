import type { SimulatorConfig } from './config';
import type { Visit } from './plan';
import { runSession, type SessionClock } from './session';
import { type RunStats, StatsCollector } from './stats';
import type { SendEnvelope } from './transport';

/** Runs one visit with the clock its mode gives it (simulated instant, or the wall clock). */
export type WithClock = (visit: Visit, run: (clock: SessionClock) => Promise<void>) => Promise<void>;

/**
 * Plays the visits in time order, `config.concurrency` sessions in flight: a new session starts as
 * soon as one finishes, so a slow turn (a payment) does not hold the others up.
 */
export async function runVisits(
  config: SimulatorConfig,
  visits: readonly Visit[],
  applicationId: string,
  send: SendEnvelope,
  withClock: WithClock,
  options: {
    signal?: AbortSignal;
    onProgress?: (done: number, total: number) => void;
    /** Counts into this collector (a replay in phases adds up its phases); a new one by default. */
    collector?: StatsCollector;
  } = {},
): Promise<RunStats> {
  const collector = options.collector ?? new StatsCollector();
  let next = 0;
  let done = 0;
  const worker = async () => {
    // Aborting starts no new session; the ones in flight finish, so none is left half-recorded.
    while (!options.signal?.aborted) {
      const visit = visits[next++];
      if (!visit) return;
      await withClock(visit, (clock) =>
        runSession({ config, applicationId, send, clock, stats: collector }, visit),
      );
      done++;
      options.onProgress?.(done, visits.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(config.concurrency, visits.length) }, worker));
  return collector.stats;
}
