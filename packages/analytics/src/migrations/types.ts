export interface MigrationTarget {
  database: string;
  cluster?: string;
}

export interface Migration {
  /** Strictly increasing; the file name's number. */
  version: number;
  name: string;
  /** Idempotent statements (IF NOT EXISTS), so a migration interrupted halfway can simply run again. */
  statements(target: MigrationTarget): string[];
}

export function onClusterClause(target: MigrationTarget): string {
  return target.cluster ? ` ON CLUSTER '${target.cluster}'` : '';
}
