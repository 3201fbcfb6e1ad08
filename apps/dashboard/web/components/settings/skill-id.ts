/*
 * The same rule the server applies (packages/db merchant-settings.ts), repeated here only to flag a typo
 * while typing; the server stays the judge and its refusal is shown as it says it.
 */
const SKILL_ID = /^amzn1\.ask\.skill\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const SKILL_ID_HINT =
  'amzn1.ask.skill. followed by the id Amazon shows in the Alexa developer console';

export function skillIdProblem(value: string): string | null {
  const id = value.trim().toLowerCase();
  if (id === '') return null;
  if (!id.startsWith('amzn1.ask.skill.')) return 'A skill id starts with amzn1.ask.skill.';
  if (!SKILL_ID.test(id)) return 'After amzn1.ask.skill. comes a UUID: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx';
  return null;
}
