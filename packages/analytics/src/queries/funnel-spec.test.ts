import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BROWSER_SAFE_SUBPATHS } from '@pitchline/core/browser-safe';
import { describe, expect, it } from 'vitest';
import { FUNNEL_DEFAULTS, FUNNEL_LIMITS, funnelSpecSchema } from './funnel-spec';

const here = dirname(fileURLToPath(import.meta.url));
const MERCHANT = '0195a3c4-1111-7000-8000-000000000001';

/** The modules a file loads at run time, followed through relative imports (type-only ones are erased). */
function runtimeImports(
  file: string,
  seen = new Set<string>(),
): { files: Set<string>; packages: Set<string> } {
  const packages = new Set<string>();
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const m of source.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?\sfrom\s+'([^']+)';/gms)) {
    const [, typeOnly, specifier = ''] = m;
    if (typeOnly) continue;
    if (!specifier.startsWith('.')) {
      packages.add(specifier);
      continue;
    }
    const next = resolve(dirname(file), `${specifier}.ts`);
    if (seen.has(next)) continue;
    for (const p of runtimeImports(next, seen).packages) packages.add(p);
  }
  return { files: seen, packages };
}

describe('funnel spec (@pitchline/analytics/funnel-spec)', () => {
  it("loads nothing but zod and core's browser-safe subpaths, so the browser can import it", () => {
    const { files, packages } = runtimeImports(join(here, 'funnel-spec.ts'));
    expect([...packages].sort()).toEqual(['@pitchline/core/events', 'zod']);
    for (const p of packages)
      if (p.startsWith('@pitchline/core'))
        expect(BROWSER_SAFE_SUBPATHS).toContain(`.${p.slice('@pitchline/core'.length)}`);
    expect([...files].map((f) => f.slice(here.length + 1)).sort()).toEqual([
      'calendar-date.ts',
      'funnel-spec.ts',
      'params.ts',
    ]);
  });

  it('is what the package publishes under that subpath', () => {
    const pkg = JSON.parse(readFileSync(join(here, '../../package.json'), 'utf8')) as {
      exports: Record<string, string>;
    };
    expect(pkg.exports['./funnel-spec']).toBe('./src/queries/funnel-spec.ts');
  });

  it('fills in FUNNEL_DEFAULTS and enforces FUNNEL_LIMITS', () => {
    const step = { type: 'session_start' };
    const base = { merchantId: MERCHANT, from: '2026-01-01', to: '2026-01-31', steps: [step, step] };
    expect(funnelSpecSchema.parse(base)).toMatchObject(FUNNEL_DEFAULTS);
    const tooMany = (n: number) => Array.from({ length: n }, () => step);
    expect(funnelSpecSchema.safeParse({ ...base, steps: tooMany(FUNNEL_LIMITS.maxSteps) }).success).toBe(
      true,
    );
    expect(funnelSpecSchema.safeParse({ ...base, steps: tooMany(FUNNEL_LIMITS.maxSteps + 1) }).success).toBe(
      false,
    );
    expect(funnelSpecSchema.safeParse({ ...base, steps: tooMany(FUNNEL_LIMITS.minSteps - 1) }).success).toBe(
      false,
    );
    const window = (windowSeconds: number) => funnelSpecSchema.safeParse({ ...base, windowSeconds }).success;
    expect(window(FUNNEL_LIMITS.maxWindowSeconds)).toBe(true);
    expect(window(FUNNEL_LIMITS.maxWindowSeconds + 1)).toBe(false);
    const values = (n: number, length = 1) =>
      funnelSpecSchema.safeParse({
        ...base,
        steps: [
          { type: 'turn', filters: [{ field: 'intent', values: Array(n).fill('x'.repeat(length)) }] },
          step,
        ],
      }).success;
    expect(values(FUNNEL_LIMITS.maxValuesPerFilter, FUNNEL_LIMITS.maxValueLength)).toBe(true);
    expect(values(FUNNEL_LIMITS.maxValuesPerFilter + 1)).toBe(false);
    expect(values(1, FUNNEL_LIMITS.maxValueLength + 1)).toBe(false);
  });
});
