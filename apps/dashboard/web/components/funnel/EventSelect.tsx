import { EVENT_TYPES, type EventType } from '@pitchline/core/events';
import { eventLabel } from '../../lib/labels';

/** The event type a funnel step or exclusion matches. */
export function EventSelect({
  id,
  value,
  testId,
  onChange,
}: {
  id: string;
  value: EventType;
  testId: string;
  onChange(type: EventType): void;
}) {
  return (
    <select
      id={id}
      value={value}
      onChange={(e) => onChange(e.target.value as EventType)}
      data-testid={testId}
    >
      {EVENT_TYPES.map((t) => (
        <option key={t} value={t}>
          {eventLabel(t)}
        </option>
      ))}
    </select>
  );
}
