import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** A workspace of the monorepo, classified by the folder it lives in. */
export type Workspace = {
  name: string;
  dir: string;
  /** apps deploy or run; packages are libraries; tools check the repo. */
  kind: 'app' | 'package' | 'tool';
  /** Every package it declares (dependencies, devDependencies, peerDependencies). */
  declared: Set<string>;
};

const KIND_OF_FOLDER: Record<string, Workspace['kind']> = { apps: 'app', packages: 'package', tools: 'tool' };

/** The workspaces the root package.json names (folder globs of the form `dir/*`). */
export function findWorkspaces(root: string): Workspace[] {
  const rootPackage = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    workspaces?: string[];
  };
  const workspaces: Workspace[] = [];
  for (const pattern of rootPackage.workspaces ?? []) {
    const folder = pattern.replace(/\/\*$/, '');
    const kind = KIND_OF_FOLDER[folder];
    if (!kind || pattern === folder) throw new Error(`unexpected workspace pattern ${pattern}`);
    const parent = path.join(root, folder);
    if (!existsSync(parent)) continue;
    for (const entry of readdirSync(parent)) {
      const dir = path.join(parent, entry);
      const manifest = path.join(dir, 'package.json');
      if (!statSync(dir).isDirectory() || !existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
        name: string;
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
      workspaces.push({
        name: pkg.name,
        dir,
        kind,
        declared: new Set([
          ...Object.keys(pkg.dependencies ?? {}),
          ...Object.keys(pkg.devDependencies ?? {}),
          ...Object.keys(pkg.peerDependencies ?? {}),
        ]),
      });
    }
  }
  return workspaces;
}

/** The workspace holding a file, or undefined for files outside every workspace (root configs). */
export function workspaceOf(workspaces: readonly Workspace[], file: string): Workspace | undefined {
  return workspaces.find((w) => file === w.dir || file.startsWith(`${w.dir}${path.sep}`));
}

/** Source files of a workspace: TypeScript outside node_modules and build output. */
export function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(full);
    }
  };
  walk(dir);
  return files.sort();
}
