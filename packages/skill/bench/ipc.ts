import { z } from 'zod';

/**
 * Messages between the benchmark (parent, load generator) and a server child. Each server runs in a
 * process of its own so autocannon never shares the server's event loop.
 */

export const TARGETS = ['pitchline', 'bare-hono', 'express-adapter', 'express-verified'] as const;
export type Target = (typeof TARGETS)[number];

const pitchlineConfig = z.object({
  target: z.literal('pitchline'),
  /** The child's own directory: PGlite copy, chDB data, write-ahead log. */
  dataDir: z.string(),
  /** An initialized, migrated and seeded PGlite `postgres` directory, copied into dataDir. */
  seedPostgresDir: z.string(),
  caPem: z.string(),
  /** Certificate chain URL → PEM, served instead of a download (development CA). */
  chains: z.record(z.string(), z.string()),
  fsync: z.boolean(),
});

const expressConfig = z.object({
  target: z.enum(['express-adapter', 'express-verified']),
  dataDir: z.string(),
  seedPostgresDir: z.string(),
  /**
   * For 'express-verified': certificate chain URL → PEM, put in the adapter's own certificate cache
   * (as Pitchline is handed the same chain instead of a download), so its signature and timestamp
   * verifiers run on every request as they would in production after the first download.
   */
  chains: z.record(z.string(), z.string()).optional(),
});

const bareConfig = z.object({ target: z.literal('bare-hono') });

export const childConfigSchema = z.discriminatedUnion('target', [pitchlineConfig, expressConfig, bareConfig]);
export type ChildConfig = z.infer<typeof childConfigSchema>;
export type PitchlineChildConfig = z.infer<typeof pitchlineConfig>;
export type ExpressChildConfig = z.infer<typeof expressConfig>;

/** Counters a server reports when it stops (events recorded, dialog errors …). */
export const serverStatsSchema = z.record(z.string(), z.number());
export type ServerStats = z.infer<typeof serverStatsSchema>;

export const toChildSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), config: childConfigSchema }),
  z.object({ type: z.literal('usage') }),
  /** V8's CPU profiler (what node --cpu-prof uses), over the measured run only. */
  z.object({ type: z.literal('profile-start') }),
  z.object({ type: z.literal('profile-stop'), path: z.string() }),
  z.object({ type: z.literal('stop') }),
]);
export type ToChild = z.infer<typeof toChildSchema>;

export const usageSchema = z.object({
  /** process.cpuUsage(), microseconds. */
  cpuUserUs: z.number(),
  cpuSystemUs: z.number(),
  rssBytes: z.number(),
  heapUsedBytes: z.number(),
});
export type Usage = z.infer<typeof usageSchema>;

export const fromChildSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), port: z.number().int().positive() }),
  z.object({ type: z.literal('usage'), usage: usageSchema }),
  z.object({ type: z.literal('profiling') }),
  z.object({ type: z.literal('profile'), path: z.string() }),
  z.object({ type: z.literal('stopped'), stats: serverStatsSchema }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type FromChild = z.infer<typeof fromChildSchema>;
