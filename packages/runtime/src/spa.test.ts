import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSpaRoutes } from './spa';

let dir: string;
let app: Hono;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pitchline-spa-'));
  const dist = path.join(dir, 'dist');
  await mkdir(path.join(dist, 'assets'), { recursive: true });
  await writeFile(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(path.join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(path.join(dir, 'secret.txt'), 'outside dist');
  // As the server mounts it: the API and other routes first, the SPA last.
  app = new Hono();
  app.get('/api/status', (c) => c.json({ ready: true }));
  app.route('/', createSpaRoutes({ distDir: dist }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('serves built files with their type, hashed assets cached for good', async () => {
  const res = await app.request('/assets/index-abc.js');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
  expect(res.headers.get('cache-control')).toContain('immutable');
  expect(await res.text()).toBe('console.log(1)');
});

it('answers client-side routes with index.html, revalidated on each visit', async () => {
  for (const p of [
    '/',
    '/experiments',
    '/experiments/0193-abc/edit',
    // Alexa session ids hold dots: a transcript's address must reload, not 404.
    '/conversations/amzn1.echo-api.session.0b7c3d2e-5f6a-4b8c-9d0e-1f2a3b4c5d6e',
    `/conversations/${encodeURIComponent('amzn1.echo-api.session.demo-42')}`,
  ]) {
    const res = await app.request(p);
    expect(res.status, p).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('id="root"');
  }
});

it('leaves the API, the skill and ops paths alone, and 404s missing files', async () => {
  expect((await app.request('/api/status')).status).toBe(200);
  for (const p of [
    '/api/nope',
    '/alexa',
    '/webhooks/stripe',
    '/metrics',
    '/assets/gone.js',
    '/assets/gone',
    '/favicon.ico',
    '/robots.txt',
    '/index-old.JS',
    '/styles.css',
    '/logo.png',
  ]) {
    expect((await app.request(p)).status, p).toBe(404);
  }
  expect((await app.request('/experiments', { method: 'POST' })).status).toBe(404);
});

it('never serves a file outside the build directory', async () => {
  for (const p of [
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
  ]) {
    const res = await app.request(p);
    expect(await res.text(), p).not.toContain('outside dist');
  }
});
