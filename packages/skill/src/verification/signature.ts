import { type KeyObject, verify } from 'node:crypto';

/** Standard base64 of an RSA signature (up to 4096-bit keys); anything else is not worth decoding. */
const BASE64 = /^[A-Za-z0-9+/]{1,1024}={0,2}$/;

/** `Signature-256`: base64 RSA PKCS#1 v1.5 signature over SHA-256 of the raw body bytes. */
export function checkBodySignature(
  rawBody: Uint8Array,
  signatureBase64: string,
  publicKey: KeyObject,
): boolean {
  const trimmed = signatureBase64.trim();
  if (!BASE64.test(trimmed) || trimmed.length % 4 !== 0) return false;
  try {
    return verify('sha256', rawBody, publicKey, Buffer.from(trimmed, 'base64'));
  } catch {
    // A signature of the wrong length for the key throws in some OpenSSL versions: it is just wrong.
    return false;
  }
}
