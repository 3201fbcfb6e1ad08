/**
 * The subpaths of @pitchline/core whose whole import graph runs in a browser: no node:* module and no
 * other Node builtin is reachable from them. The SPA imports core only through these.
 * browser-safe.test.ts walks each graph to keep it so. The others hash with node:crypto: '.' (the
 * barrel, for Node), './ids' and './experiments' (deterministic assignment).
 */
export const BROWSER_SAFE_SUBPATHS = [
  './backoff',
  './browser-safe',
  './events',
  './experiments/definition',
  './money',
  './orders',
  './pitch-template',
  './skill-id',
  './ssml',
  './stats',
  './time-zone',
] as const;

export type BrowserSafeSubpath = (typeof BROWSER_SAFE_SUBPATHS)[number];
