import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { type FileFacts, scanSource } from './scan';
import { findWorkspaces, sourceFiles, type Workspace, workspaceOf } from './workspaces';

/*
 * The house rules of the monorepo's layering, checked on every `npm test`:
 *
 *   apps/*      deployables and CLIs: may import packages, never another app
 *   packages/*  libraries: never import an app
 *   core        pure domain: imports no other workspace and does no I/O
 *
 * plus: every workspace it imports is declared in its package.json (so turbo's task graph is the real
 * dependency graph); relative imports stay inside their workspace; only an app's env module reads
 * process.env; SQL lives in the two store packages (ClickHouse in analytics, PostgreSQL in db).
 */

export type RuleId =
  | 'app-imports-app'
  | 'package-imports-app'
  | 'reaches-into-workspace'
  | 'undeclared-dependency'
  | 'env-outside-env-module'
  | 'sql-outside-store-package'
  | 'clickhouse-client-outside-analytics'
  | 'core-not-pure';

export type Violation = { rule: RuleId; file: string; line: number; message: string };

/** Where each kind of SQL may be written. Everything else asks these packages. */
const SQL_PACKAGES = new Set(['@pitchline/analytics', '@pitchline/db']);
const CLICKHOUSE_MODULES = ['@clickhouse/client', 'chdb'];
const CORE = '@pitchline/core';
/** core hashes (assignment, ids) but touches no file, socket or process. */
const CORE_ALLOWED_BUILTINS = new Set(['crypto']);

/** Tests and their helpers may pass environments to the processes they start. */
function isTestCode(file: string): boolean {
  return (
    /\.test\.tsx?$/.test(file) ||
    /\.testing\.tsx?$/.test(file) ||
    /[\\/](testing|test|e2e|faults)[\\/]/.test(file)
  );
}

/** An app's env module: a file named env.ts inside an app. */
function isEnvModule(workspace: Workspace, file: string): boolean {
  return workspace.kind === 'app' && path.basename(file) === 'env.ts';
}

function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

function builtinName(specifier: string): string | undefined {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  const root = bare.split('/')[0] as string;
  return builtinModules.includes(root) ? root : undefined;
}

export function checkRepo(root: string): Violation[] {
  const workspaces = findWorkspaces(root);
  const byName = new Map(workspaces.map((w) => [w.name, w]));
  const violations: Violation[] = [];
  for (const workspace of workspaces) {
    for (const file of sourceFiles(workspace.dir)) {
      const facts = scanSource(file, readFileSync(file, 'utf8'));
      const rel = path.relative(root, file);
      checkFile({ workspace, file, rel, facts, byName, workspaces, report: (v) => violations.push(v) });
    }
  }
  return violations;
}

function checkFile(ctx: {
  workspace: Workspace;
  file: string;
  rel: string;
  facts: FileFacts;
  byName: Map<string, Workspace>;
  workspaces: Workspace[];
  report: (v: Violation) => void;
}) {
  const { workspace, file, rel, facts, byName, workspaces, report } = ctx;
  const flag = (rule: RuleId, line: number, message: string) => report({ rule, file: rel, line, message });

  for (const { specifier, line } of facts.imports) {
    let target: Workspace | undefined;
    if (specifier.startsWith('.')) {
      const resolved = path.resolve(path.dirname(file), specifier);
      target = workspaceOf(workspaces, resolved);
      if (target && target !== workspace) {
        flag(
          'reaches-into-workspace',
          line,
          `'${specifier}' reaches into ${target.name}'s folder; import the package by its name instead`,
        );
      }
    } else {
      const name = packageNameOf(specifier);
      target = byName.get(name);
      if (target && target !== workspace && !workspace.declared.has(name)) {
        flag(
          'undeclared-dependency',
          line,
          `imports ${name}, which ${workspace.name}'s package.json does not declare`,
        );
      }
      if (CLICKHOUSE_MODULES.includes(name) && workspace.name !== '@pitchline/analytics') {
        flag(
          'clickhouse-client-outside-analytics',
          line,
          `imports ${name}: only @pitchline/analytics talks to ClickHouse`,
        );
      }
      if (workspace.name === CORE) {
        const builtin = builtinName(specifier);
        // Tests may read their fixtures from disk; the domain code they test may not.
        if (builtin && !CORE_ALLOWED_BUILTINS.has(builtin) && !isTestCode(file)) {
          flag('core-not-pure', line, `core imports ${specifier}: core is pure domain, without I/O`);
        }
        if (target && target !== workspace) {
          flag('core-not-pure', line, `core imports ${target.name}: core depends on no other workspace`);
        }
      }
    }
    if (!target || target === workspace) continue;
    if (target.kind === 'app' && workspace.kind === 'app') {
      flag(
        'app-imports-app',
        line,
        `app ${workspace.name} imports app ${target.name}; move the shared code into a package`,
      );
    } else if (target.kind === 'app') {
      flag('package-imports-app', line, `${workspace.kind} ${workspace.name} imports app ${target.name}`);
    }
  }

  if (!isTestCode(file) && !isEnvModule(workspace, file)) {
    for (const line of facts.envReads) {
      flag(
        'env-outside-env-module',
        line,
        workspace.kind === 'app'
          ? 'reads process.env outside the app’s env module (env.ts): read and validate it there'
          : `reads process.env in ${workspace.kind} ${workspace.name}: take the value as a parameter from the app’s env module`,
      );
    }
  }

  // Tools (this check's own fixtures) are not the product.
  if (!SQL_PACKAGES.has(workspace.name) && workspace.kind !== 'tool') {
    for (const { line, text } of facts.sqlLiterals) {
      flag(
        'sql-outside-store-package',
        line,
        `SQL outside @pitchline/analytics and @pitchline/db ("${text}"): add a query (or a testing helper) there`,
      );
    }
  }
}

export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.file}:${v.line}  ${v.rule}  ${v.message}`).join('\n');
}
