import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/*
 * LWA tokens at rest: AES-256-GCM under a key kept outside the database (AMAZON_TOKEN_KEY, or a file
 * under DATA_DIR/secrets), so a copy of the database alone opens no Amazon account. The merchant id is
 * the additional authenticated data: a sealed token copied onto another merchant's row does not open.
 */

const IV_BYTES = 12;
const TAG_BYTES = 16;

export type TokenSealer = {
  seal(plaintext: string, merchantId: string): string;
  /** Throws when the text was not sealed under this key for this merchant, or was altered. */
  open(sealed: string, merchantId: string): string;
};

/** A sealer from a secret of at least 32 characters; the AES key is its SHA-256. */
export function tokenSealer(secret: string): TokenSealer {
  if (secret.length < 32) throw new Error('the Amazon token key needs at least 32 characters');
  const key = createHash('sha256').update(secret).digest();
  return {
    seal(plaintext, merchantId) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(merchantId));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    },
    open(sealed, merchantId) {
      const bytes = Buffer.from(sealed, 'base64url');
      if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('sealed token too short');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(merchantId));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}
