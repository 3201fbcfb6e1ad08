import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AmazonConfig } from '../amazon/config';

/*
 * A local stand-in for Login with Amazon (authorize page, token endpoint) and the two Skill Management
 * API calls we use (vendors, list skills), over real HTTP. It checks what a real one would: the client id
 * and secret, the redirect URI, the grant type, that a code is this client's, unused and unexpired, and
 * the bearer token on SMAPI calls. Tests steer it (accounts and their skills, page size, failures) and
 * read what it was sent.
 */

export type FakeSkill = { skillId: string; name: string };
export type FakeAccount = { vendors: { id: string; skills: FakeSkill[] }[] };

export type AmazonFake = {
  url: string;
  clientId: string;
  clientSecret: string;
  /** The account the next authorize consents as. */
  accounts: Map<string, FakeAccount>;
  signInAs: string;
  /** Skills per SMAPI page. */
  pageSize: number;
  /** When set, the token endpoint answers this error to every request. */
  tokenFailure: { status: number; error: string } | undefined;
  /** Every request the fake received: method, path, form (token endpoint) and bearer. */
  requests: { method: string; path: string; form?: Record<string, string>; bearer?: string }[];
  /** Makes every access token issued so far unusable (SMAPI then answers 401). */
  revokeAccessTokens(): void;
  /** An AmazonConfig pointing at this fake. */
  config(redirectUri: string, tokenKey?: string): AmazonConfig;
  close(): Promise<void>;
};

const secret = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startAmazonFake(): Promise<AmazonFake> {
  const codes = new Map<string, { account: string; redirectUri: string; used: boolean }>();
  const refreshTokens = new Map<string, string>();
  const accessTokens = new Map<string, string>();

  const issueAccess = (account: string) => {
    const token = secret('Atza|');
    accessTokens.set(token, account);
    return token;
  };

  const fake: AmazonFake = {
    url: '',
    clientId: 'amzn1.application-oa2-client.fake',
    clientSecret: secret('lwa-secret-'),
    accounts: new Map(),
    signInAs: 'default',
    pageSize: 50,
    tokenFailure: undefined,
    requests: [],
    revokeAccessTokens: () => accessTokens.clear(),
    config: (redirectUri, tokenKey = 'a-test-key-of-more-than-32-characters!') => ({
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      authorizeUrl: `${fake.url}/ap/oa`,
      tokenUrl: `${fake.url}/auth/o2/token`,
      smapiUrl: fake.url,
      redirectUri,
      tokenKey,
    }),
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };

  async function token(req: IncomingMessage, res: ServerResponse) {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    fake.requests.push({ method: 'POST', path: '/auth/o2/token', form });
    if (fake.tokenFailure) return json(res, fake.tokenFailure.status, { error: fake.tokenFailure.error });
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return json(res, 400, { error: 'invalid_request' });
    }
    if (form.client_id !== fake.clientId || form.client_secret !== fake.clientSecret) {
      return json(res, 401, { error: 'invalid_client' });
    }
    if (form.grant_type === 'authorization_code') {
      const grant = form.code ? codes.get(form.code) : undefined;
      if (!grant || grant.used || grant.redirectUri !== form.redirect_uri) {
        return json(res, 400, { error: 'invalid_grant' });
      }
      grant.used = true;
      const refresh = secret('Atzr|');
      refreshTokens.set(refresh, grant.account);
      return json(res, 200, {
        access_token: issueAccess(grant.account),
        refresh_token: refresh,
        token_type: 'bearer',
        expires_in: 3600,
      });
    }
    if (form.grant_type === 'refresh_token') {
      const account = form.refresh_token ? refreshTokens.get(form.refresh_token) : undefined;
      if (!account) return json(res, 400, { error: 'invalid_grant' });
      return json(res, 200, {
        access_token: issueAccess(account),
        refresh_token: form.refresh_token,
        token_type: 'bearer',
        expires_in: 3600,
      });
    }
    return json(res, 400, { error: 'unsupported_grant_type' });
  }

  function authorize(url: URL, res: ServerResponse) {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    // A real LWA shows an error page, never redirects, for an unknown client or return URL.
    if (q.get('client_id') !== fake.clientId || !redirectUri.startsWith('http')) {
      return json(res, 400, { error: 'invalid_client' });
    }
    const back = new URL(redirectUri);
    if (q.get('response_type') !== 'code' || q.get('scope') !== 'alexa::ask:skills:readonly') {
      back.searchParams.set('error', 'invalid_scope');
    } else {
      const code = secret('ANcode');
      codes.set(code, { account: fake.signInAs, redirectUri, used: false });
      back.searchParams.set('code', code);
    }
    back.searchParams.set('state', q.get('state') ?? '');
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  function smapi(req: IncomingMessage, url: URL, res: ServerResponse) {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    fake.requests.push({
      method: 'GET',
      path: `${url.pathname}${url.search}`,
      ...(bearer ? { bearer } : {}),
    });
    const account = bearer ? accessTokens.get(bearer) : undefined;
    if (!account) return json(res, 401, { message: 'Token is invalid/expired' });
    const vendors = fake.accounts.get(account)?.vendors ?? [];
    if (url.pathname === '/v1/vendors') {
      return json(res, 200, {
        vendors: vendors.map((v) => ({ id: v.id, name: v.id, roles: ['ROLE_ADMINISTRATOR'] })),
      });
    }
    const vendor = vendors.find((v) => v.id === url.searchParams.get('vendorId'));
    if (!vendor) return json(res, 403, { message: 'not a vendor of this account' });
    const start = Number(url.searchParams.get('nextToken') ?? '0');
    const page = vendor.skills.slice(start, start + fake.pageSize);
    const next = start + fake.pageSize < vendor.skills.length ? String(start + fake.pageSize) : undefined;
    return json(res, 200, {
      skills: page.map((s) => ({
        skillId: s.skillId,
        stage: 'development',
        nameByLocale: { 'en-US': s.name },
      })),
      isTruncated: next !== undefined,
      ...(next ? { nextToken: next } : {}),
    });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = `${req.method} ${url.pathname}`;
    const handle = async () => {
      if (route === 'GET /ap/oa') return authorize(url, res);
      if (route === 'POST /auth/o2/token') return token(req, res);
      if (route === 'GET /v1/vendors' || route === 'GET /v1/skills') return smapi(req, url, res);
      return json(res, 404, { error: 'not_found' });
    };
    handle().catch((error) => json(res, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
