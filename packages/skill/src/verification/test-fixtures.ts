/** Shared by this directory's tests: a CA per key algorithm and a signed envelope builder. */
import { generateKeyPair } from 'node:crypto';
import {
  createDevCa,
  createDevSigner,
  type DevCa,
  devCertUrl,
  issueSigningCertificate,
} from '@pitchline/alexa-kit/dev-ca';

export const SKILL_ID = 'amzn1.ask.skill.00000000-0000-4000-8000-000000000001';
export const MERCHANT_ID = '0190f5a4-0000-7000-8000-000000000001';

/** A fixed clock: certificates below are valid for a year around it. */
export const NOW = Date.parse('2026-06-01T12:00:00Z');
export const DAY = 86_400_000;

export function envelope(
  overrides: { timestamp?: number | string; type?: string; applicationId?: string; extra?: string } = {},
): string {
  const ts = overrides.timestamp ?? NOW;
  return JSON.stringify({
    version: '1.0',
    session: {
      new: true,
      sessionId: 'amzn1.echo-api.session.1',
      application: { applicationId: overrides.applicationId ?? SKILL_ID },
      user: { userId: 'amzn1.ask.account.TEST' },
    },
    context: {
      System: {
        application: { applicationId: overrides.applicationId ?? SKILL_ID },
        user: { userId: 'amzn1.ask.account.TEST' },
        device: { deviceId: 'd', supportedInterfaces: {} },
        apiEndpoint: 'https://api.amazonalexa.com',
      },
    },
    request: {
      type: overrides.type ?? 'LaunchRequest',
      requestId: 'amzn1.echo-api.request.1',
      timestamp: typeof ts === 'number' ? new Date(ts).toISOString() : ts,
      locale: 'en-US',
      ...(overrides.extra ? { note: overrides.extra } : {}),
    },
  });
}

export async function makeCa(keyAlgorithm: 'RSA' | 'ECDSA'): Promise<DevCa> {
  return createDevCa({
    keyAlgorithm,
    notBefore: new Date(NOW - 365 * DAY),
    notAfter: new Date(NOW + 3650 * DAY),
  });
}

let sharedLeafKey: Promise<string> | undefined;

/** One RSA key for most test leaves: generating RSA 2048 keys dominates these tests' run time. */
function leafKey(): Promise<string> {
  sharedLeafKey ??= new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, _pub, key) =>
      err ? reject(err) : resolve(key.export({ type: 'pkcs8', format: 'pem' }) as string),
    ),
  );
  return sharedLeafKey;
}

/** `freshKey` where a test needs a key no other leaf shares (wrong-key and rotation tests). */
export async function makeSigner(
  ca: DevCa,
  name: string,
  options: { san?: string[]; notBefore?: number; notAfter?: number; freshKey?: boolean } = {},
) {
  const issued = await issueSigningCertificate(ca, {
    ...(options.san ? { san: options.san } : {}),
    ...(options.freshKey ? {} : { keyPem: await leafKey() }),
    notBefore: new Date(options.notBefore ?? NOW - 30 * DAY),
    notAfter: new Date(options.notAfter ?? NOW + 30 * DAY),
  });
  return { issued, signer: createDevSigner(issued, devCertUrl(name)) };
}
