import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BROWSER_SAFE_SUBPATHS } from '@pitchline/core/browser-safe';
import ts from 'typescript';
import { expect, it } from 'vitest';

const webRoot = fileURLToPath(new URL('..', import.meta.url));
const allowed = new Set(BROWSER_SAFE_SUBPATHS.map((subpath) => `@pitchline/core${subpath.slice(1)}`));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

// The build has no stand-in for node:crypto: core's barrel or its hashing subpaths would break it.
it('imports @pitchline/core only through its browser-safe subpaths', () => {
  const offending = sourceFiles(webRoot).flatMap((file) =>
    ts
      .preProcessFile(readFileSync(file, 'utf8'), true, true)
      .importedFiles.map((imported) => imported.fileName)
      .filter((specifier) => /^@pitchline\/core(\/|$)/.test(specifier) && !allowed.has(specifier))
      .map((specifier) => `${relative(webRoot, file)} imports ${specifier}`),
  );
  expect(offending).toEqual([]);
});
