import { FILTER_FIELDS, type Filter } from './params';

/**
 * SQL for a list of filters: each field maps to a fixed expression and each value list to a query
 * parameter named from `prefix`, so user text only ever reaches ClickHouse as a parameter value.
 */
export function filterSql(
  filters: readonly Filter[],
  prefix: string,
  params: Record<string, unknown>,
): string {
  return filters
    .map((f, i) => {
      const name = `${prefix}_${i}`;
      params[name] = f.values;
      return `${FILTER_FIELDS[f.field]} ${f.op === 'in' ? 'IN' : 'NOT IN'} {${name}:Array(String)}`;
    })
    .map((s) => ` AND ${s}`)
    .join('');
}
