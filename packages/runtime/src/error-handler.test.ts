import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { errorHandler } from './error-handler';
import { createLogger } from './logger';

function appLogging() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const app = new Hono();
  app.post('/refused', () => {
    throw new HTTPException(400, { message: 'Malformed JSON in request body' });
  });
  app.get('/bug', () => {
    throw new Error('a bug');
  });
  app.onError(errorHandler(createLogger('info', sink)));
  return { app, lines };
}

describe('errorHandler', () => {
  it("keeps the framework's 4xx as a JSON error and logs no stack for it", async () => {
    const { app, lines } = appLogging();
    const res = await app.request('/refused', { method: 'POST' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', reason: 'Malformed JSON in request body' });
    expect(lines).toEqual([]);
  });

  it('answers anything else 500 without details, and logs it', async () => {
    const { app, lines } = appLogging();
    const res = await app.request('/bug');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal_error' });
    expect(lines.map((l) => l.msg)).toEqual(['unhandled error']);
  });
});
