import type { z } from 'zod';
import { formatNumber } from '../../lib/format';

/*
 * The editor's words for the issues core's experiment schema raises with zod's generic messages
 * ("Too small: expected number to be >=1"). Issues core words itself (a key's format, a reserved key,
 * a pitch's SSML) keep its words: zod prefers a schema's own message to this map.
 */

type Words = { empty?: string; wholeNumber?: boolean; unit?: string };

/** By the field an issue is about: the last name in its path. */
const FIELDS: Record<string, Words> = {
  name: { empty: 'Give the variant a name.' },
  template: { empty: 'Write the pitch.' },
  category: { empty: 'Name the category.' },
  weight: { wholeNumber: true },
  conversionWindowHours: { wholeNumber: true, unit: 'hours' },
  holdoutPercent: { wholeNumber: true },
};

const count = (n: unknown) =>
  typeof n === 'number' ? formatNumber(n, 4) : typeof n === 'bigint' ? formatNumber(Number(n), 0) : String(n);

function fieldOf(path: readonly PropertyKey[] | undefined): string {
  return [...(path ?? [])].reverse().find((p): p is string => typeof p === 'string') ?? '';
}

export const inPlainWords: z.core.$ZodErrorMap = (issue) => {
  const field = fieldOf(issue.path);
  const words = FIELDS[field] ?? {};
  const number = `${words.wholeNumber ? 'a whole number' : 'a number'}${words.unit ? ` of ${words.unit}` : ''}`;
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? field === 'name' && issue.path?.length === 1
            ? 'Give the experiment a name.'
            : (words.empty ?? 'Fill this in.')
          : `Use at least ${count(issue.minimum)} characters.`;
      if (issue.origin === 'array')
        return field === 'variants'
          ? `An experiment needs at least ${count(issue.minimum)} variants.`
          : `Choose at least ${count(issue.minimum)}.`;
      return `Use ${number}, ${issue.inclusive === false ? 'above' : 'at least'} ${count(issue.minimum)}.`;
    case 'too_big':
      if (issue.origin === 'string') return `Use at most ${count(issue.maximum)} characters.`;
      if (issue.origin === 'array')
        return field === 'variants'
          ? `An experiment has at most ${count(issue.maximum)} variants.`
          : `Choose at most ${count(issue.maximum)}.`;
      return `Use ${number}, ${issue.inclusive === false ? 'below' : 'at most'} ${count(issue.maximum)}.`;
    case 'invalid_type':
      // An emptied number field (NumberInput): ask for the number rather than call it the wrong type.
      if (typeof issue.input === 'number' && Number.isNaN(issue.input)) return `Enter ${number}.`;
      if (issue.expected === 'int') return `Use a whole number${words.unit ? ` of ${words.unit}` : ''}.`;
      if (issue.expected === 'number') return `Use ${number}.`;
      return undefined;
    case 'invalid_format':
      if (issue.format === 'uuid') return 'A product id looks like 0b7c3d2e-5f6a-4b8c-9d0e-1f2a3b4c5d6e.';
      return undefined;
    case 'invalid_value':
      return 'Choose one of the options offered.';
    default:
      return undefined;
  }
};
