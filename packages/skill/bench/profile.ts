import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** The parts of a V8 .cpuprofile (node --cpu-prof) this summary reads. */
const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

export interface ProfileLine {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  /** Sampled time, idle included. */
  totalMs: number;
  /** Sampled time the thread was not idle: the shares below are of this. */
  busyMs: number;
  /** Time spent in the function itself. */
  selfByFunction: ProfileLine[];
  /** Self time grouped by package (node_modules/<pkg>), our source directory, or Node/V8. */
  selfByArea: ProfileLine[];
  /** Time with the function anywhere on the stack (inclusive), for our own code and key libraries. */
  inclusiveByFunction: ProfileLine[];
}

/** Where a frame's code lives: an npm package, a directory of ours, or the runtime. */
export function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  const ours = /\/(apps|packages)\/([^/]+)\/(src|bench)\/(?:([^/]+)\/)?/.exec(url);
  if (ours)
    return `${ours[1]}/${ours[2]}/${ours[3]}${ours[4] && !ours[4].includes('.') ? `/${ours[4]}` : ''}`;
  if (url.startsWith('node:')) return 'node:*';
  return url.replace(/^file:\/\//, '');
}

function frameName(frame: { functionName: string; url: string; lineNumber: number }): string {
  const file = frame.url.replace(/^.*\/(node_modules|apps|packages)\//, '$1/').replace(/^file:\/\//, '');
  return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
}

function top(map: Map<string, number>, totalMs: number, n: number): ProfileLine[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: us / 1000, share: us / 1000 / totalMs }));
}

export function summarizeProfile(json: unknown, topN = 25): ProfileSummary {
  const profile = profileSchema.parse(json);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<string, number>();
  const area = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    const stack = new Set<string>();
    let profiler = false;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)?.callFrame;
      if (!f || f.url === '') continue;
      // Starting the profiler is sampled too; it is not the server's work.
      if (f.url === 'node:inspector') profiler = true;
      stack.add(frameName(f));
    }
    if (profiler) return;
    totalUs += us;
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      return;
    }
    const name = frameName(frame);
    self.set(name, (self.get(name) ?? 0) + us);
    const where = areaOf(frame.url, frame.functionName);
    area.set(where, (area.get(where) ?? 0) + us);
    for (const key of stack) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  });
  const busyMs = (totalUs - idleUs) / 1000;
  return {
    totalMs: totalUs / 1000,
    busyMs,
    selfByFunction: top(self, busyMs, topN),
    selfByArea: top(area, busyMs, topN),
    inclusiveByFunction: top(inclusive, busyMs, topN * 2),
  };
}

export async function readProfileSummary(path: string, topN?: number): Promise<ProfileSummary> {
  return summarizeProfile(JSON.parse(await readFile(path, 'utf8')), topN);
}

export function formatProfile(summary: ProfileSummary): string {
  const lines = (title: string, items: ProfileLine[]) => [
    title,
    ...items.map(
      (l) => `  ${(l.share * 100).toFixed(1).padStart(5)}%  ${l.ms.toFixed(0).padStart(7)} ms  ${l.name}`,
    ),
  ];
  return [
    `CPU profile of the Pitchline server over the measured run: ${(summary.busyMs / 1000).toFixed(1)} s busy ` +
      `of ${(summary.totalMs / 1000).toFixed(1)} s sampled (shares are of busy time; sampling is wall-clock, so a ` +
      'busy machine smears time across whatever was on the stack)',
    ...lines('self time by area:', summary.selfByArea),
    ...lines('self time by function:', summary.selfByFunction),
    ...lines('inclusive time (on the stack):', summary.inclusiveByFunction),
  ].join('\n');
}
