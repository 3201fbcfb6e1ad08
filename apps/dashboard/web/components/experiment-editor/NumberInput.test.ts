import { expect, it } from 'vitest';
import { draftShows, parseDraft } from './NumberInput';

it('reads an empty field as no number, not 0', () => {
  expect(parseDraft('')).toBeNaN();
  expect(parseDraft('  ')).toBeNaN();
  expect(parseDraft('0')).toBe(0);
  expect(parseDraft('72')).toBe(72);
});

it('keeps what is typed while it stands for the value, and shows a value changed elsewhere', () => {
  expect(draftShows('', Number.NaN)).toBe(true);
  expect(draftShows('1.0', 1)).toBe(true);
  expect(draftShows('', 0)).toBe(false);
  expect(draftShows('3', 4)).toBe(false);
});
