import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, verifySignature, webhookPolicyFor } from '@pitchline/jobs/alerts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  A_ANALYST,
  A_OWNER,
  type Client,
  expectStatus,
  type Harness,
  malformed,
  openHarness,
} from '../testing/harness';

/*
 * The alerts API over PGlite with a local webhook receiver: owners write rules, analysts read them
 * (URLs masked), bad URLs and mismatched conditions are refused with the field and plain words and
 * change nothing, and a test delivery reaches the receiver signed with the secret shown at creation.
 */

let h: Harness;
let owner: Client;
let analyst: Client;
let receiver: Server;
let hookUrl: string;
const received: { body: string; signature: string | undefined }[] = [];

beforeAll(async () => {
  // A development server's policy: loopback allowed, so the local receiver is a valid webhook.
  h = await openHarness({ alertWebhooks: webhookPolicyFor(false) });
  owner = await h.login(A_OWNER.email, A_OWNER.password);
  analyst = await h.login(A_ANALYST.email, A_ANALYST.password);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ body, signature: req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await h?.close();
});

const rule = () => ({
  name: 'Not understood over an hour',
  metric: 'fallback_rate' as const,
  condition: 'above' as const,
  threshold: 0.05,
  windowMinutes: 60,
  webhookUrl: hookUrl,
});

async function rulesOf(client: Client) {
  const res = await client.api.alerts.rules.$get();
  expectStatus(res, 200);
  return (await res.json()).rules;
}

