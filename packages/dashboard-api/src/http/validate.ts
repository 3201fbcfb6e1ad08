import { zValidator } from '@hono/zod-validator';
import type { Context, ValidationTargets } from 'hono';
import type { z } from 'zod';

/** The project's 400: `{ error: 'invalid_request', issues }`, the issues as zod reports them. */
const refuse = (c: Context, issues: z.core.$ZodIssue[]) =>
  c.json({ error: 'invalid_request' as const, issues }, 400);

/**
 * The one answer to input a schema refused: 400 with the issues (path, code, message), so a form can
 * mark the field at fault. It is zod-validator's hook, so the typed client sees this 400 among each
 * validated route's answers.
 */
export function invalidRequest(
  result: { success: true } | { success: false; error: { issues: z.core.$ZodIssue[] } },
  c: Context,
) {
  if (!result.success) return refuse(c, result.error.issues);
}

/** The media types Hono's validator reads as JSON (other bodies reach the schema as `{}`). */
const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i;

async function unparsableJson(c: Context): Promise<boolean> {
  const media = (c.req.header('content-type') ?? '').split(';')[0]?.trim() ?? '';
  if (!JSON_MEDIA.test(media)) return false;
  try {
    // Hono keeps the body it read, so the validator parses the same text without reading it again.
    await c.req.json();
    return false;
  } catch {
    return true;
  }
}

/**
 * zod validation of one part of the request with the project's 400. The route's types (what
 * `c.req.valid` returns, what the typed client may send) come from `schema`. A JSON body that does not
 * parse gets the same 400 (one issue at the root) rather than Hono's plain-text one.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
  /** A route's own answer to input the schema refused (JSON that does not parse still gets the 400). */
  onInvalid?: (c: Context) => Response,
) {
  const check = zValidator(
    target,
    schema,
    onInvalid ? (result, c) => (result.success ? undefined : onInvalid(c)) : invalidRequest,
  );
  if (target !== 'json') return check;
  const json: typeof check = async (c, next) => {
    if (await unparsableJson(c)) {
      return refuse(c, [{ code: 'custom', path: [], message: 'the body is not valid JSON' }]);
    }
    return check(c, next);
  };
  return json;
}
