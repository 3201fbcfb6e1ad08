import type { ServerStats } from '../ipc';

export interface RunningServer {
  port: number;
  /** Stops listening, flushes what the server owes (recorded events) and returns its counters. */
  close(): Promise<ServerStats>;
}
