import { hashUserId } from '@pitchline/core';
import { describe, expect, it } from 'vitest';
import { createUserIdHasher } from './user-ids';

describe('createUserIdHasher', () => {
  it('gives hashUserId’s answer, remembered or not, and keeps within its bound', () => {
    const hash = createUserIdHasher('key-1', 2);
    const ids = ['amzn1.ask.account.A', 'amzn1.ask.account.B', 'amzn1.ask.account.C', 'amzn1.ask.account.A'];
    for (let round = 0; round < 2; round++) {
      for (const id of ids) expect(hash(id)).toBe(hashUserId(id, 'key-1'));
    }
    // Another key is another deployment: never the same analytics id.
    expect(createUserIdHasher('key-2')(ids[0] as string)).not.toBe(hash(ids[0] as string));
  });
});
