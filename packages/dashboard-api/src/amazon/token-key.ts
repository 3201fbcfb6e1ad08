import { loadOrCreateDataDirSecret } from '@pitchline/runtime/data-dir-secret';

/**
 * The key sealing Amazon tokens, for embedded mode. Scaled deployments pass AMAZON_TOKEN_KEY so every
 * instance opens the same tokens. A lost key only means reconnecting Amazon.
 */
export function loadOrCreateAmazonTokenKey(dataDir: string): Promise<string> {
  return loadOrCreateDataDirSecret(dataDir, {
    fileName: 'amazon-token.key',
    envName: 'AMAZON_TOKEN_KEY',
    ifReplaced: 'then reconnect Amazon',
  });
}
