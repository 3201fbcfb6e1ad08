import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';

/**
 * zod validation with the project's 400 body: `{ error: 'invalid_request', issues }`, the issues as
 * zod reports them (path, code, message), so a form can mark the field at fault.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result, c) => {
    if (!result.success) {
      return c.json({ error: 'invalid_request' as const, issues: result.error.issues }, 400);
    }
  });
}
