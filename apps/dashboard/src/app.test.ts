import { describe, expect, it } from 'vitest';
import { createDashboardApp } from './app';

describe('dashboard app', () => {
  it('reports store readiness from its dependency', async () => {
    let ready = false;
    const app = createDashboardApp({ storesReady: async () => ready });
    expect(await (await app.request('/status')).json()).toEqual({ ready: false });
    ready = true;
    expect(await (await app.request('/status')).json()).toEqual({ ready: true });
  });
});
