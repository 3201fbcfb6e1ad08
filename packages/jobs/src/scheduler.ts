import { hostname } from 'node:os';
import type { Logger } from '@pitchline/core';
import {
  claimJobRun,
  type Database,
  finishJobRun,
  type HeldLock,
  LOCK_KEYS,
  tryAdvisoryLock,
} from '@pitchline/db';

/*
 * Periodic jobs run in exactly one instance at a time among the processes sharing one PostgreSQL: the one
 * holding the scheduler's session advisory lock. A holder that dies (crash, kill -9, lost network) loses
 * the lock with its connection, and another instance takes it at its next attempt, within LOCK_POLL_MS
 * once PostgreSQL has ended the dead session (at once for a killed process on a reachable host). Each
 * run is also claimed in the job_runs ledger under (job, slot), so even a brief overlap of two holders
 * cannot run a job twice for one period. On PGlite (one process) the lock is trivially this process's.
 */

/** How often an instance without the lock tries to take it; the takeover bound in README "Deploy". */
export const LOCK_POLL_MS = 5_000;

export type PeriodicJob = {
  name: string;
  intervalMs: number;
  /** False while the job cannot run yet (say, the analytics migrations are pending): no slot is claimed. */
  ready?: () => boolean;
  run: () => Promise<unknown>;
};

export type Scheduler = {
  /** Whether this instance holds the scheduler's lock now. */
  isLeader(): boolean;
  /** The name this instance writes into the ledger. */
  instance: string;
  /** Stops scheduling, waits for a running job, releases the lock. */
  close(): Promise<void>;
};

export function startScheduler(deps: {
  database: Database;
  jobs: readonly PeriodicJob[];
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  instance?: string;
  lockPollMs?: number;
  now?: () => number;
}): Scheduler {
  const { database, jobs, logger } = deps;
  const now = deps.now ?? Date.now;
  const instance = deps.instance ?? `${hostname()}:${process.pid}`;
  const lockPollMs = deps.lockPollMs ?? LOCK_POLL_MS;
  const tickMs = Math.min(lockPollMs, ...jobs.map((job) => job.intervalMs));
  const lastSlot = new Map<string, number>();
  let lock: HeldLock | null = null;
  let closed = false;

  const ensureLock = async () => {
    if (lock?.held()) return true;
    if (lock) {
      logger.warn({ instance }, 'lost the scheduler lock (its connection broke); periodic jobs paused here');
      await lock.release();
      lock = null;
    }
    lock = await tryAdvisoryLock(database, LOCK_KEYS.scheduler);
    if (lock) logger.info({ instance }, 'this instance runs the periodic jobs (holds the scheduler lock)');
    return lock !== null;
  };

  const runDue = async () => {
    for (const job of jobs) {
      if (closed || !lock?.held()) return;
      if (job.ready && !job.ready()) continue;
      const slot = Math.floor(now() / job.intervalMs);
      if (lastSlot.get(job.name) === slot) continue;
      const runId = await claimJobRun(database.db, { job: job.name, slot: String(slot), instance });
      lastSlot.set(job.name, slot);
      if (!runId) continue;
      try {
        await job.run();
        await finishJobRun(database.db, runId);
      } catch (error) {
        logger.error({ err: error, job: job.name }, 'periodic job failed');
        await finishJobRun(database.db, runId, error instanceof Error ? error.message : String(error));
      }
    }
  };

  let ticking: Promise<void> = Promise.resolve();
  const tick = () => {
    ticking = (async () => {
      try {
        if (await ensureLock()) await runDue();
      } catch (error) {
        logger.warn({ err: error }, 'scheduler tick failed; retrying at the next one');
      }
    })();
  };
  // The next tick is set only once this one finished: a slow job never overlaps itself.
  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    if (closed) return;
    tick();
    void ticking.then(() => {
      if (!closed) {
        timer = setTimeout(loop, tickMs);
        timer.unref();
      }
    });
  };
  loop();

  return {
    instance,
    isLeader: () => lock?.held() ?? false,
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await ticking;
      await lock?.release();
      lock = null;
    },
  };
}
