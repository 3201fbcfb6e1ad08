import type { PitchlineEvent } from '@pitchline/core';

/** The slice of a pino logger payments use (structurally the same as the skill's other loggers). */
export interface PaymentsLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentPaymentsLogger: PaymentsLogger = { info() {}, warn() {}, error() {} };

/** Where events go (the EventWriter's `record`); injected so payments never import analytics. */
export type RecordEvent = (event: PitchlineEvent) => Promise<void>;
