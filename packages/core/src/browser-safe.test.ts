import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { BROWSER_SAFE_SUBPATHS } from './browser-safe';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const exportsMap = (
  JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
    exports: Record<string, string>;
  }
).exports;

/**
 * Packages a browser-safe module may import, each checked by hand to run in a browser. A new one makes
 * this test fail until someone checks it and adds it: the walk stops at package boundaries.
 */
const BROWSER_SAFE_PACKAGES = new Set(['zod', '@date-fns/tz']);

const nodeBuiltins = new Set(builtinModules);

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

function resolveRelative(from: string, specifier: string): string {
  const base = join(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {}
  }
  throw new Error(`cannot resolve ${specifier} from ${relative(packageRoot, from)}`);
}

/** Every import reachable from `entry` that a browser cannot load, with the chain that reaches it. */
function nodeOnlyImports(entry: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const here = [...chain, relative(packageRoot, file)];
    // Type-only imports count too: they are erased today, but one edit away from a value import.
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: specifier } of importedFiles) {
      if (specifier.startsWith('.')) visit(resolveRelative(file, specifier), here);
      else if (specifier.startsWith('node:') || nodeBuiltins.has(packageName(specifier)))
        problems.push(`${here.join(' → ')} imports the Node builtin ${specifier}`);
      else if (!BROWSER_SAFE_PACKAGES.has(packageName(specifier)))
        problems.push(`${here.join(' → ')} imports ${specifier}, not known to run in a browser`);
    }
  };
  visit(join(packageRoot, entry), []);
  return problems;
}

describe('browser-safe subpaths', () => {
  it('are all exported by package.json', () => {
    for (const subpath of BROWSER_SAFE_SUBPATHS) expect(exportsMap[subpath], subpath).toBeDefined();
  });

  it.each(BROWSER_SAFE_SUBPATHS)('%s reaches no Node builtin', (subpath) => {
    expect(nodeOnlyImports(exportsMap[subpath] as string)).toEqual([]);
  });

  it('are told apart from the Node-only ones by the same walk', () => {
    // The walk must see node:crypto where it is, or an empty answer above would prove nothing.
    expect(nodeOnlyImports(exportsMap['.'] as string).join('\n')).toMatch(
      /ids\.ts imports the Node builtin node:crypto/,
    );
    expect(nodeOnlyImports(exportsMap['./experiments'] as string).join('\n')).toMatch(
      /experiments\/assignment\.ts imports the Node builtin node:crypto/,
    );
    const nodeOnly = Object.keys(exportsMap).filter(
      (subpath) => !(BROWSER_SAFE_SUBPATHS as readonly string[]).includes(subpath),
    );
    for (const subpath of nodeOnly)
      expect(nodeOnlyImports(exportsMap[subpath] as string), subpath).not.toEqual([]);
  });
});
