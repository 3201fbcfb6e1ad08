/**
 * The slice of a pino logger that libraries use. The deployables pass their pino logger (which has these
 * methods); libraries and tests need nothing more, and stay free of a logging dependency.
 */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** For tests and tools that want no log output. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
