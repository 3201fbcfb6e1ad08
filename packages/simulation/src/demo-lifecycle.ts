import path from 'node:path';
import { type ClickHouseHandle, queryRecordedSessions } from '@pitchline/analytics';
import type { Logger } from '@pitchline/core';
import type { SeedDemoResult } from '@pitchline/db';
import {
  DEMO_HISTORY_FILE,
  type DemoHistoryMarker,
  readDemoHistoryMarker,
  writeDemoHistoryMarker,
} from './demo-marker';
import type { HistoryDeps, HistoryResult } from './history';
import { seedDemoHistory } from './seed-demo';

export type DemoHistory = {
  /**
   * When the demo history is pending (this start seeded the demo merchant, or the start that did was
   * stopped before its replay completed): starts replaying 30 days of demo shoppers through the skill's
   * real handlers, in the background, skipping the sessions an interrupted replay already stored, and
   * returns the run (null if it failed); null when nothing is pending. Call it once the server serves;
   * close() stops it between sessions. Calling again returns the same run.
   */
  start(): Promise<HistoryResult | null> | null;
  /** Stops a running replay between sessions and waits for it; the next start resumes it. */
  close(): Promise<void>;
};

/**
 * The demo history's lifecycle around a server's start, kept in DATA_DIR/demo-history.json: written
 * "pending" before anything else once the demo merchant is created, so a start stopped at any point
 * after (Ctrl-C during the replay, a crash) leaves it pending and the next start finishes the replay;
 * "complete" once every planned session is stored.
 */
export async function prepareDemoHistory(deps: {
  dataDir: string;
  seeded: SeedDemoResult;
  db: HistoryDeps['db'];
  ch: ClickHouseHandle;
  events: { record: HistoryDeps['recordEvent']; flush(): Promise<void> };
  /** Resolves once ClickHouse can be asked which sessions it holds. */
  migrationsApplied: Promise<void>;
  userIdHashKey: () => Promise<string>;
  logger: Logger;
}): Promise<DemoHistory> {
  const { seeded, logger } = deps;
  const file = path.join(deps.dataDir, DEMO_HISTORY_FILE);
  let marker: DemoHistoryMarker | undefined = seeded.created
    ? await writeDemoHistoryMarker(file, { state: 'pending', merchantId: seeded.merchantId, now: Date.now() })
    : await readDemoHistoryMarker(file, (message) => logger.warn({ file }, message));

  const abort = new AbortController();
  let run: Promise<HistoryResult | null> | null = null;

  const start = () => {
    const pending = marker;
    if (pending?.state !== 'pending' || abort.signal.aborted) return run;
    const { signal } = abort;
    // This very start created the merchant: nothing of its history can be stored yet, and the replay
    // need not wait for ClickHouse to find that out.
    const resuming = !seeded.created;
    run ??= (async () => {
      const result = await seedDemoHistory(
        {
          db: deps.db,
          recordEvent: deps.events.record,
          userIdHashKey: await deps.userIdHashKey(),
          logger,
        },
        {
          signal,
          // The first start's instant: a resumed replay plays the missing sessions in the same 30 days.
          now: pending.now,
          // Resumed, not wiped and replayed: the sessions a stopped replay stored (its in-flight ones
          // finished: runVisits starts no new session once aborted, and close() waits for them) are skipped
          // by their seeded ids, so nothing is doubled, while a wipe would have to delete events from
          // ClickHouse and every rollup fed by them, and orders from the database, and race the log
          // shipping the stopped run's last events. The log is flushed first so those events are counted.
          // A session cut by a crash (SIGKILL) mid-way stays cut short rather than being played twice.
          ...(resuming
            ? {
                recorded: async (ids: readonly string[]) => {
                  await untilAborted(deps.migrationsApplied, signal);
                  await untilAborted(deps.events.flush(), signal);
                  return queryRecordedSessions(deps.ch, { merchantId: pending.merchantId, sessionIds: ids });
                },
              }
            : {}),
        },
      );
      logger.info(
        {
          sessions: result.stats.sessions,
          skipped: result.skipped,
          planned: result.visits,
          complete: result.complete,
          requests: result.stats.requests,
          orders: result.stats.ordersPlaced,
          ms: Math.round(result.elapsedMs),
        },
        result.complete ? 'demo history replayed' : 'demo history stopped; the next start resumes it',
      );
      if (result.complete) marker = await writeDemoHistoryMarker(file, { ...pending, state: 'complete' });
      return result;
    })().catch((error: unknown) => {
      if (signal.aborted) {
        logger.info({}, 'demo history replay stopped before it began; the next start resumes it');
      } else {
        logger.error({ err: error }, 'demo history replay failed; the next start tries again');
      }
      return null;
    });
    return run;
  };

  return {
    start,
    close: async () => {
      abort.abort();
      await run;
    },
  };
}

/** The promise, or an AbortError as soon as the signal fires (a wait on ClickHouse must not hold a shutdown). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
