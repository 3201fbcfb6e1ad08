import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runOpenLoop } from './open-loop';
import type { PoolRequest } from './pool';

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

/** Answers at once, except that it stops answering for `stallMs` once, `stallAfterMs` after its first request. */
async function stallingServer(stallAfterMs: number, stallMs: number) {
  let first: number | undefined;
  let received = 0;
  server = createServer((req, res) => {
    received++;
    req.resume();
    const now = performance.now();
    first ??= now;
    const stallStart = first + stallAfterMs;
    const wait = now >= stallStart && now < stallStart + stallMs ? stallStart + stallMs - now : 0;
    setTimeout(() => res.end('{}'), wait);
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, received: () => received };
}

const pool: PoolRequest[] = [
  { kind: 'launch', body: '{}', headers: { 'content-type': 'application/json' }, expect: /./ } as PoolRequest,
];

describe('runOpenLoop', () => {
  it('keeps sending on schedule through a stall and counts every request due in it as slow', async () => {
    const target = await stallingServer(300, 300);
    const result = await runOpenLoop(target.port, pool, { ratePerSec: 100, durationS: 1.2 });
    expect(result.sent).toBe(120);
    expect(target.received()).toBe(120);
    expect(result.ok).toBe(120);
    // ~30 requests were due during the 300 ms stall: each waited for its end, counted from its due time.
    // A closed-loop client with one connection would have counted one slow request and sent fewer.
    const slow = result.latenciesMs.filter((ms) => ms > 100).length;
    expect(slow).toBeGreaterThanOrEqual(15);
    expect(result.p99Ms).toBeGreaterThan(150);
    expect(result.p50Ms).toBeLessThan(50);
  });

  it('counts failures when nothing listens', async () => {
    const target = await stallingServer(0, 0);
    const { port } = target;
    server?.close();
    await new Promise((r) => setTimeout(r, 50));
    const result = await runOpenLoop(port, pool, { ratePerSec: 50, durationS: 0.2 });
    expect(result.failed).toBe(result.sent);
    expect(result.ok).toBe(0);
  });
});
