/** The slice of a pino logger the skill uses; anything with these methods will do. */
export interface SkillLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: SkillLogger = { info() {}, warn() {}, error() {} };
