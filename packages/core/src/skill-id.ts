import { z } from 'zod';

/**
 * Amazon's skill ids are `amzn1.ask.skill.` and a lower-case UUID; the skill matches incoming requests
 * by exact id, so a typo would make the skill silently answer nobody. Case is folded because Amazon
 * never issues upper-case ids and a pasted one should still match. One rule for the store (which judges)
 * and the SPA (which flags a typo while typing).
 */
export const SKILL_ID_PATTERN =
  /^amzn1\.ask\.skill\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const skillIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(SKILL_ID_PATTERN, 'a skill id looks like amzn1.ask.skill.xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx');

/** What is wrong with a typed skill id, in words for the form; null when nothing (or nothing yet). */
export function skillIdProblem(value: string): string | null {
  const id = value.trim().toLowerCase();
  if (id === '') return null;
  if (!id.startsWith('amzn1.ask.skill.')) return 'A skill id starts with amzn1.ask.skill.';
  if (!SKILL_ID_PATTERN.test(id))
    return 'After amzn1.ask.skill. comes a UUID: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx';
  return null;
}
