import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRepo, type RuleId } from './check';

/*
 * Each rule against a small monorepo written to a temporary folder: a clean tree passes, and one
 * deliberate breach of each rule is reported with its file and line.
 */

let root: string;

function write(file: string, text: string) {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
}

function workspace(dir: string, name: string, deps: string[] = []) {
  write(
    `${dir}/package.json`,
    JSON.stringify({ name, dependencies: Object.fromEntries(deps.map((d) => [d, '*'])) }),
  );
}

function cleanRepo() {
  root = mkdtempSync(path.join(tmpdir(), 'layers-'));
  write('package.json', JSON.stringify({ workspaces: ['packages/*', 'apps/*', 'tools/*'] }));
  workspace('packages/core', '@pitchline/core');
  write(
    'packages/core/src/money.ts',
    "import { createHash } from 'node:crypto';\nexport const x = createHash;\n",
  );
  workspace('packages/analytics', '@pitchline/analytics', ['@pitchline/core', '@clickhouse/client']);
  write(
    'packages/analytics/src/q.ts',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the fixture is source text holding a template
    "import '@clickhouse/client';\nexport const q = `SELECT count() FROM ${'db'}.events`;\n",
  );
  workspace('packages/skill', '@pitchline/skill', ['@pitchline/core']);
  write(
    'packages/skill/src/app.ts',
    "import { x } from '@pitchline/core';\n// process.env is not read here; SELECT * FROM comments is fine\nexport const says = 'Please select a product from the list';\nexport { x };\n",
  );
  workspace('apps/server', '@pitchline/server', ['@pitchline/skill']);
  write('apps/server/src/env.ts', 'export const port = process.env.PORT;\n');
  write(
    'apps/server/src/main.ts',
    "import '@pitchline/skill';\nimport { port } from './env';\nexport { port };\n",
  );
  write('apps/server/src/main.test.ts', 'export const child = { ...process.env, PORT: "0" };\n');
  workspace('apps/simulator', '@pitchline/simulator', ['@pitchline/core']);
  write('apps/simulator/src/cli.ts', "import '@pitchline/core';\n");
}

const rulesOf = () => checkRepo(root).map((v) => `${v.rule} ${v.file}:${v.line}`);

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('checkRepo', () => {
  it('passes a tree that keeps every rule', () => {
    cleanRepo();
    expect(checkRepo(root)).toEqual([]);
  });

  it.each<[RuleId, string, string, string]>([
    ['app-imports-app', 'apps/server/src/demo.ts', "import { run } from '@pitchline/simulator';\n", ':1'],
    ['app-imports-app', 'apps/server/src/demo.ts', "\n\nexport * from '../../simulator/src/cli';\n", ':3'],
    [
      'package-imports-app',
      'packages/skill/src/x.ts',
      "const m = await import('@pitchline/server');\n",
      ':1',
    ],
    ['reaches-into-workspace', 'packages/skill/src/x.ts', "import '../../core/src/money';\n", ':1'],
    [
      'undeclared-dependency',
      'apps/simulator/src/x.ts',
      "import type { A } from '@pitchline/analytics';\n",
      ':1',
    ],
    ['env-outside-env-module', 'packages/skill/src/x.ts', 'export const k = process.env.KEY;\n', ':1'],
    ['env-outside-env-module', 'apps/server/src/x.ts', "export const k = process['env'];\n", ':1'],
    [
      'sql-outside-store-package',
      'apps/server/src/x.ts',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the fixture is source text holding a template
      "const t = 'e';\nexport const q = `INSERT INTO ${t} VALUES`;\n",
      ':2',
    ],
    [
      'sql-outside-store-package',
      'apps/server/src/x.test.ts',
      "export const q = 'SELECT n FROM events';\n",
      ':1',
    ],
    ['clickhouse-client-outside-analytics', 'packages/skill/src/x.ts', "import 'chdb';\n", ':1'],
    ['core-not-pure', 'packages/core/src/x.ts', "import { readFile } from 'node:fs/promises';\n", ':1'],
    ['core-not-pure', 'packages/core/src/y.ts', "import { createSkillApp } from '@pitchline/skill';\n", ':1'],
  ])('reports %s (%s)', (rule, file, text, line) => {
    cleanRepo();
    write(file, text);
    expect(rulesOf()).toContain(`${rule} ${file}${line}`);
  });

  it('accepts hostile text a test marks as not SQL, on its line or the line above', () => {
    cleanRepo();
    write(
      'apps/server/src/x.test.ts',
      '// layers: not SQL (an injection attempt)\nexport const input = "\'; DROP TABLE events; --";\n',
    );
    expect(checkRepo(root)).toEqual([]);
    write('apps/server/src/x.test.ts', '\n\nexport const input = "\'; DROP TABLE events; --";\n');
    expect(rulesOf()).toEqual(['sql-outside-store-package apps/server/src/x.test.ts:3']);
  });

  it('names the dependency a package must declare, and accepts it once declared', () => {
    cleanRepo();
    write('apps/simulator/src/x.ts', "import '@pitchline/skill';\n");
    expect(checkRepo(root).map((v) => v.message)).toEqual([
      "imports @pitchline/skill, which @pitchline/simulator's package.json does not declare",
    ]);
    workspace('apps/simulator', '@pitchline/simulator', ['@pitchline/core', '@pitchline/skill']);
    expect(checkRepo(root)).toEqual([]);
  });
});
