import * as relations from './relations';
import * as tables from './schema';

/** Tables and relations together: what drizzle needs for `db.query.*`. */
export const schema = { ...tables, ...relations };
export type Schema = typeof schema;
