import type { PitchlineDb } from '@pitchline/db';
import { resolveSkillMerchant, type SkillOwner } from './load';

export interface SkillDirectory {
  resolve(skillId: string): Promise<SkillOwner | null>;
}

/**
 * Which merchant owns a skill id is asked before every request is verified, and it almost never
 * changes, so answers (including "not ours") are kept for a short while instead of costing a query per
 * request. The merchant's payment mode rides along, so a mode changed in the dashboard takes effect
 * within the TTL. Unknown ids are remembered too, so a flood of requests for a foreign skill cannot turn into a
 * flood of queries; the map is bounded for the same reason.
 */
export function createSkillDirectory(
  db: PitchlineDb,
  options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
): SkillDirectory {
  const ttlMs = options.ttlMs ?? 30_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { at: number; answer: Promise<SkillOwner | null> }>();
  return {
    resolve(skillId) {
      const hit = entries.get(skillId);
      if (hit && now() - hit.at < ttlMs) return hit.answer;
      const answer = resolveSkillMerchant(db, skillId);
      if (!hit && entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(skillId, { at: now(), answer });
      // A failed lookup (database down) must not be remembered as an answer.
      answer.catch(() => {
        if (entries.get(skillId)?.answer === answer) entries.delete(skillId);
      });
      return answer;
    },
  };
}
