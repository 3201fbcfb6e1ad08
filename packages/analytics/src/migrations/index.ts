import { migration0001 } from './0001_events';
import { migration0003 } from './0003_session_summary';
import { migration0004 } from './0004_session_funnel';
import { migration0005 } from './0005_overview_rollup';
import { migration0006 } from './0006_session_summary_dedup';
import type { Migration } from './types';

/** Applied in order; never edit a released migration (its checksum is recorded), add the next number. */
export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
];

export type { Migration, MigrationTarget } from './types';
