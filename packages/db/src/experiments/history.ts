import { and, asc, eq, sql } from 'drizzle-orm';
import type { PitchlineDb, PitchlineTx } from '../open';
import {
  type ExperimentHistoryAction,
  experiments,
  experimentHistoryEntries as historyTable,
  members,
} from '../schema';
import { isUuid, notFound } from './errors';

export interface HistoryEntry {
  id: string;
  at: Date;
  action: ExperimentHistoryAction;
  details: Record<string, unknown>;
  /**
   * Null for changes made by the system (e.g. a bandit's weight update). A removed member keeps their
   * e-mail as it was when they acted; only their id is gone (null).
   */
  actor: { id: string | null; email: string } | null;
}

/** Written in the same transaction as the change it describes: no change without its record. */
export async function recordHistory(
  tx: PitchlineTx,
  experimentId: string,
  actorMemberId: string | null,
  action: ExperimentHistoryAction,
  details: Record<string, unknown>,
  at: Date,
): Promise<void> {
  // The e-mail is copied in the same statement: it must outlive the member row, whose reference is
  // nulled when they are removed (checkActor has already made sure the member exists).
  const actorEmail =
    actorMemberId === null
      ? null
      : sql`(select ${members.email} from ${members} where ${members.id} = ${actorMemberId})`;
  await tx.insert(historyTable).values({ experimentId, actorMemberId, actorEmail, action, details, at });
}

/** An experiment's history, oldest first; throws not_found for another merchant's experiment. */
export async function experimentHistory(
  db: PitchlineDb,
  merchantId: string,
  id: string,
): Promise<HistoryEntry[]> {
  if (!isUuid(id)) throw notFound();
  const [owner] = await db
    .select({ id: experiments.id })
    .from(experiments)
    .where(and(eq(experiments.id, id), eq(experiments.merchantId, merchantId)));
  if (!owner) throw notFound();
  const rows = await db
    .select({
      id: historyTable.id,
      at: historyTable.at,
      action: historyTable.action,
      details: historyTable.details,
      actorId: historyTable.actorMemberId,
      actorEmail: historyTable.actorEmail,
    })
    .from(historyTable)
    // UUIDv7 ids break ties between rows of one transaction in the order they were written.
    .where(eq(historyTable.experimentId, id))
    .orderBy(asc(historyTable.at), asc(historyTable.id));
  return rows.map(({ actorId, actorEmail, ...row }) => ({
    ...row,
    actor: actorEmail === null ? null : { id: actorId, email: actorEmail },
  }));
}
