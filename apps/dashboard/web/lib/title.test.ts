import { expect, it } from 'vitest';
import { pageTitle } from './title';

it('names the page first and the product last, skipping what is not known yet', () => {
  expect(pageTitle('Funnels')).toBe('Funnels · Pitchline');
  expect(pageTitle('Yirgacheffe launch pitch', 'Experiments')).toBe(
    'Yirgacheffe launch pitch · Experiments · Pitchline',
  );
  expect(pageTitle(undefined, '  ', 'Experiments')).toBe('Experiments · Pitchline');
  expect(pageTitle()).toBe('Pitchline');
});
