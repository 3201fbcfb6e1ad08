import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER } from '../signature';

/** One request the receiver took: where, what, and the two headers a delivery carries. */
export type ReceivedDelivery = {
  path: string;
  body: string;
  signature: string | undefined;
  event: string | undefined;
};

export interface WebhookReceiver {
  /** http://127.0.0.1:<port>, without a path: rules point at `${url}/<path>`. */
  url: string;
  /** Every request, in arrival order (tests may empty it). */
  received: ReceivedDelivery[];
  /** Answers the next requests to `path` with these statuses in turn, then 200 again. */
  answer(path: string, statuses: number[]): void;
  close(): Promise<void>;
}

/**
 * A local stand-in for a merchant's webhook endpoint (Slack, a pager …) on 127.0.0.1, for the alert
 * tests: it records what each delivery carried and answers as scripted, so retries can be provoked.
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  const scripts = new Map<string, number[]>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const path = req.url ?? '';
      received.push({
        path,
        body,
        signature: req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined,
        event: req.headers['pitchline-event'] as string | undefined,
      });
      res.statusCode = scripts.get(path)?.shift() ?? 200;
      res.end('thanks');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    answer: (path, statuses) => {
      scripts.set(path, [...statuses]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
