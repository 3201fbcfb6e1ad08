import { backoffDelay } from '@pitchline/core/backoff';

/**
 * Runs a task until it succeeds, waiting longer after each failure (core's jittered backoff, from 0.5–1 s
 * up to 15–30 s), for work a process cannot serve without but must not crash over (ClickHouse
 * migrations while it is down). Several instances that lost ClickHouse together do not retry in step.
 */
export function retryForever(task: () => Promise<void>, onError: (error: unknown, delayMs: number) => void) {
  let cancelled = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = (failures: number) => {
    task().catch((error) => {
      if (cancelled) return;
      const delayMs = Math.round(backoffDelay(failures + 1, 1_000, 30_000));
      onError(error, delayMs);
      timer = setTimeout(() => attempt(failures + 1), delayMs);
    });
  };
  attempt(0);
  return {
    cancel: () => {
      cancelled = true;
      clearTimeout(timer);
    },
  };
}
