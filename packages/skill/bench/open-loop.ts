import { Agent, request } from 'node:http';
import type { PoolRequest } from './pool';

export interface OpenLoopOptions {
  /** Requests per second offered, whatever the server's pace. */
  ratePerSec: number;
  durationS: number;
  /** Connections the generator may open; a request waits (and its latency grows) when all are busy. */
  maxConnections?: number;
}

export interface OpenLoopResult {
  offeredPerSec: number;
  /** Answers per second actually received over the run. */
  achievedPerSec: number;
  sent: number;
  ok: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /**
   * Requests that left the generator more than 5 ms after their due time: its own lag, beyond the
   * millisecond or so that Node's timers are late by anyway (their latency still counts from due time).
   */
  lateStarts: number;
  /** Every latency, ascending, in milliseconds from the request's due time. */
  latenciesMs: Float64Array;
}

/** Beyond timer granularity: see OpenLoopResult.lateStarts. */
const LATE_MS = 5;

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

/**
 * An open-loop load generator: request i is due at start + i / rate, sent then whether or not earlier
 * answers came back, and its latency is counted from when it was DUE, not from when it left. A server that
 * stalls for 200 ms therefore shows every request due in those 200 ms as slow, as a shopper would feel it;
 * a closed-loop tool (autocannon, wrk) waits with its next request and so hides them (coordinated
 * omission). The pool is walked in order, wrapping around.
 */
export async function runOpenLoop(
  port: number,
  pool: readonly PoolRequest[],
  options: OpenLoopOptions,
): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxConnections ?? 256 });
  const total = Math.max(1, Math.round(options.ratePerSec * options.durationS));
  const intervalMs = 1000 / options.ratePerSec;
  const latencies = new Float64Array(total);
  let ok = 0;
  let failed = 0;
  let sent = 0;
  let lateStarts = 0;
  let answered = 0;
  const started = performance.now();
  let finish!: () => void;
  const allAnswered = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const send = (index: number, dueAt: number) => {
    const item = pool[index % pool.length] as PoolRequest;
    const body = Buffer.from(item.body);
    const done = (success: boolean) => {
      latencies[index] = performance.now() - dueAt;
      if (success) ok++;
      else failed++;
      if (++answered === total) finish();
    };
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/alexa',
        method: 'POST',
        agent,
        headers: { ...item.headers, 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.once('end', () => done(res.statusCode === 200));
        res.once('error', () => done(false));
      },
    );
    req.once('error', () => done(false));
    req.end(body);
  };

  // Sends everything that is due, then sleeps until the next one is; timers are coarse, so a wake-up
  // may find several due at once: they all go now and keep their own due times.
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total) {
        const dueAt = started + sent * intervalMs;
        if (dueAt > now) break;
        if (now - dueAt > LATE_MS) lateStarts++;
        send(sent, dueAt);
        sent++;
      }
      if (sent >= total) return resolve();
      setTimeout(tick, Math.max(0, started + sent * intervalMs - performance.now()));
    };
    tick();
  });
  await allAnswered;
  const elapsedS = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = latencies.slice().sort();
  return {
    offeredPerSec: options.ratePerSec,
    achievedPerSec: ok / elapsedS,
    sent,
    ok,
    failed,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    p999Ms: percentile(sorted, 0.999),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
    lateStarts,
    latenciesMs: sorted,
  };
}
