import { toEventRow } from '@pitchline/analytics';
import type { TestClickHouse } from '@pitchline/analytics/testing';
import type { ExperimentDefinitionInput, PitchlineEvent } from '@pitchline/core';

/** Writes events straight into a test ClickHouse's events table, as the EventWriter would store them. */
export async function insertEvents(ch: TestClickHouse, events: PitchlineEvent[]): Promise<void> {
  await ch.client.insert({
    table: `${ch.database}.events`,
    format: 'JSONEachRow',
    values: events.map(toEventRow),
  });
}

/** A valid three-variant launch-pitch experiment, as the dashboard would post it. */
export const experimentDefinition = (key: string): ExperimentDefinitionInput => ({
  key,
  name: 'Launch pitch',
  hypothesis: 'Naming the origin sells more coffee than the price alone',
  scope: { kind: 'launch' },
  variants: [
    {
      key: 'control',
      name: 'Price only',
      template: 'The {{product}} is {{price}}.',
      weight: 1,
      isControl: true,
    },
    {
      key: 'origin',
      name: 'Origin',
      template: 'Roasted from Ethiopian beans, the {{product}} is {{price}}.',
      weight: 1,
    },
    {
      key: 'scarcity',
      name: 'Scarcity',
      template: 'Only a few bags of {{product}} are left, at {{price}}.<break time="300ms"/>',
      weight: 2,
    },
  ],
  primaryMetric: 'conversion',
  secondaryMetrics: ['revenue_per_user'],
  guardrailMetrics: ['stop_after_pitch', 'refund_rate'],
  conversionWindowHours: 48,
});
