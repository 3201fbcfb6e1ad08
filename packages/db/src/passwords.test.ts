import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords';

describe('passwords', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts: the same password hashes differently, and never appears in the hash', async () => {
    const [a, b] = await Promise.all([hashPassword('hunter22'), hashPassword('hunter22')]);
    expect(a).not.toBe(b);
    expect(a).not.toContain('hunter22');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  });

  it('verifies hashes made with other cost parameters (they travel with the hash)', async () => {
    // A hash as an older, cheaper setting would have written it.
    const salt = randomBytes(16);
    const key = scryptSync('pässwörd', salt, 32, { N: 1024, r: 4, p: 2 });
    const old = `scrypt$1024$4$2$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifyPassword('pässwörd', old)).toBe(true);
    expect(await verifyPassword('passwörd', old)).toBe(false);
    // Changing a parameter changes the key: the stored one no longer matches.
    expect(await verifyPassword('pässwörd', old.replace('$1024$', '$2048$'))).toBe(false);
  });

  it('normalizes Unicode: composed and decomposed spellings are one password', async () => {
    const hash = await hashPassword('p\u00e4ssw\u00f6rd');
    expect(await verifyPassword('pa\u0308sswo\u0308rd', hash)).toBe(true);
  });

  it('rejects malformed or abusive hashes without throwing', async () => {
    const good = await hashPassword('x');
    for (const bad of [
      '',
      'plain',
      good.replace('scrypt', 'bcrypt'),
      good.replace('$32768$', '$1000$'), // N not a power of two
      good.replace('$32768$', '$1073741824$'), // N far beyond the bound
      good.replace('$8$1$', '$8$999$'),
      good.split('$').slice(0, 5).join('$'),
      `${good.split('$').slice(0, 5).join('$')}$AAAA`, // truncated key
    ]) {
      expect(await verifyPassword('x', bad), bad).toBe(false);
    }
  });

  it('refuses to hash an empty password', async () => {
    await expect(hashPassword('')).rejects.toThrow(/empty/);
  });
});
