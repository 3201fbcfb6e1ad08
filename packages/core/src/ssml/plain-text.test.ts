import { describe, expect, it } from 'vitest';
import { ssmlToPlainText } from './plain-text';

describe('ssmlToPlainText', () => {
  it('gives the written text for cards', () => {
    expect(
      ssmlToPlainText(
        '<speak><p>Fish &amp; Chips</p><p>only <say-as interpret-as="cardinal">5</say-as> <sub alias="dollars">USD</sub>.</p><break time="1s"/>Buy?</speak>',
      ),
    ).toBe('Fish & Chips only 5 USD. Buy?');
  });
});
