import type { AlertCondition, AlertMetric } from '@pitchline/db';
import { ALERT_METRIC_INFO, describeCondition, formatValue } from './metric-catalogue';

/*
 * The webhook body: Slack-compatible JSON (`text` for notifications and clients without blocks, `blocks`
 * for the message), so a Slack incoming-webhook URL works as it is; other receivers read the same
 * fields, plus the Pitchline-Event and Pitchline-Delivery headers for machine use.
 */

export type SlackMessage = {
  text: string;
  blocks: (
    | { type: 'header'; text: { type: 'plain_text'; text: string } }
    | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
    | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] }
  )[];
};

type RuleFacts = {
  id: string;
  name: string;
  metric: AlertMetric;
  condition: AlertCondition;
  threshold: number;
  windowMinutes: number;
};

export type MessageKind = 'firing' | 'recovered' | 'test';

const HEADLINE: Record<MessageKind, string> = {
  firing: 'Alert firing',
  recovered: 'Alert recovered',
  test: 'Test delivery',
};

/** Slack's mrkdwn treats these as markup; a rule name is the owner's text, shown as typed. */
function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function alertMessage(input: {
  kind: MessageKind;
  rule: RuleFacts;
  value: number | null;
  previous?: number | null;
  detail?: string;
  at: Date;
  dashboardUrl?: string;
}): SlackMessage {
  const { rule, kind } = input;
  const info = ALERT_METRIC_INFO[rule.metric];
  const now = input.value === null ? 'no data' : formatValue(rule.metric, input.value);
  const condition = describeCondition(rule);
  const summary =
    kind === 'firing'
      ? `${info.name} is ${now}: the rule "${rule.name}" fires when ${condition.charAt(0).toLowerCase()}${condition.slice(1)}.`
      : kind === 'recovered'
        ? `${info.name} is back to ${now}: "${rule.name}" (${condition}) has recovered.`
        : `This is a test of "${rule.name}" (${condition}). ${info.name} is ${now} now.`;
  const lines = [`*${escapeMrkdwn(HEADLINE[kind])}:* ${escapeMrkdwn(summary)}`];
  if (input.previous !== undefined && input.previous !== null) {
    lines.push(`Previous window: ${formatValue(rule.metric, input.previous)}`);
  }
  if (input.detail) lines.push(escapeMrkdwn(input.detail));
  const context = [`Pitchline · ${input.at.toISOString()}`];
  if (input.dashboardUrl) context.push(`<${input.dashboardUrl}|Open the alerts page>`);
  return {
    text: `${HEADLINE[kind]}: ${summary}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(`${HEADLINE[kind]}: ${rule.name}`, 150) } },
      // Slack refuses a section over 3000 characters (a long list of experiments could pass it).
      { type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n'), 3000) } },
      { type: 'context', elements: context.map((text) => ({ type: 'mrkdwn' as const, text })) },
    ],
  };
}
