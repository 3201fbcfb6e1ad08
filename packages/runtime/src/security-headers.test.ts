import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from './security-headers';

function appWith(options: Parameters<typeof securityHeaders>[0]) {
  const app = new Hono();
  app.use(securityHeaders(options));
  app.get('/', (c) => c.html('<!doctype html><div id="root"></div>'));
  app.get('/api/status', (c) => c.json({ ready: true }));
  return app;
}

describe('securityHeaders', () => {
  it('sets a CSP without inline script, Referrer-Policy and Permissions-Policy on pages and API answers', async () => {
    const app = appWith({ https: false });
    for (const path of ['/', '/api/status']) {
      const res = await app.request(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      const directives = new Map(
        csp.split(';').map((d) => {
          const [name = '', ...values] = d.trim().split(/\s+/);
          return [name, values] as const;
        }),
      );
      expect(directives.get('script-src'), path).toEqual(["'self'"]);
      expect(directives.get('default-src'), path).toEqual(["'self'"]);
      expect(directives.get('object-src'), path).toEqual(["'none'"]);
      expect(directives.get('frame-ancestors'), path).toEqual(["'none'"]);
      expect(directives.get('base-uri'), path).toEqual(["'none'"]);
      expect(csp).not.toMatch(/unsafe-eval/);
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('permissions-policy'), path).toMatch(/camera=\(\)/);
      expect(res.headers.get('permissions-policy'), path).toMatch(/microphone=\(\)/);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('strict-transport-security'), path).toBeNull();
    }
  });

  it('adds HSTS when the public URL is https', async () => {
    const res = await appWith({ https: true }).request('/');
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });
});
