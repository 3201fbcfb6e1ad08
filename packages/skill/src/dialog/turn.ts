import type { HandlerInput } from 'ask-sdk-core';
import type { RequestEnvelope } from 'ask-sdk-model';
import type { Catalog } from '../catalog/types';
import type { EventDraft, StampedDraft } from '../recording/drafts';
import type { SlotRecord } from '../recording/slots';
import type { Pending } from './session';

export type SessionEndReason =
  | 'user_stop'
  | 'user_initiated'
  | 'exceeded_max_reprompts'
  | 'error'
  | 'completed'
  | 'unknown';

/**
 * Everything one request carries besides the envelope: who it is for and what happened while it was
 * handled. The skill is built once; this is passed as the `context` of `skill.invoke`, so handlers
 * reach per-request state without the skill being rebuilt.
 */
export interface TurnState {
  merchantId: string;
  skillId: string;
  /** hashUserId(alexa userId, key): the value events and orders carry. */
  userId: string;
  sessionId: string;
  locale: string;
  hasScreen: boolean;
  /** Event time; the simulator replays past days through the real handlers with its own clock. */
  now: () => number;
  catalog: () => Promise<Catalog>;
  drafts: StampedDraft[];
  /** Slots as the dialog resolved them; starts as Alexa's raw view of them. */
  slots: SlotRecord[];
  error?: string;
  /**
   * The question the previous response asked (add it? check out? place the order?). It is taken out
   * of the session before any handler runs, so it only ever answers the turn right after the question;
   * a handler that asks again puts a new one in.
   */
  pending?: Pending;
  sessionEnd?: { reason: SessionEndReason; lastPrompt?: string };
}

export function turnOf(input: HandlerInput): TurnState {
  const turn = input.context as TurnState | undefined;
  if (!turn?.drafts) throw new Error('skill invoked without a TurnState context');
  return turn;
}

export function emit(turn: TurnState, draft: EventDraft): void {
  // Object.assign, not spread: same copy, a fraction of the cost in V8 on the hot path.
  const stamped = Object.assign({}, draft) as StampedDraft;
  stamped.ts = turn.now();
  turn.drafts.push(stamped);
}

/** Replaces Alexa's raw record of a slot with the dialog's resolution of it. */
export function recordSlot(turn: TurnState, record: SlotRecord): void {
  const at = turn.slots.findIndex((s) => s.name === record.name);
  if (at >= 0) turn.slots[at] = record;
  else turn.slots.push(record);
}

export function hasScreen(envelope: RequestEnvelope): boolean {
  const supported = envelope.context?.System?.device?.supportedInterfaces as
    | Record<string, unknown>
    | undefined;
  return Boolean(supported && ('Alexa.Presentation.APL' in supported || 'Display' in supported));
}
