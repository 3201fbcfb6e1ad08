import { skillIdSchema } from '@pitchline/core';
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { PitchlineDb } from './open';
import { pgError } from './pg-error';
import { members, merchants, PAYMENT_MODES, skills } from './schema';

/*
 * A merchant's own settings: which Alexa skills answer for it, and how its checkouts are paid.
 * Every function takes the merchant from its caller (the authenticated tenant) and touches only that
 * merchant's rows: another merchant's skill id is "not found" here, as it is in the API.
 */

export type PaymentMode = (typeof PAYMENT_MODES)[number];
export const paymentModeSchema = z.enum(PAYMENT_MODES, {
  error: () => `payment mode must be one of: ${PAYMENT_MODES.join(', ')}`,
});

/** Amazon's skill id rule lives in core, shared with the SPA's form. */
export { skillIdSchema };

// Control characters would break the table and the logs the name appears in; nothing needs them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to reject them
const CONTROL = /[\u0000-\u001f\u007f]/;
export const skillNameSchema = z
  .string()
  .trim()
  .min(1, 'a skill name is required')
  .max(100, 'a skill name has at most 100 characters')
  .refine((name) => !CONTROL.test(name), 'a skill name cannot contain control characters');

export const newSkillSchema = z.strictObject({ id: skillIdSchema, name: skillNameSchema });
export type NewSkillInput = z.input<typeof newSkillSchema>;

export type SkillView = { id: string; name: string; createdAt: Date };

/**
 * Why a settings change was refused. Callers map codes to HTTP: not_found → 404 (also another
 * merchant's skill), skill_taken and skill_in_use → 409, invalid → 400.
 */
export type MerchantSettingsErrorCode = 'not_found' | 'invalid' | 'skill_taken' | 'skill_in_use';

export class MerchantSettingsError extends Error {
  constructor(
    readonly code: MerchantSettingsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MerchantSettingsError';
  }
}

/**
 * The one answer to every refused skill binding (malformed, not listed in the merchant's Amazon
 * account, no account connected, bound already, to this merchant or another): the same words, so a
 * refusal never tells whether another account holds an id.
 */
export const SKILL_REFUSED =
  'this skill id cannot be bound to your account: it must be a skill your connected Amazon developer account lists, and not bound already';

const skillColumns = { id: skills.id, name: skills.name, createdAt: skills.createdAt };

export async function listSkills(db: PitchlineDb, merchantId: string): Promise<SkillView[]> {
  return db
    .select(skillColumns)
    .from(skills)
    .where(eq(skills.merchantId, merchantId))
    .orderBy(asc(skills.createdAt), asc(skills.id));
}

/**
 * Registers a skill id for the merchant. The id is the table's primary key, so an id already
 * registered to any merchant is refused (never moved: that would hand one merchant's shoppers to
 * another), also when two merchants race for it.
 */
export async function addSkill(
  db: PitchlineDb,
  merchantId: string,
  input: NewSkillInput,
): Promise<SkillView> {
  const parsed = newSkillSchema.safeParse(input);
  if (!parsed.success) {
    throw new MerchantSettingsError('invalid', parsed.error.issues.map((i) => i.message).join('; '));
  }
  const [created] = await db
    .insert(skills)
    .values({ id: parsed.data.id, merchantId, name: parsed.data.name })
    .onConflictDoNothing({ target: skills.id })
    .returning(skillColumns);
  if (created) return created;
  // Never says whose the id is: "another account holds it" would tell a prober which skills exist here.
  throw new MerchantSettingsError('skill_taken', SKILL_REFUSED);
}

/**
 * Unregisters one of the merchant's skills. Removing the last one is allowed (the skill then answers
 * nobody; the dashboard says so). A skill that orders were placed through stays: orders keep their
 * skill id as part of the money record, and the database refuses to orphan them.
 */
export async function removeSkill(db: PitchlineDb, merchantId: string, skillId: string): Promise<void> {
  const id = skillIdSchema.safeParse(skillId);
  // A malformed id cannot be anyone's skill: "not found", like an unknown one.
  if (!id.success) throw new MerchantSettingsError('not_found', 'no such skill');
  let removed: { id: string }[];
  try {
    removed = await db
      .delete(skills)
      .where(and(eq(skills.id, id.data), eq(skills.merchantId, merchantId)))
      .returning({ id: skills.id });
  } catch (error) {
    if (pgError(error).code === '23503') {
      throw new MerchantSettingsError(
        'skill_in_use',
        'orders were placed through this skill, so it stays registered for their records',
      );
    }
    throw error;
  }
  if (removed.length === 0) throw new MerchantSettingsError('not_found', 'no such skill');
}

export async function getPaymentMode(db: PitchlineDb, merchantId: string): Promise<PaymentMode> {
  const [row] = await db
    .select({ paymentMode: merchants.paymentMode })
    .from(merchants)
    .where(eq(merchants.id, merchantId))
    .limit(1);
  if (!row) throw new MerchantSettingsError('not_found', 'no such merchant');
  return row.paymentMode;
}

/** Every merchant in one payment mode, across tenants: for the server's start-up checks, never for an API. */
export async function merchantsInPaymentMode(
  db: PitchlineDb,
  mode: PaymentMode,
): Promise<{ id: string; name: string }[]> {
  return db
    .select({ id: merchants.id, name: merchants.name })
    .from(merchants)
    .where(eq(merchants.paymentMode, mode))
    .orderBy(asc(merchants.name));
}

/**
 * Stores the merchant's payment mode. Whether this server can take real payments is the caller's to
 * check (the database does not know the server's Stripe keys).
 */
export async function setPaymentMode(db: PitchlineDb, merchantId: string, mode: PaymentMode): Promise<void> {
  const parsed = paymentModeSchema.safeParse(mode);
  if (!parsed.success)
    throw new MerchantSettingsError('invalid', parsed.error.issues[0]?.message ?? 'invalid');
  const updated = await db
    .update(merchants)
    .set({ paymentMode: parsed.data })
    .where(eq(merchants.id, merchantId))
    .returning({ id: merchants.id });
  if (updated.length === 0) throw new MerchantSettingsError('not_found', 'no such merchant');
}

/**
 * The merchant a member (by e-mail, case-insensitive) belongs to: how the operator's bind-skill CLI names
 * a merchant. Undefined when no member has that address.
 */
export async function merchantOfMember(
  db: PitchlineDb,
  email: string,
): Promise<{ id: string; name: string } | undefined> {
  const [row] = await db
    .select({ id: merchants.id, name: merchants.name })
    .from(members)
    .innerJoin(merchants, eq(members.merchantId, merchants.id))
    .where(eq(members.email, email.trim().toLowerCase()))
    .limit(1);
  return row;
}
