import { z } from 'zod';
import type { AmazonConfig } from './config';
import { AmazonError, fetchAmazon } from './errors';

/* The two Skill Management API calls ownership needs: the account's vendors, and each vendor's skills. */

const vendorsAnswer = z.object({ vendors: z.array(z.object({ id: z.string().min(1) })) });
const skillsPage = z.object({
  skills: z
    .array(
      z.object({
        skillId: z.string().min(1),
        nameByLocale: z.record(z.string(), z.string()).optional(),
      }),
    )
    .default([]),
  isTruncated: z.boolean().optional(),
  nextToken: z.string().optional(),
});

/** A page bound: SMAPI pages by 50 at most; 100 pages is 5,000 skills, far beyond any real account. */
const MAX_PAGES = 100;

export type ListedSkill = { id: string; name: string };

async function getJson<T>(config: AmazonConfig, path: string, accessToken: string, schema: z.ZodType<T>) {
  const res = await fetchAmazon(
    new URL(path, config.smapiUrl).toString(),
    { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } },
    config.timeoutMs ?? 10_000,
  );
  if (res.status === 401) throw new AmazonError('unauthorized', 'the Skill Management API refused the token');
  if (!res.ok)
    throw new AmazonError(
      'smapi',
      `the Skill Management API answered ${res.status} to ${path.split('?')[0]}`,
    );
  const parsed = schema.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success)
    throw new AmazonError('smapi', `the Skill Management API answered an unexpected ${path.split('?')[0]}`);
  return parsed.data;
}

/**
 * Every skill of every vendor the account belongs to, each id once (SMAPI lists a skill once per stage,
 * development and live). The name is the en-US one when there is one, else the first locale's.
 */
export async function listAccountSkills(config: AmazonConfig, accessToken: string): Promise<ListedSkill[]> {
  const { vendors } = await getJson(config, '/v1/vendors', accessToken, vendorsAnswer);
  const found = new Map<string, string>();
  for (const vendor of vendors) {
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams({ vendorId: vendor.id, maxResults: '50' });
      if (nextToken) query.set('nextToken', nextToken);
      const answer = await getJson(config, `/v1/skills?${query}`, accessToken, skillsPage);
      for (const skill of answer.skills) {
        const names = skill.nameByLocale ?? {};
        const name = names['en-US'] ?? Object.values(names)[0] ?? skill.skillId;
        if (!found.has(skill.skillId)) found.set(skill.skillId, name);
      }
      nextToken = answer.nextToken;
      if (!nextToken) break;
    }
  }
  return [...found].map(([id, name]) => ({ id, name }));
}
