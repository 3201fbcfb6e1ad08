/**
 * A development certificate authority, so demos, the simulator and tests can sign Alexa requests
 * that pass through the real verification code: the server trusts our CA's root (as an extra root)
 * and reads our chains from a pre-published directory instead of S3. Not used on the request path.
 */
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill first.
import 'reflect-metadata';
import {
  createPrivateKey,
  createPublicKey,
  KeyObject,
  type KeyObject as KeyObjectType,
  sign,
  webcrypto,
  X509Certificate,
} from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { ALEXA_SIGNING_SAN } from './protocol';

export type DevCaKeyAlgorithm = 'RSA' | 'ECDSA';

export interface DevCa {
  certPem: string;
  keyPem: string;
}

export interface SigningCertificate {
  certPem: string;
  keyPem: string;
  /** Leaf then CA, as Amazon publishes its chains. */
  chainPem: string;
}

export interface DevSigner {
  certUrl: string;
  chainPem: string;
  /** Parsed once: benchmarks sign many requests. */
  privateKey: KeyObjectType;
}

const RSA_PARAMS = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
const ECDSA_PARAMS = { name: 'ECDSA', namedCurve: 'P-256' };
const DAY_MS = 86_400_000;

const crypto = webcrypto;
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
type Algorithm = webcrypto.Algorithm;

