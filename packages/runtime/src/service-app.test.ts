import { expect, it } from 'vitest';
import { createMetricsRegistry } from './metrics';
import { createServiceApp } from './service-app';

it('serves /readyz until drain(), with security headers, and keeps /metrics off in production without a token', async () => {
  const { app, drain } = createServiceApp(
    { NODE_ENV: 'production', PUBLIC_URL: 'https://shop.example' },
    { registry: createMetricsRegistry(), checks: [{ name: 'store', check: async () => true }] },
  );
  const ready = await app.request('/readyz');
  expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', checks: { store: true } }]);
  expect(ready.headers.get('strict-transport-security')).toMatch(/max-age=/);
  expect(ready.headers.get('x-content-type-options')).toBe('nosniff');
  expect((await app.request('/metrics')).status).toBe(404);

  drain();
  const draining = await app.request('/readyz');
  expect([draining.status, ((await draining.json()) as { status: string }).status]).toEqual([
    503,
    'draining',
  ]);
  expect((await app.request('/healthz')).status).toBe(200);
});

it('opens /metrics in development and counts the requests it served', async () => {
  const { app } = createServiceApp(
    { NODE_ENV: 'development' },
    { registry: createMetricsRegistry(), checks: [] },
  );
  await app.request('/healthz');
  const metrics = await app.request('/metrics');
  expect(metrics.status).toBe(200);
  expect(await metrics.text()).toMatch(/route="\/healthz"/);
});
