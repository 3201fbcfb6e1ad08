import type { Target } from './ipc';
import type { LoadResult } from './load';

export const LABELS: Record<Target, string> = {
  pitchline: 'Pitchline (verify + record)',
  'bare-hono': '(a) bare Hono + ask-sdk-core',
  'express-adapter': '(b) ask-sdk-express-adapter',
};

/** The targets for this 2-core machine. */
export const TARGETS = {
  minReqPerSec: 8_000,
  maxP99Ms: 15,
  minRatioToBare: 0.6,
  minRatioToExpress: 2,
};

export interface Measurement {
  target: Target;
  load: LoadResult;
  /** Server process CPU during the measured run, in cores (1.0 = one core busy all the time). */
  serverCores: number;
  /** The load generator's own CPU during the run, in cores. */
  clientCores: number;
  peakRssBytes: number;
  rssBytes: number;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r, ri) =>
      r
        .map((cell, i) => (i === 0 || ri === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('  '),
    )
    .join('\n');
}

export function formatResults(results: readonly Measurement[]): string {
  return table([
    [
      'server',
      'req/s',
      'p50 ms',
      'p99 ms',
      'max ms',
      'non-2xx',
      'errors',
      'server CPU',
      // CPU time per answer: steadier than req/s when other work competes for the cores.
      'CPU ms/req',
      'client CPU',
      'peak RSS',
      'RSS end',
    ],
    ...results.map((m) => [
      LABELS[m.target],
      m.load.reqPerSec.toFixed(0),
      m.load.p50Ms.toFixed(2),
      m.load.p99Ms.toFixed(2),
      m.load.maxMs.toFixed(1),
      String(m.load.non2xx),
      String(m.load.errors),
      `${(m.serverCores * 100).toFixed(0)}%`,
      ((m.serverCores * m.load.durationS * 1000) / Math.max(1, m.load.ok)).toFixed(2),
      `${(m.clientCores * 100).toFixed(0)}%`,
      mb(m.peakRssBytes),
      mb(m.rssBytes),
    ]),
  ]);
}

export interface Verdict {
  label: string;
  value: string;
  pass: boolean;
}

export function verdicts(results: readonly Measurement[]): Verdict[] {
  const of = (t: Target) => results.find((m) => m.target === t);
  const pitchline = of('pitchline');
  if (!pitchline) return [];
  const out: Verdict[] = [
    {
      label: `throughput ≥ ${TARGETS.minReqPerSec} req/s`,
      value: pitchline.load.reqPerSec.toFixed(0),
      pass: pitchline.load.reqPerSec >= TARGETS.minReqPerSec,
    },
    {
      label: `p99 ≤ ${TARGETS.maxP99Ms} ms`,
      value: pitchline.load.p99Ms.toFixed(2),
      pass: pitchline.load.p99Ms <= TARGETS.maxP99Ms,
    },
  ];
  const bare = of('bare-hono');
  if (bare) {
    const ratio = pitchline.load.reqPerSec / bare.load.reqPerSec;
    out.push({
      label: `≥ ${TARGETS.minRatioToBare} × (a)`,
      value: ratio.toFixed(2),
      pass: ratio >= TARGETS.minRatioToBare,
    });
  }
  const express = of('express-adapter');
  if (express) {
    const ratio = pitchline.load.reqPerSec / express.load.reqPerSec;
    out.push({
      label: `≥ ${TARGETS.minRatioToExpress} × (b)`,
      value: ratio.toFixed(2),
      pass: ratio >= TARGETS.minRatioToExpress,
    });
  }
  return out;
}

export function formatVerdicts(list: readonly Verdict[]): string {
  return list.map((v) => `  ${v.pass ? 'PASS' : 'MISS'}  Pitchline ${v.label}: ${v.value}`).join('\n');
}
