import { expect, it } from 'vitest';
import {
  pathWithSharedState,
  rangeProblem,
  readSharedState,
  withoutSharedState,
  withSharedState,
  writeSharedState,
} from './url-state';

const NOW = new Date('2026-11-20T15:00:00Z');

it('reads the range, zone and comparison from the address', () => {
  const read = readSharedState(
    '?from=2026-10-01&to=2026-10-07&tz=Asia%2FKolkata&compare=none&step=x',
    'America/New_York',
    NOW,
  );
  expect(read).toMatchObject({
    range: { from: '2026-10-01', to: '2026-10-07' },
    timeZone: 'Asia/Kolkata',
    comparison: 'none',
    preset: 'custom',
    problem: null,
  });
});

it('defaults to the last 28 days in the merchant zone, compared with the previous period', () => {
  const read = readSharedState('', 'America/New_York', NOW);
  expect(read.range).toEqual({ from: '2026-10-24', to: '2026-11-20' });
  expect(read.preset).toBe('last_28_days');
  expect(read.comparison).toBe('previous_period');
  expect(read.problem).toBeNull();
});

it('ignores an inverted, malformed or out-of-bounds range and an unknown zone, and says why', () => {
  const inverted = readSharedState('?from=2026-10-07&to=2026-10-01', 'UTC', NOW);
  expect(inverted.range).toEqual({ from: '2026-10-24', to: '2026-11-20' });
  expect(inverted.problem).toContain('start date is after the end date');
  expect(readSharedState('?from=0000-00-00&to=2026-10-01', 'UTC', NOW).problem).toContain(
    'From is not a date',
  );
  expect(readSharedState('?from=1999-12-31&to=2026-10-01', 'UTC', NOW).problem).toContain('between 2000');
  expect(readSharedState('?from=2020-01-01&to=2026-10-01', 'UTC', NOW).problem).toContain('three years');
  const zone = readSharedState('?tz=Mars%2FBase', 'Europe/Berlin', NOW);
  expect(zone.timeZone).toBe('Europe/Berlin');
  expect(zone.problem).toContain('Mars/Base');
});

it('refuses only ranges the API would refuse', () => {
  expect(rangeProblem({ from: '2026-02-28', to: '2026-03-01' })).toBeNull();
  expect(rangeProblem({ from: '2026-03-01', to: '2026-03-01' })).toBeNull();
  expect(rangeProblem({ from: '2026-03-02', to: '2026-03-01' })).not.toBeNull();
  expect(rangeProblem({ from: '2025-02-30', to: '2026-03-01' })).not.toBeNull();
  expect(rangeProblem({ from: '', to: '2026-03-01' })).not.toBeNull();
});

it("writes the shared state first and keeps a page's own parameters", () => {
  const search = writeSharedState('?step=session_start&from=2026-01-01&by=none', {
    range: { from: '2026-10-01', to: '2026-10-28' },
    timeZone: 'America/New_York',
    comparison: 'previous_period',
  });
  expect(search).toBe(
    '?from=2026-10-01&to=2026-10-28&tz=America%2FNew_York&compare=previous&step=session_start&by=none',
  );
  const back = readSharedState(search, 'UTC', NOW);
  expect(back.range).toEqual({ from: '2026-10-01', to: '2026-10-28' });
  expect(back.timeZone).toBe('America/New_York');
});

it('carries the shared state to another page and into a page rewriting its own parameters', () => {
  const current = '?from=2026-10-01&to=2026-10-28&tz=UTC&compare=none&outcome=paid';
  expect(pathWithSharedState('/funnels', current)).toBe(
    '/funnels?from=2026-10-01&to=2026-10-28&tz=UTC&compare=none',
  );
  expect(pathWithSharedState('/conversations/abc?outcome=paid', current)).toBe(
    '/conversations/abc?from=2026-10-01&to=2026-10-28&tz=UTC&compare=none&outcome=paid',
  );
  // A page's own search replaces its own parameters only.
  expect(withSharedState('?minTurns=3', current)).toBe(
    '?from=2026-10-01&to=2026-10-28&tz=UTC&compare=none&minTurns=3',
  );
  // A target that sets the range itself wins.
  expect(withSharedState('?from=2026-09-01&to=2026-09-02', current)).toBe(
    '?from=2026-09-01&to=2026-09-02&tz=UTC&compare=none',
  );
  expect(withSharedState('', '')).toBe('');
});

it('leaves a page its own parameters', () => {
  expect(withoutSharedState('?from=2026-10-01&to=2026-10-28&tz=UTC&compare=none&step=a&step=b')).toBe(
    '?step=a&step=b',
  );
  expect(withoutSharedState('?from=2026-10-01')).toBe('');
});
