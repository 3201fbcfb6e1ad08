/** Amazon's endpoints; tests point these at a local fake. */
export const DEFAULT_LWA_AUTHORIZE_URL = 'https://www.amazon.com/ap/oa';
export const DEFAULT_LWA_TOKEN_URL = 'https://api.amazon.com/auth/o2/token';
export const DEFAULT_SMAPI_URL = 'https://api.amazonalexa.com';

/** Reading the skills of the account is all we ask Amazon for. */
export const LWA_SCOPE = 'alexa::ask:skills:readonly';

/** A "Connect Amazon" round trip must come back within this long. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

/** How the server talks to Login with Amazon and the Skill Management API. */
export type AmazonConfig = {
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  smapiUrl: string;
  /** Where LWA sends the browser back: PUBLIC_URL + /api/amazon/callback, registered in the LWA profile. */
  redirectUri: string;
  /** The secret (32+ characters) sealing tokens at rest. */
  tokenKey: string;
  /** Per request to Amazon. Default 10 s. */
  timeoutMs?: number;
};

/** What the Settings page shows when the server has no LWA client: how to give it one. */
export const HOW_TO_CONFIGURE_LWA =
  'This server has no Login with Amazon client. Create a security profile at https://developer.amazon.com/loginwithamazon/console/site/lwa/overview.html, add PUBLIC_URL/api/amazon/callback to its allowed return URLs, and start the server with LWA_CLIENT_ID and LWA_CLIENT_SECRET. Until then the operator binds skills with `npm run bind-skill`.';
