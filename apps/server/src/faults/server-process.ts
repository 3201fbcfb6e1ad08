import path from 'node:path';
import {
  type ServerProcess,
  type SpawnedServer,
  spawnDeployable,
  startDeployable,
} from '@pitchline/runtime/testing';

export {
  type PreparedStores,
  prepareServerStores,
  type ServerProcess,
  waitFor,
} from '@pitchline/runtime/testing';

/** This app (apps/server), whose src/main.ts the fault and process tests start. */
const serverDir = path.resolve(import.meta.dirname, '..', '..');

export function spawnServer(env: Record<string, string>): SpawnedServer {
  return spawnDeployable(serverDir, env);
}

export function startServerProcess(
  dataDir: string,
  env: Record<string, string> = {},
  options: { ready?: boolean } = {},
): Promise<ServerProcess> {
  return startDeployable(serverDir, dataDir, env, options);
}
