import { formatNumber } from './format';

/*
 * The API refuses a bad body with zod's issues: a 0-based path and zod's generic English
 * ("variants › 0 › weight: Too small: expected number to be >=1"). A person reads a sentence about
 * the field they see: "Variant 1 weight must be at least 1." Messages the server words itself (core's
 * clauses, e.g. 'variant key "control" is used twice') keep their words behind the field's name.
 */

export type Issue = { path: readonly (string | number)[]; message: string };

/** Field names as the forms label them. */
const FIELDS: Record<string, string> = {
  key: 'key',
  name: 'name',
  hypothesis: 'hypothesis',
  template: 'pitch',
  weight: 'weight',
  isControl: 'control choice',
  scope: 'scope',
  kind: 'kind',
  productId: 'product',
  category: 'category',
  conversionWindowHours: 'conversion window',
  revenueCapQuantile: 'revenue cap',
  primaryMetric: 'primary metric',
  guardrailMetrics: 'guardrails',
  secondaryMetrics: 'secondary metrics',
  mode: 'allocation',
  holdoutPercent: 'holdout',
  banditFloor: 'bandit floor',
  variants: 'variants',
  email: 'e-mail address',
  password: 'password',
  role: 'role',
  scopes: 'scopes',
  expiresInDays: 'lifetime',
  skillId: 'skill id',
  shippedVariantKey: 'shipped variant',
};

/** A list's items by what the list holds: "variants", 0 → "Variant 1". */
const ITEMS: Record<string, string> = {
  variants: 'Variant',
  steps: 'Step',
  exclusions: 'Exclusion',
  filters: 'Filter',
  guardrailMetrics: 'Guardrail',
  scopes: 'Scope',
};

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const sentence = (s: string) => {
  const c = capitalize(s.trim());
  return /[.!?]$/.test(c) ? c : `${c}.`;
};

/** The field an issue is about, as a person names it: "Variant 1 weight", "Conversion window". */
export function fieldLabel(path: readonly (string | number)[]): string {
  const words: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    const next = path[i + 1];
    if (typeof part === 'string' && typeof next === 'number') {
      words.push(`${ITEMS[part] ?? capitalize(FIELDS[part] ?? part)} ${next + 1}`);
      i++;
    } else if (typeof part === 'number') words.push(`item ${part + 1}`);
    // A scope's parts read as the scope's: "scope.productId" → "product".
    else if (part === 'scope' && i < path.length - 1) continue;
    else words.push(FIELDS[part as string] ?? String(part));
  }
  return capitalize(words.join(' '));
}

const number = (raw: string) => formatNumber(Number(raw), 4);

/**
 * zod's generic message as the rest of a sentence ("must be at least 1"), or null when the message is
 * the server's own words.
 */
export function plainProblem(message: string): string | null {
  let m =
    /^Too (small|big): expected (number|bigint|int|string|array|set|date) to (?:be|have) ([<>]=?)\s*([\d.e+-]+)(?: (characters|items))?/i.exec(
      message,
    );
  if (m) {
    const [, , origin, op, raw] = m as unknown as [string, string, string, string, string];
    const n = number(raw);
    if (origin === 'string') {
      if (op === '>=' && Number(raw) <= 1) return 'cannot be empty';
      if (op.startsWith('>')) return `needs at least ${n} characters`;
      return `can have at most ${n} characters`;
    }
    if (origin === 'array' || origin === 'set') {
      if (op.startsWith('>')) return `needs at least ${n}`;
      return `can have at most ${n}`;
    }
    if (op === '>=') return `must be at least ${n}`;
    if (op === '>') return `must be more than ${n}`;
    if (op === '<=') return `must be at most ${n}`;
    return `must be less than ${n}`;
  }
  m = /^Invalid input: expected (\w+), received (\w+)/i.exec(message);
  if (m) {
    const [, expected, received] = m as unknown as [string, string, string];
    if (received === 'undefined' || received === 'null' || received === 'NaN')
      return expected === 'number' || expected === 'int' ? 'needs a number' : 'is missing';
    if (expected === 'int') return 'must be a whole number';
    if (expected === 'number') return 'must be a number';
    return 'has the wrong kind of value';
  }
  if (/^Invalid (option|input): expected one of/i.test(message)) return 'must be one of the options offered';
  if (/^Invalid email/i.test(message)) return 'must be an e-mail address';
  if (/^Invalid (UUID|GUID)/i.test(message)) return 'is not a valid id';
  if (/^Invalid url/i.test(message)) return 'must be a web address (https://…)';
  if (/^Invalid string: must match pattern/i.test(message)) return 'is not in the expected form';
  if (/^Unrecognized keys?:/i.test(message)) return 'has a field the server does not know';
  return null;
}

/**
 * One issue as a sentence. `whole` names what an issue without a path is about ("experiment").
 */
export function plainIssue(issue: Issue, whole?: string): string {
  const label = issue.path.length > 0 ? fieldLabel(issue.path) : whole ? capitalize(whole) : '';
  const problem = plainProblem(issue.message);
  if (problem) return sentence(label ? `${label} ${problem}` : `This ${problem}`);
  return label ? `${label}: ${sentence(issue.message)}` : sentence(issue.message);
}
