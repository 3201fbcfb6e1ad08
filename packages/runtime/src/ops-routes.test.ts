import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createOpsRoutes } from './ops-routes';

const TOKEN = 'metrics-token-of-at-least-32-characters';
const ops = (metrics: Parameters<typeof createOpsRoutes>[0]['metrics']) =>
  createOpsRoutes({ checks: [], registry: new Registry(), isDraining: () => false, metrics });

describe('/metrics', () => {
  it('with a token, answers only a matching bearer', async () => {
    const app = ops({ token: TOKEN });
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(
      401,
    );
    const ok = await app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('is not served at all when switched off (production without a token)', async () => {
    const app = ops('off');
    expect((await app.request('/metrics')).status).toBe(404);
    expect((await app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
      404,
    );
    // The probes stay: a load balancer needs them.
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('is open when so configured (development without a token)', async () => {
    expect((await ops('open').request('/metrics')).status).toBe(200);
  });
});
