import { and, eq } from 'drizzle-orm';
import type { PitchlineTx } from '../open';
import { members } from '../schema';
import { ExperimentError } from './errors';

/**
 * The acting member must belong to the merchant whose experiment changes: the history must never
 * name someone from another tenant. Null stands for the system (a bandit's weight update).
 */
export async function checkActor(
  tx: PitchlineTx,
  merchantId: string,
  actorMemberId: string | null,
): Promise<void> {
  if (actorMemberId === null) return;
  const [member] = await tx
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.id, actorMemberId), eq(members.merchantId, merchantId)));
  if (!member) throw new ExperimentError('invalid', ['the acting member does not belong to this merchant']);
}
