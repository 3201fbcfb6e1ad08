import { z } from 'zod';
import { type AmazonConfig, LWA_SCOPE } from './config';
import { AmazonError, fetchAmazon } from './errors';

/*
 * Login with Amazon, OAuth 2.0 authorization code grant: the browser goes to the authorize URL and
 * comes back to our callback with a code, which the server exchanges (with its client secret) for an
 * access token (an hour) and a refresh token (until revoked).
 */

export function authorizeUrl(config: AmazonConfig, state: string): string {
  const url = new URL(config.authorizeUrl);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    scope: LWA_SCOPE,
    response_type: 'code',
    redirect_uri: config.redirectUri,
    state,
  }).toString();
  return url.toString();
}

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  token_type: z.string().optional(),
  expires_in: z.number().int().positive(),
});

export type LwaTokens = { accessToken: string; refreshToken: string | undefined; expiresAt: Date };

async function postToken(config: AmazonConfig, form: Record<string, string>, now: Date): Promise<LwaTokens> {
  const res = await fetchAmazon(
    config.tokenUrl,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        ...form,
        client_id: config.clientId,
        client_secret: config.clientSecret,
      }).toString(),
    },
    config.timeoutMs ?? 10_000,
  );
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const code = z.object({ error: z.string() }).safeParse(body);
    throw new AmazonError(
      'token',
      `Login with Amazon refused the token request (${res.status}${code.success ? ` ${code.data.error}` : ''})`,
    );
  }
  const parsed = tokenAnswer.safeParse(body);
  if (!parsed.success) throw new AmazonError('token', 'Login with Amazon answered without a usable token');
  return {
    accessToken: parsed.data.access_token,
    refreshToken: parsed.data.refresh_token,
    expiresAt: new Date(now.getTime() + parsed.data.expires_in * 1000),
  };
}

export async function exchangeCode(config: AmazonConfig, code: string, now: Date) {
  const tokens = await postToken(
    config,
    { grant_type: 'authorization_code', code, redirect_uri: config.redirectUri },
    now,
  );
  if (!tokens.refreshToken)
    throw new AmazonError('token', 'Login with Amazon answered without a refresh token');
  return { ...tokens, refreshToken: tokens.refreshToken };
}

export function refreshTokens(config: AmazonConfig, refreshToken: string, now: Date) {
  return postToken(config, { grant_type: 'refresh_token', refresh_token: refreshToken }, now);
}
