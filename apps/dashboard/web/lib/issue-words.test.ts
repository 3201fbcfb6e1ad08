import { expect, it } from 'vitest';
import { fieldLabel, plainIssue, plainProblem } from './issue-words';

it('names fields as the forms do, counting list items from 1', () => {
  expect(fieldLabel(['variants', 0, 'weight'])).toBe('Variant 1 weight');
  expect(fieldLabel(['variants', 2, 'template'])).toBe('Variant 3 pitch');
  expect(fieldLabel(['conversionWindowHours'])).toBe('Conversion window');
  expect(fieldLabel(['scope', 'productId'])).toBe('Product');
  expect(fieldLabel(['name'])).toBe('Name');
  expect(fieldLabel(['somethingNew'])).toBe('SomethingNew');
});

it("rewrites zod's generic messages as the rest of a sentence", () => {
  expect(plainProblem('Too small: expected number to be >=1')).toBe('must be at least 1');
  expect(plainProblem('Too big: expected number to be <=10000')).toBe('must be at most 10,000');
  expect(plainProblem('Too small: expected number to be >0')).toBe('must be more than 0');
  expect(plainProblem('Too small: expected string to have >=1 characters')).toBe('cannot be empty');
  expect(plainProblem('Too big: expected string to have <=200 characters')).toBe(
    'can have at most 200 characters',
  );
  expect(plainProblem('Too small: expected array to have >=2 items')).toBe('needs at least 2');
  expect(plainProblem('Invalid input: expected number, received NaN')).toBe('needs a number');
  expect(plainProblem('Invalid input: expected number, received string')).toBe('must be a number');
  expect(plainProblem('Invalid input: expected int, received number')).toBe('must be a whole number');
  expect(plainProblem('Invalid input: expected string, received undefined')).toBe('is missing');
  expect(plainProblem('Invalid email address')).toBe('must be an e-mail address');
  expect(plainProblem('Invalid option: expected one of "fixed"|"bandit"')).toBe(
    'must be one of the options offered',
  );
  expect(plainProblem('variant key "control" is used twice')).toBeNull();
});

it('says each issue as a sentence about the field, with no 0-based path or zod wording', () => {
  expect(
    plainIssue({ path: ['variants', 0, 'weight'], message: 'Too small: expected number to be >=1' }),
  ).toBe('Variant 1 weight must be at least 1.');
  expect(plainIssue({ path: ['name'], message: 'Too small: expected string to have >=1 characters' })).toBe(
    'Name cannot be empty.',
  );
  // The server's own words stay, behind the field's name.
  expect(plainIssue({ path: ['variants', 1, 'key'], message: 'variant key "control" is used twice' })).toBe(
    'Variant 2 key: Variant key "control" is used twice.',
  );
  expect(plainIssue({ path: [], message: 'the experiment is running' }, 'experiment')).toBe(
    'Experiment: The experiment is running.',
  );
  expect(plainIssue({ path: [], message: 'Too big: expected number to be <=5' })).toBe(
    'This must be at most 5.',
  );
  for (const text of [
    plainIssue({ path: ['variants', 0, 'weight'], message: 'Too big: expected number to be <=10000' }),
  ]) {
    expect(text).not.toMatch(/›|\b0\b|Too (small|big)|expected/);
  }
});
