import { pgError } from '../pg-error';

/**
 * Why an experiment operation was refused. Callers map `code` to HTTP: not_found → 404 (also for
 * another merchant's experiment, so ids leak nothing), invalid → 422, conflict → 409.
 */
export type ExperimentErrorCode = 'not_found' | 'invalid' | 'conflict';

export class ExperimentError extends Error {
  constructor(
    readonly code: ExperimentErrorCode,
    /** Every reason, for the dashboard to show together. */
    readonly reasons: string[],
  ) {
    super(reasons.join('; ') || code);
    this.name = 'ExperimentError';
  }
}

export const notFound = () => new ExperimentError('not_found', ['no such experiment']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from URLs: a malformed one is "not found", not a database error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Postgres unique_violation of the named constraint, through drizzle's wrapping. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const { code, constraint: name } = pgError(error);
  return code === '23505' && name === constraint;
}
