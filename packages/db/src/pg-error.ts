/**
 * The SQLSTATE and constraint of a driver error, through drizzle's wrapping (it puts the driver's error
 * in `cause`; node-postgres and PGlite alike). Undefined where the error carries none.
 */
export function pgError(error: unknown): { code: string | undefined; constraint: string | undefined } {
  const cause = (error as { cause?: unknown } | undefined)?.cause ?? error;
  const { code, constraint } = (cause ?? {}) as { code?: unknown; constraint?: unknown };
  return {
    code: typeof code === 'string' ? code : undefined,
    constraint: typeof constraint === 'string' ? constraint : undefined,
  };
}
