import { join } from 'node:path';

/**
 * Where a server keeps its development CA and the chains our tools sign with: DATA_DIR/dev-ca. The
 * server (which trusts it) and the tools (which sign with it) agree on it through this one function,
 * which loads nothing of the certificate library (an env module may import it).
 */
export function devCaDir(dataDir: string): string {
  return join(dataDir, 'dev-ca');
}