async function generateKeys(algorithm: DevCaKeyAlgorithm): Promise<CryptoKeyPair> {
  const params = algorithm === 'RSA' ? RSA_PARAMS : ECDSA_PARAMS;
  return (await crypto.subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
}

function keyToPem(key: CryptoKey): string {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** Imports a CA's PKCS#8 PEM key for @peculiar/x509, picking the WebCrypto algorithm from the key. */
async function importSigningKey(keyPem: string): Promise<{ key: CryptoKey; signingAlgorithm: Algorithm }> {
  const nodeKey = createPrivateKey(keyPem);
  const der = nodeKey.export({ type: 'pkcs8', format: 'der' });
  if (nodeKey.asymmetricKeyType === 'rsa') {
    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return { key: await crypto.subtle.importKey('pkcs8', der, alg, false, ['sign']), signingAlgorithm: alg };
  }
  if (nodeKey.asymmetricKeyType === 'ec') {
    const key = await crypto.subtle.importKey('pkcs8', der, ECDSA_PARAMS, false, ['sign']);
    return { key, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as Algorithm };
  }
  throw new Error(`unsupported CA key type ${nodeKey.asymmetricKeyType}`);
}

export interface DevCaOptions {
  keyAlgorithm?: DevCaKeyAlgorithm;
  name?: string;
  notBefore?: Date;
  notAfter?: Date;
}

export async function createDevCa(options: DevCaOptions = {}): Promise<DevCa> {
  const algorithm = options.keyAlgorithm ?? 'ECDSA';
  const keys = await generateKeys(algorithm);
  const notBefore = options.notBefore ?? new Date(Date.now() - DAY_MS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: `CN=${options.name ?? `Pitchline Development CA (${algorithm})`}, O=Pitchline`,
      keys,
      notBefore,
      notAfter: options.notAfter ?? new Date(notBefore.getTime() + 3650 * DAY_MS),
      signingAlgorithm: algorithm === 'RSA' ? RSA_PARAMS : { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return { certPem: cert.toString('pem'), keyPem: keyToPem(keys.privateKey) };
}

export interface SigningCertificateOptions {
  /** DNS names for the subjectAltName; default echo-api.amazon.com (what the verifier requires). */
  san?: readonly string[];
  notBefore?: Date;
  notAfter?: Date;
  /** Certify this RSA private key (PKCS#8 PEM) instead of generating one: RSA key generation is slow. */
  keyPem?: string;
}

async function rsaKeysFromPem(keyPem: string): Promise<CryptoKeyPair> {
  const privateKey = createPrivateKey(keyPem);
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('a signing certificate needs an RSA key');
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  return {
    publicKey: await crypto.subtle.importKey('spki', spki, alg, true, ['verify']),
    privateKey: await crypto.subtle.importKey('pkcs8', pkcs8, alg, true, ['sign']),
  };
}

/** An RSA 2048 signing certificate issued by `ca`, like the one Amazon signs requests with. */
export async function issueSigningCertificate(
  ca: DevCa,
  options: SigningCertificateOptions = {},
): Promise<SigningCertificate> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const { key: caKey, signingAlgorithm } = await importSigningKey(ca.keyPem);
  const keys = options.keyPem ? await rsaKeysFromPem(options.keyPem) : await generateKeys('RSA');
  const notBefore = options.notBefore ?? new Date(Date.now() - DAY_MS);
  const san = options.san ?? [ALEXA_SIGNING_SAN];
  const cert = await x509.X509CertificateGenerator.create(
    {
      subject: `CN=${san[0] ?? 'no-san'}, O=Pitchline Development`,
      issuer: caCert.subject,
      publicKey: keys.publicKey,
      signingKey: caKey,
      signingAlgorithm,
      notBefore,
      notAfter: options.notAfter ?? new Date(notBefore.getTime() + 365 * DAY_MS),
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        ...(san.length > 0
          ? [new x509.SubjectAlternativeNameExtension(san.map((value) => ({ type: 'dns' as const, value })))]
          : []),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(caCert, false, crypto),
      ],
    },
    crypto,
  );
  const certPem = cert.toString('pem');
  return { certPem, keyPem: keyToPem(keys.privateKey), chainPem: `${certPem}\n${ca.certPem.trim()}\n` };
}

/** `https://s3.amazonaws.com/echo.api/<name>.pem`, the only URL shape the verifier accepts. */
export function devCertUrl(name: string): string {
  return `https://s3.amazonaws.com/echo.api/${name}.pem`;
}

export function createDevSigner(issued: SigningCertificate, certUrl: string): DevSigner {
  return { certUrl, chainPem: issued.chainPem, privateKey: createPrivateKey(issued.keyPem) };
}

export interface AlexaSignatureHeaders {
  'Signature-256': string;
  SignatureCertChainUrl: string;
}

export function signAlexaRequest(rawBody: Uint8Array | string, signer: DevSigner): AlexaSignatureHeaders {
  const bytes = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  return {
    'Signature-256': sign('sha256', bytes, signer.privateKey).toString('base64'),
    SignatureCertChainUrl: signer.certUrl,
  };
}

/** File layout under the dev-signer directory; the server's env points at these. */
export { devCaDir } from './dev-ca-dir';

export const DEV_CA_CERT_FILE = 'ca.pem';
const DEV_CA_KEY_FILE = 'ca.key.pem';
const DEV_SIGNER_CERT_FILE = 'signer.pem';
const DEV_SIGNER_KEY_FILE = 'signer.key.pem';
export const DEV_CHAINS_DIR = 'chains';

export interface DevSignerBundle {
  ca: DevCa;
  signer: DevSigner;
  /** The extra trusted root for the server (PEM file). */
  caCertPath: string;
  /** Pre-published chains for the certificate fetcher (`prepublishedDir`). */
  chainsDir: string;
}

/** Re-issue the signing certificate this long before it expires. */
const RENEW_BEFORE_MS = DAY_MS;

async function readIfExists(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/** Write-then-rename, so a reader in another process never sees half a PEM. */
async function writeAtomic(path: string, text: string, mode = 0o644): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text, { mode });
  await rename(tmp, path);
}

/** The server and our tools may start together: one creates the CA, the other waits and reads it. */
async function withDirLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(dir, '.lock');
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      // A lock left by a crashed process: key generation takes well under this.
      if (age > 30_000) await rm(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      else await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

function usable(certPem: string | undefined, issuerPem: string | undefined, now: number): boolean {
  if (certPem === undefined || issuerPem === undefined) return false;
  try {
    const cert = new X509Certificate(certPem);
    const issuer = new X509Certificate(issuerPem);
    return (
      Date.parse(cert.validTo) - RENEW_BEFORE_MS > now &&
      Date.parse(cert.validFrom) <= now &&
      cert.checkIssued(issuer) &&
      cert.verify(issuer.publicKey)
    );
  } catch {
    return false;
  }
}

/**
 * Loads the development CA and signer persisted under `dir`, creating (or renewing) what is missing
 * or near expiry, and publishes the chain under `dir/chains/`. The chain's name carries the leaf's
 * fingerprint, so a renewed certificate never collides with one a running server has cached.
 */
export async function loadOrCreateDevSigner(
  dir: string,
  options: { keyAlgorithm?: DevCaKeyAlgorithm } = {},
): Promise<DevSignerBundle> {
  await mkdir(join(dir, DEV_CHAINS_DIR), { recursive: true });
  return withDirLock(dir, async () => {
    const now = Date.now();
    const caCertPath = join(dir, DEV_CA_CERT_FILE);
    let caCert = await readIfExists(caCertPath);
    let caKey = await readIfExists(join(dir, DEV_CA_KEY_FILE));
    if (caKey === undefined || !usable(caCert, caCert, now)) {
      const ca = await createDevCa({ keyAlgorithm: options.keyAlgorithm ?? 'ECDSA' });
      await writeAtomic(join(dir, DEV_CA_KEY_FILE), ca.keyPem, 0o600);
      await writeAtomic(caCertPath, ca.certPem);
      caCert = ca.certPem;
      caKey = ca.keyPem;
    }
    const ca: DevCa = { certPem: caCert as string, keyPem: caKey };

    let leafPem = await readIfExists(join(dir, DEV_SIGNER_CERT_FILE));
    let leafKey = await readIfExists(join(dir, DEV_SIGNER_KEY_FILE));
    if (leafKey === undefined || !usable(leafPem, ca.certPem, now)) {
      const issued = await issueSigningCertificate(ca);
      await writeAtomic(join(dir, DEV_SIGNER_KEY_FILE), issued.keyPem, 0o600);
      await writeAtomic(join(dir, DEV_SIGNER_CERT_FILE), issued.certPem);
      leafPem = issued.certPem;
      leafKey = issued.keyPem;
    }
    const issued: SigningCertificate = {
      certPem: leafPem as string,
      keyPem: leafKey,
      chainPem: `${(leafPem as string).trim()}\n${ca.certPem.trim()}\n`,
    };
    const fingerprint = new X509Certificate(issued.certPem).fingerprint256.replaceAll(':', '').toLowerCase();
    const name = `pitchline-dev-${fingerprint.slice(0, 16)}`;
    const chainsDir = join(dir, DEV_CHAINS_DIR);
    await writeAtomic(join(chainsDir, `${name}.pem`), issued.chainPem);
    return { ca, signer: createDevSigner(issued, devCertUrl(name)), caCertPath, chainsDir };
  });
}
