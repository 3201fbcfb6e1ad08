import { expect, it, vi } from 'vitest';

// lib/analytics builds the API client when loaded, which needs a browser window; these tests need none.
vi.mock('../../lib/api', () => ({ api: {}, ok: vi.fn() }));

const { criteriaFromSearch, searchFromCriteria, searchPath, transcriptPath } = await import(
  './conversations-url'
);
const { EMPTY_CRITERIA } = await import('../../lib/analytics');

it('reads the applied search back from the query string it writes', () => {
  const criteria = { ...EMPTY_CRITERIA, q: 'oat milk & honey', outcome: 'paid' as const, minTurns: '3' };
  const search = searchFromCriteria(criteria);
  expect(search).toBe('?q=oat+milk+%26+honey&outcome=paid&minTurns=3');
  expect(criteriaFromSearch(search)).toEqual(criteria);
});

it('writes nothing for a search without filters, and trims all but the words searched for', () => {
  expect(searchFromCriteria(EMPTY_CRITERIA)).toBe('');
  expect(searchFromCriteria({ ...EMPTY_CRITERIA, q: '   ', locale: ' en-US ' })).toBe('?locale=en-US');
});

it('reads unknown choices as "any" and ignores parameters it does not know', () => {
  expect(criteriaFromSearch('?outcome=refunded&device=tv&utm_source=mail&variant=exp:b')).toEqual({
    ...EMPTY_CRITERIA,
    variant: 'exp:b',
  });
});

it('keeps the search in the paths into a transcript and back', () => {
  expect(transcriptPath('amzn1.echo-api.session.1/2', '?outcome=paid')).toBe(
    '/conversations/amzn1.echo-api.session.1%2F2?outcome=paid',
  );
  expect(searchPath('?outcome=paid')).toBe('/conversations?outcome=paid');
  expect(searchPath('')).toBe('/conversations');
});
