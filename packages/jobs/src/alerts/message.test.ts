import { describe, expect, it } from 'vitest';
import { alertMessage } from './message';

const rule = {
  id: '0195a3c4-0000-7000-8000-000000000001',
  name: 'Fallback <spike> & co',
  metric: 'fallback_rate' as const,
  condition: 'above' as const,
  threshold: 0.05,
  windowMinutes: 60,
};
const at = new Date('2026-12-01T10:00:00Z');

describe('alertMessage (Slack-compatible)', () => {
  it('says what fired, at what value, against what condition, as text and as blocks', () => {
    const message = alertMessage({
      kind: 'firing',
      rule,
      value: 0.123,
      at,
      dashboardUrl: 'https://p.example/alerts',
    });
    expect(message.text).toBe(
      'Alert firing: Not understood is 12.3 %: the rule "Fallback <spike> & co" fires when not understood above 5.0 % over an hour.',
    );
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
    const section = message.blocks[1];
    // The owner's name is shown as typed: Slack's markup characters are escaped in mrkdwn.
    expect(section?.type === 'section' && section.text.text).toContain('Fallback &lt;spike&gt; &amp; co');
    const context = message.blocks[2];
    expect(context?.type === 'context' && context.elements.map((e) => e.text)).toEqual([
      'Pitchline · 2026-12-01T10:00:00.000Z',
      '<https://p.example/alerts|Open the alerts page>',
    ]);
  });

  it('recovers and tests in words, with the previous window when there was a comparison', () => {
    const drop = {
      ...rule,
      metric: 'paid_conversion' as const,
      condition: 'drops_by' as const,
      threshold: 0.3,
      windowMinutes: 1440,
    };
    const recovered = alertMessage({ kind: 'recovered', rule: drop, value: 0.1, previous: 0.11, at });
    expect(recovered.text).toContain('Conversion is back to 10.0 %');
    expect(recovered.text).toContain('down 30 % or more over a day, against the day before');
    expect(JSON.stringify(recovered.blocks)).toContain('Previous window: 11.0 %');
    const test = alertMessage({ kind: 'test', rule, value: null, at });
    expect(test.text).toContain('This is a test of "Fallback <spike> & co"');
    expect(test.text).toContain('Not understood is no data now');
  });

  it('stays inside Slack limits: a header of 150 characters, a section of 3000', () => {
    const long = alertMessage({
      kind: 'firing',
      rule: { ...rule, name: 'n'.repeat(100), metric: 'experiment_srm', threshold: 0 },
      value: 80,
      detail:
        `Experiments: ${Array.from({ length: 80 }, (_, i) => `Experiment number ${i} with a long name`).join(', ')}`.repeat(
          2,
        ),
      at,
    });
    const [header, section] = long.blocks;
    expect(header?.type === 'header' && header.text.text.length).toBeLessThanOrEqual(150);
    expect(section?.type === 'section' && section.text.text.length).toBe(3000);
  });
});
