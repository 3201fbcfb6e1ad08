import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from './logger';

/**
 * The deployables' last answer. A Hono HTTPException is the framework refusing the request (a malformed
 * body, a body over a limit): its 4xx stands, as the project's JSON error, and it is no server fault to
 * log with a stack. Anything else is a bug: logged with its stack and answered 500 without details.
 */
export function errorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    if (error instanceof HTTPException && error.status < 500) {
      return c.json(
        { error: 'invalid_request', reason: error.message || 'the request was refused' },
        error.status,
      );
    }
    logger.error({ err: error, path: c.req.path }, 'unhandled error');
    return c.json({ error: 'internal_error' }, 500);
  };
}
