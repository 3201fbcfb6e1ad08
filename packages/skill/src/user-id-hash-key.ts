import { loadOrCreateDataDirSecret } from '@pitchline/runtime/data-dir-secret';

/**
 * The key that hashes Alexa user ids into analytics user ids, for embedded mode. The server and the
 * simulator's history replay read the same file, so replayed shoppers hash to the users the server would
 * make of them. Scaled deployments pass USER_ID_HASH_KEY instead, so every instance shares it. Never
 * replaced silently: a new key would turn every returning shopper into a new analytics user.
 */
export function loadOrCreateUserIdHashKey(dataDir: string): Promise<string> {
  return loadOrCreateDataDirSecret(dataDir, { fileName: 'user-id-hash.key', envName: 'USER_ID_HASH_KEY' });
}
