/**
 * Runs a task until it succeeds, waiting longer after each failure (doubling from 500 ms up to 30 s), for
 * work a process cannot serve without but must not crash over (ClickHouse migrations while it is down).
 */
export function retryForever(task: () => Promise<void>, onError: (error: unknown, delayMs: number) => void) {
  let cancelled = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = (delayMs: number) => {
    task().catch((error) => {
      if (cancelled) return;
      onError(error, delayMs);
      timer = setTimeout(() => attempt(Math.min(delayMs * 2, 30_000)), delayMs);
    });
  };
  attempt(500);
  return {
    cancel: () => {
      cancelled = true;
      clearTimeout(timer);
    },
  };
}
