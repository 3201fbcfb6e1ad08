// `npm run build`: the deployables as esbuild bundles plus the SPA's files in dist/, with a package.json
// and package-lock.json for the few runtime dependencies that cannot be bundled. `cd dist && npm ci
// --omit=dev && NODE_ENV=production node server.mjs` then runs with plain node: no tsx, no turbo.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
// --outdir elsewhere: the bundle test builds into a temp directory, never reusing a previous build.
const { values: options } = parseArgs({ options: { outdir: { type: 'string' } } });
const dist = path.resolve(options.outdir ?? path.join(root, 'dist'));

/*
 * Not bundled: chdb is a native addon (a .node file and libchdb.so), PGlite loads its wasm and data
 * files next to its own module, and pg's optional native binding is never installed.
 */
const RUNTIME_DEPENDENCIES = ['chdb', '@electric-sql/pglite'];
const EXTERNAL = [...RUNTIME_DEPENDENCIES.flatMap((name) => [name, `${name}/*`]), 'pg-native'];

/** The entries and the file each becomes. */
const ENTRIES = {
  server: 'apps/server/src/main.ts',
  skill: 'apps/skill/src/main.ts',
  dashboard: 'apps/dashboard/src/main.ts',
  'create-owner': 'apps/server/src/create-owner.ts',
  'bind-skill': 'apps/server/src/bind-skill.ts',
};

/*
 * Paths the sources find beside themselves in the repository, and where they are in dist/: the
 * relational migrations and the SPA's built files. Rewritten in the bundle, nowhere else.
 */
const RELOCATIONS = [
  {
    file: 'packages/db/src/migrate.ts',
    from: "new URL('../drizzle', import.meta.url)",
    to: "new URL('./drizzle', import.meta.url)",
  },
  {
    file: 'apps/server/src/env.ts',
    from: "new URL('../../dashboard/dist', import.meta.url)",
    to: "new URL('./web', import.meta.url)",
  },
  {
    file: 'apps/dashboard/src/env.ts',
    from: "new URL('../dist', import.meta.url)",
    to: "new URL('./web', import.meta.url)",
  },
];

const relocate = {
  name: 'relocate',
  setup(builder) {
    for (const relocation of RELOCATIONS) {
      const absolute = path.join(root, relocation.file);
      builder.onLoad(
        { filter: new RegExp(`${absolute.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) },
        async () => {
          const source = await readFile(absolute, 'utf8');
          if (!source.includes(relocation.from)) {
            throw new Error(
              `${relocation.file} no longer contains ${relocation.from}; update tools/build/build-dist.mjs`,
            );
          }
          return { contents: source.replace(relocation.from, relocation.to), loader: 'ts' };
        },
      );
    }
  },
};

/** The installed version: the one the tests ran against. */
function version(name) {
  return JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
}

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

execFileSync('npm', ['run', 'build', '-w', '@pitchline/dashboard'], { cwd: root, stdio: 'inherit' });
await cp(path.join(root, 'apps/dashboard/dist'), path.join(dist, 'web'), { recursive: true });
await cp(path.join(root, 'packages/db/drizzle'), path.join(dist, 'drizzle'), { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(
    Object.entries(ENTRIES).map(([name, entry]) => [name, path.join(root, entry)]),
  ),
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: EXTERNAL,
  plugins: [relocate],
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies bundled into ESM still call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __pitchlineCreateRequire } from 'node:module'; const require = __pitchlineCreateRequire(import.meta.url);",
  },
});

const manifest = {
  name: 'pitchline-dist',
  private: true,
  type: 'module',
  description:
    'Pitchline built for production: node server.mjs | skill.mjs | dashboard.mjs | create-owner.mjs | bind-skill.mjs',
  engines: JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')).engines,
  scripts: {
    start: 'node server.mjs',
    'start:skill': 'node skill.mjs',
    'start:dashboard': 'node dashboard.mjs',
    'create-owner': 'node create-owner.mjs',
    'bind-skill': 'node bind-skill.mjs',
  },
  dependencies: Object.fromEntries(RUNTIME_DEPENDENCIES.map((name) => [name, version(name)])),
};
await writeFile(path.join(dist, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
// The lock pins what `npm ci --omit=dev` installs in the image (resolved from the registry).
execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], {
  cwd: dist,
  stdio: 'inherit',
});
// A registry that serves only this platform's builds (a mirror, say) resolves no entry for the other
// platforms' optional packages (chdb's @chdb/lib-darwin-*); `npm ci` then reports the lock out of sync
// with the declared optional edges. An optional dependency the registry could not resolve is dropped
// from its parent's entry: nothing installs it anyway. With the public registry nothing is dropped.
const lockPath = path.join(dist, 'package-lock.json');
const lock = JSON.parse(await readFile(lockPath, 'utf8'));
for (const entry of Object.values(lock.packages)) {
  for (const name of Object.keys(entry.optionalDependencies ?? {})) {
    if (!lock.packages[`node_modules/${name}`]) delete entry.optionalDependencies[name];
  }
}
await writeFile(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(
  `built ${Object.keys(ENTRIES)
    .map((name) => `dist/${name}.mjs`)
    .join(', ')} and dist/web\n`,
);
