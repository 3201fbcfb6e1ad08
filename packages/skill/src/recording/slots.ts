import type { slotSchema } from '@pitchline/core';
import type { Intent } from 'ask-sdk-model';
import type { z } from 'zod';

export type SlotRecord = z.infer<typeof slotSchema>;

/**
 * Slots as Alexa heard them, before any handler looked at them. A handler that resolves a slot
 * against the catalog replaces its record (TurnState.recordSlot), so the turn event carries the
 * resolution the dialog actually acted on.
 */
export function rawSlots(intent: Intent | undefined): SlotRecord[] {
  const records: SlotRecord[] = [];
  for (const slot of Object.values(intent?.slots ?? {}).slice(0, 50)) {
    const value = (slot.value ?? '').slice(0, 500);
    if (value === '') continue;
    const authority = slot.resolutions?.resolutionsPerAuthority?.find(
      (a) => a.status?.code === 'ER_SUCCESS_MATCH',
    );
    const resolved = authority?.values?.[0]?.value;
    const noMatch = slot.resolutions?.resolutionsPerAuthority?.some(
      (a) => a.status?.code === 'ER_SUCCESS_NO_MATCH',
    );
    records.push(
      resolved
        ? {
            name: slot.name.slice(0, 100),
            value,
            resolved_id: resolved.id.slice(0, 500),
            resolved_value: resolved.name.slice(0, 500),
            resolution: 'match',
          }
        : { name: slot.name.slice(0, 100), value, resolution: noMatch ? 'no_match' : 'none' },
    );
  }
  return records;
}
