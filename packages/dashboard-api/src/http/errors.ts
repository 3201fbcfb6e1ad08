import type { Context } from 'hono';

/*
 * Error bodies share one shape, `{ error: <code>, … }`, so the SPA can branch on the code and show
 * the rest. 404 also stands for "belongs to another merchant": a caller learns nothing about ids
 * outside its tenant.
 */

export const notFound = (c: Context) => c.json({ error: 'not_found' as const }, 404);
export const forbidden = (c: Context, reason: string) => c.json({ error: 'forbidden' as const, reason }, 403);
export const unauthorized = (c: Context) => c.json({ error: 'unauthorized' as const }, 401);
export const conflict = (c: Context, reason: string) => c.json({ error: 'conflict' as const, reason }, 409);
