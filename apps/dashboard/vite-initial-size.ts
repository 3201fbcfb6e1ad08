import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/**
 * Prints the JavaScript a first visit downloads (the entry chunk and what it imports statically,
 * gzipped) and fails the build above the budget: lazy pages do not count until they are opened.
 */
export function initialSizeBudget(limitKb: number): Plugin {
  return {
    name: 'pitchline-initial-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map<string, { code: string; imports: string[]; isEntry: boolean }>();
      for (const [file, out] of Object.entries(bundle)) {
        if (out.type === 'chunk')
          chunks.set(file, { code: out.code, imports: out.imports, isEntry: out.isEntry });
      }
      const seen = new Set<string>();
      const visit = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        for (const next of chunks.get(file)?.imports ?? []) visit(next);
      };
      for (const [file, chunk] of chunks) if (chunk.isEntry) visit(file);
      let bytes = 0;
      for (const file of seen) bytes += gzipSync(chunks.get(file)?.code ?? '').length;
      const kb = bytes / 1024;
      const line = `initial JS: ${kb.toFixed(1)} KB gzipped in ${seen.size} chunk(s) (budget ${limitKb} KB)`;
      if (kb > limitKb) this.error(line);
      this.info(line);
    },
  };
}
