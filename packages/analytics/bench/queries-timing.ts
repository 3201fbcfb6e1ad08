/* Timing for the query benchmark: medians of alternating rounds, so machine load hits every query alike. */

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/** One warm-up, then RUNS timed rounds; the tasks of a group alternate inside each round. */
export async function timeGroup(
  runs: number,
  tasks: Record<string, () => Promise<unknown>>,
): Promise<Record<string, number>> {
  for (const fn of Object.values(tasks)) await fn();
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
  for (let r = 0; r < runs; r++) {
    for (const [name, fn] of Object.entries(tasks)) {
      const t = performance.now();
      await fn();
      times[name]?.push(performance.now() - t);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

export const ms = (x: number) => `${x.toFixed(1)} ms`.padStart(10);
export const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
