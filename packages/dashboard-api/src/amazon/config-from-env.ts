import type { AmazonConfig } from './config';
import { loadOrCreateAmazonTokenKey } from './token-key';

export type AmazonVariables = {
  LWA_CLIENT_ID?: string | undefined;
  LWA_CLIENT_SECRET?: string | undefined;
  LWA_AUTHORIZE_URL: string;
  LWA_TOKEN_URL: string;
  SMAPI_URL: string;
  AMAZON_TOKEN_KEY?: string | undefined;
};

/**
 * The dashboard API's Amazon config from an app's parsed variables, or undefined without an LWA client
 * (then the API says so and binds nothing). The callback is under the public URL, as registered with LWA.
 */
export async function amazonConfigFrom(
  env: AmazonVariables,
  where: { publicUrl: string; dataDir: string },
): Promise<AmazonConfig | undefined> {
  if (!env.LWA_CLIENT_ID || !env.LWA_CLIENT_SECRET) return undefined;
  return {
    clientId: env.LWA_CLIENT_ID,
    clientSecret: env.LWA_CLIENT_SECRET,
    authorizeUrl: env.LWA_AUTHORIZE_URL,
    tokenUrl: env.LWA_TOKEN_URL,
    smapiUrl: env.SMAPI_URL,
    redirectUri: new URL('/api/amazon/callback', where.publicUrl).toString(),
    tokenKey: env.AMAZON_TOKEN_KEY ?? (await loadOrCreateAmazonTokenKey(where.dataDir)),
  };
}
