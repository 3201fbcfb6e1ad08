import { z } from 'zod';

/**
 * The stages of a verified, recorded turn, in the order a request meets them. A profile sample belongs
 * to the innermost frame on its stack that one of these rules claims: the dialog's database call is the
 * dialog's, the SHA-256 under the verifier is verification's, ask-sdk-core's own dispatch is "HTTP + SDK".
 */
export const STAGES = [
  {
    stage: 'chDB ingest',
    urls: [
      /node_modules\/chdb\//,
      /packages\/analytics\/src\/(clickhouse|clickhouse-inserter|segment-shipper)\.ts/,
    ],
  },
  {
    stage: 'recording + WAL',
    urls: [
      /packages\/analytics\/src\/(wal|wal-appender|event-writer|event-row|busy-segment-hold|writer-metrics)\.ts/,
      /packages\/skill\/src\/recording\//,
      /packages\/core\/src\/(events|record-event)\.ts/,
    ],
  },
  { stage: 'signature verification', urls: [/packages\/skill\/src\/verification\//] },
  {
    stage: 'dialog',
    urls: [
      /packages\/skill\/src\/(dialog|catalog|experiments|payments)\//,
      /packages\/core\/src\//,
      /node_modules\/@electric-sql\/pglite\//,
      /node_modules\/drizzle-orm\//,
    ],
  },
  {
    stage: 'HTTP + SDK',
    urls: [
      /node_modules\/(hono|@hono\/node-server|ask-sdk-core|ask-sdk-runtime)\//,
      /packages\/skill\/src\/app\.ts/,
      /packages\/runtime\/src\//,
      /^node:(_http|http|net|stream|internal\/(http|stream|streams|net))/,
    ],
  },
] as const;

export type Stage = (typeof STAGES)[number]['stage'] | 'garbage collection' | 'other';

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

export interface StageShare {
  stage: Stage;
  /** Share of the busy (not idle) sampled time. */
  share: number;
}

/**
 * Busy time of a V8 .cpuprofile (the main thread's: chDB's and libuv's threads are not sampled) split by
 * stage, largest first; shares add up to 1.
 */
export function splitByStage(json: unknown): { busyMs: number; shares: StageShare[] } {
  const profile = profileSchema.parse(json);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stageOfNode = new Map<number, Stage | 'idle' | 'profiler'>();

  const classify = (leaf: number): Stage | 'idle' | 'profiler' => {
    const frame = byId.get(leaf)?.callFrame;
    if (frame?.functionName === '(idle)') return 'idle';
    if (frame?.functionName === '(garbage collector)') return 'garbage collection';
    let found: Stage | undefined;
    for (let at: number | undefined = leaf; at !== undefined; at = parent.get(at)) {
      const url = byId.get(at)?.callFrame.url ?? '';
      // Starting and stopping the profiler is sampled too; it is not the server's work.
      if (url === 'node:inspector') return 'profiler';
      found ??= STAGES.find((s) => s.urls.some((re) => re.test(url)))?.stage;
    }
    return found ?? 'other';
  };

  const time = new Map<Stage, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    let stage = stageOfNode.get(id);
    if (stage === undefined) {
      stage = classify(id);
      stageOfNode.set(id, stage);
    }
    if (stage === 'idle' || stage === 'profiler') return;
    const us = profile.timeDeltas[i] ?? 0;
    busy += us;
    time.set(stage, (time.get(stage) ?? 0) + us);
  });
  const shares = [...time]
    .map(([stage, us]) => ({ stage, share: busy > 0 ? us / busy : 0 }))
    .sort((a, b) => b.share - a.share);
  return { busyMs: busy / 1000, shares };
}

/**
 * The table the benchmark prints: each stage's main-thread time per request, and what the process spent
 * besides on its other threads (fsync and file writes on libuv's pool, chDB's own threads, V8's helpers),
 * so the rows add up to the CPU per request measured over the same run.
 */
export function formatStages(
  split: { busyMs: number; shares: readonly StageShare[] },
  requests: number,
  processCpuMsPerReq: number,
): string {
  const mainMsPerReq = split.busyMs / Math.max(1, requests);
  const row = (name: string, msPerReq: number) =>
    `  ${name.padEnd(28)} ${((msPerReq / processCpuMsPerReq) * 100).toFixed(1).padStart(5)}%  ${msPerReq.toFixed(3).padStart(7)} ms/req`;
  const offMain = processCpuMsPerReq - mainMsPerReq;
  return [
    `CPU per request by stage: ${processCpuMsPerReq.toFixed(3)} ms/req for the process, ${mainMsPerReq.toFixed(3)} on its main thread (split by the profile's busy samples):`,
    ...split.shares.map((s) => row(s.stage, s.share * mainMsPerReq)),
    ...(offMain > 0 ? [row('other threads (fs, chDB, V8)', offMain)] : []),
  ].join('\n');
}
