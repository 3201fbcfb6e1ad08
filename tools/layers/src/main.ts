/**
 * `npm run check:layers`: fails when the code breaks the monorepo's layering (see check.ts for the rules).
 * Run from anywhere inside the repository; it checks the whole tree.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkRepo, formatViolations } from './check';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const violations = checkRepo(root);
if (violations.length > 0) {
  process.stderr.write(`${formatViolations(violations)}\n\nlayering: ${violations.length} violation(s)\n`);
  process.exit(1);
}
process.stdout.write('layering: apps import packages only, packages no app; env, SQL and core rules hold\n');
