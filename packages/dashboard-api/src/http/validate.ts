import { zValidator } from '@hono/zod-validator';
import type { Context, ValidationTargets } from 'hono';
import type { z } from 'zod';

/**
 * The one answer to input a schema refused: 400 `{ error: 'invalid_request', issues }`, the issues as
 * zod reports them (path, code, message), so a form can mark the field at fault. It is zod-validator's
 * hook, so the typed client sees this 400 among each validated route's answers.
 */
export function invalidRequest(
  result: { success: true } | { success: false; error: { issues: z.core.$ZodIssue[] } },
  c: Context,
) {
  if (!result.success) {
    return c.json({ error: 'invalid_request' as const, issues: result.error.issues }, 400);
  }
}

/**
 * zod validation of one part of the request with the project's 400. The route's types (what
 * `c.req.valid` returns, what the typed client may send) come from `schema`.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, invalidRequest);
}