describe('alert rules', () => {
  it('an owner creates a rule, sees its secret once, and a test delivery arrives signed with it', async () => {
    const res = await owner.api.alerts.rules.$post({ json: rule() });
    expectStatus(res, 201);
    const { rule: created, signingSecret } = await res.json();
    expect(created).toMatchObject({
      state: 'ok',
      webhookUrl: hookUrl,
      description: expect.stringContaining('above 5.0 %'),
    });
    expect(signingSecret).toMatch(/^whsec_/);
    expect(JSON.stringify(await rulesOf(owner))).not.toContain(signingSecret);

    received.length = 0;
    const test = await owner.api.alerts.rules[':id'].test.$post({ param: { id: created.id } });
    expectStatus(test, 200);
    expect((await test.json()).delivery).toMatchObject({
      kind: 'test',
      status: 'delivered',
      attempts: 1,
      responseStatus: 200,
    });
    expect(received).toHaveLength(1);
    const [message] = received;
    expect(
      verifySignature({ body: message?.body ?? '', header: message?.signature, secret: signingSecret }).ok,
    ).toBe(true);
    expect(JSON.parse(message?.body ?? '{}')).toMatchObject({
      text: expect.stringContaining('Test delivery'),
      blocks: expect.arrayContaining([expect.objectContaining({ type: 'header' })]),
    });

    const history = await analyst.api.alerts.deliveries.$get({ query: { ruleId: created.id } });
    expectStatus(history, 200);
    expect((await history.json()).deliveries).toMatchObject([
      { kind: 'test', status: 'delivered', ruleName: rule().name },
    ]);
  });

  it('analysts read rules with the URL masked, and cannot write', async () => {
    const [first] = await rulesOf(analyst);
    expect(first?.webhookUrl).toBe(`${new URL(hookUrl).origin}/…`);
    const id = first?.id ?? '';
    expect((await analyst.api.alerts.rules.$post({ json: rule() })).status).toBe(403);
    expect(
      (await analyst.api.alerts.rules[':id'].$patch({ param: { id }, json: { threshold: 0.5 } })).status,
    ).toBe(403);
    expect((await analyst.api.alerts.rules[':id'].$delete({ param: { id } })).status).toBe(403);
    expect((await analyst.api.alerts.rules[':id'].test.$post({ param: { id } })).status).toBe(403);
    expect((await rulesOf(owner)).find((r) => r.id === id)?.threshold).toBe(0.05);
  });

  it.each([
    ['file:///etc/passwd', 'http or https only, not file'],
    ['ftp://example.com/hook', 'http or https only, not ftp'],
    ['http://10.0.0.1/hook', 'private'],
    ['http://169.254.169.254/latest/meta-data', 'link-local'],
    ['https://no-such-host.invalid/hook', 'cannot be reached'],
  ])('refuses the webhook URL %s beside its field, and saves nothing', async (webhookUrl, words) => {
    const before = (await rulesOf(owner)).length;
    const res = await owner.api.alerts.rules.$post({ json: { ...rule(), webhookUrl } });
    expectStatus(res, 400);
    const body = await res.json();
    expect(body).toMatchObject({ error: 'invalid_request', issues: [{ path: ['webhookUrl'] }] });
    expect(JSON.stringify(body)).toContain(words);
    expect((await rulesOf(owner)).length).toBe(before);
  });

  it('a production server refuses loopback, which this one allows', async () => {
    const production = h.withDeps({ alertWebhooks: webhookPolicyFor(true) });
    const client = await production.login(A_OWNER.email, A_OWNER.password);
    const res = await client.api.alerts.rules.$post({ json: rule() });
    expectStatus(res, 400);
    expect(JSON.stringify(await res.json())).toContain('127.0.0.1: it is a loopback address');
  });

  it('refuses a condition the metric does not support, and fields in plain words', async () => {
    const srm = await owner.api.alerts.rules.$post({
      json: { ...rule(), metric: 'experiment_srm', condition: 'drops_by', threshold: 0.3 },
    });
    expectStatus(srm, 400);
    expect(await srm.json()).toMatchObject({ issues: [{ path: ['condition'] }] });
    const share = await owner.api.alerts.rules.$post({ json: { ...rule(), threshold: 5 } });
    expectStatus(share, 400);
    expect(await share.json()).toMatchObject({
      issues: [{ path: ['threshold'], message: 'Enter a percentage from 0 to 100.' }],
    });
    const blank = await owner.request('POST', '/alerts/rules', { ...rule(), name: '  ', windowMinutes: 1 });
    expect(blank.status).toBe(400);
    const messages = ((await blank.json()) as { issues: { message: string }[] }).issues.map((i) => i.message);
    expect(messages).toEqual(
      expect.arrayContaining(['Give the rule a name.', 'The window is at least 5 minutes.']),
    );
    const unknown = await owner.api.alerts.rules.$post({ json: malformed({ ...rule(), metric: 'mood' }) });
    expect(unknown.status).toBe(400);
  });

  it('an owner updates and deletes a rule; a PATCH to a bad URL changes nothing', async () => {
    const created = await owner.api.alerts.rules.$post({
      json: { ...rule(), name: 'Slow answers', metric: 'latency_p90', threshold: 2000 },
    });
    expectStatus(created, 201);
    const id = (await created.json()).rule.id;
    const bad = await owner.api.alerts.rules[':id'].$patch({
      param: { id },
      json: { webhookUrl: 'http://192.168.0.1/' },
    });
    expect(bad.status).toBe(400);
    const good = await owner.api.alerts.rules[':id'].$patch({
      param: { id },
      json: { threshold: 2500, enabled: false },
    });
    expectStatus(good, 200);
    expect((await good.json()).rule).toMatchObject({ threshold: 2500, enabled: false, webhookUrl: hookUrl });
    // A later change of one field leaves the others as they are: the rule stays off.
    const rename = await owner.api.alerts.rules[':id'].$patch({
      param: { id },
      json: { name: 'Slow answers' },
    });
    expectStatus(rename, 200);
    expect((await rename.json()).rule).toMatchObject({ threshold: 2500, enabled: false });
    expect((await owner.api.alerts.rules[':id'].$delete({ param: { id } })).status).toBe(204);
    expect((await owner.api.alerts.rules[':id'].$delete({ param: { id } })).status).toBe(404);
    expect((await rulesOf(owner)).map((r) => r.id)).not.toContain(id);
    // Where the merchant's figures go is security-relevant: each change is in the audit log, by whom.
    const log = await owner.api.audit.$get({ query: {} });
    expectStatus(log, 200);
    const mine = (await log.json()).entries.filter((e) => e.target === 'Slow answers');
    expect(mine.map((e) => e.action).sort()).toEqual([
      'alert_rule_changed',
      'alert_rule_changed',
      'alert_rule_created',
      'alert_rule_deleted',
    ]);
    expect(mine.every((e) => e.actor === A_OWNER.email)).toBe(true);
  });
});
