import type { Target } from './ipc';
import type { LoadResult } from './load';
import type { OpenLoopResult } from './open-loop';

export const LABELS: Record<Target, string> = {
  pitchline: 'Pitchline (verify + record)',
  'bare-hono': '(a) bare Hono + ask-sdk-core',
  'express-adapter': '(b) ask-sdk-express-adapter, verifiers off',
  'express-verified': '(c) ask-sdk-express-adapter, verifiers on',
};

/**
 * Issue #17's targets for a verified, recorded turn on this 2-core machine, each as a ratio to a peer
 * measured in the same run or at a load derived from this run's own maximum.
 */
export const TARGETS = {
  /** Server CPU per request, closed loop (the same durability: event log fsync on). */
  maxCpuMsPerReq: 0.15,
  /** Pitchline req/s over the express adapter's with its verifiers on. */
  minRatioToExpressVerified: 5,
  /** Pitchline req/s over bare Hono + ask-sdk-core (no verification, no recording). */
  minRatioToBare: 0.4,
  /** p99 from the due time, open loop at half of Pitchline's maximum. */
  maxOpenLoopP99Ms: 10,
  openLoopFractionForP99: 0.5,
  /** Peak RSS of the server over the run. */
  maxPeakRssMb: 600,
};

/** One open-loop run of the Pitchline server at a share of its measured maximum. */
export interface OpenLoopRun {
  fraction: number;
  result: OpenLoopResult;
  /** Server CPU over the run per answered request. */
  cpuMsPerReq: number;
  /** The run's CPU profile, when it was profiled (for the stage table). */
  profile: string | undefined;
}

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

const cpuMsPerReq = (m: Measurement) => (m.serverCores * m.load.durationS * 1000) / Math.max(1, m.load.ok);

export function verdicts(results: readonly Measurement[], openLoop: readonly OpenLoopRun[] = []): Verdict[] {
  const of = (t: Target) => results.find((m) => m.target === t);
  const pitchline = of('pitchline');
  if (!pitchline) return [];
  const out: Verdict[] = [
    {
      label: `CPU per request ≤ ${TARGETS.maxCpuMsPerReq} ms`,
      value: cpuMsPerReq(pitchline).toFixed(3),
      pass: cpuMsPerReq(pitchline) <= TARGETS.maxCpuMsPerReq,
    },
    {
      label: `peak RSS ≤ ${TARGETS.maxPeakRssMb} MB`,
      value: (pitchline.peakRssBytes / 1024 / 1024).toFixed(0),
      pass: pitchline.peakRssBytes / 1024 / 1024 <= TARGETS.maxPeakRssMb,
    },
  ];
  const ratio = (peer: Target, min: number) => {
    const other = of(peer);
    if (!other) return;
    const value = pitchline.load.reqPerSec / other.load.reqPerSec;
    out.push({ label: `≥ ${min} × ${LABELS[peer]}`, value: value.toFixed(2), pass: value >= min });
  };
  ratio('express-verified', TARGETS.minRatioToExpressVerified);
  ratio('bare-hono', TARGETS.minRatioToBare);
  const half = openLoop.find((run) => run.fraction === TARGETS.openLoopFractionForP99);
  if (half) {
    out.push({
      label: `p99 ≤ ${TARGETS.maxOpenLoopP99Ms} ms open loop at ${half.fraction * 100}% of its maximum (${half.result.offeredPerSec} req/s)`,
      value: half.result.p99Ms.toFixed(2),
      pass: half.result.p99Ms <= TARGETS.maxOpenLoopP99Ms,
    });
  }
  return out;
}

/** The open-loop runs: latency from each request's due time, so stalls are not hidden. */
export function formatOpenLoop(runs: readonly OpenLoopRun[]): string {
  return `open loop, Pitchline (latency from each request's due time: coordinated omission corrected)\n${table(
    [
      [
        'offered',
        'req/s offered',
        'req/s answered',
        'p50 ms',
        'p99 ms',
        'p99.9 ms',
        'max ms',
        'sent > 5 ms late',
        'CPU ms/req',
      ],
      ...runs.map((run) => [
        `${(run.fraction * 100).toFixed(0)}% of max`,
        String(run.result.offeredPerSec),
        run.result.achievedPerSec.toFixed(0),
        run.result.p50Ms.toFixed(2),
        run.result.p99Ms.toFixed(2),
        run.result.p999Ms.toFixed(2),
        run.result.maxMs.toFixed(1),
        String(run.result.lateStarts),
        run.cpuMsPerReq.toFixed(3),
      ]),
    ],
  )}`;
}

export function formatVerdicts(list: readonly Verdict[]): string {
  return list.map((v) => `  ${v.pass ? 'PASS' : 'MISS'}  Pitchline ${v.label}: ${v.value}`).join('\n');
}
