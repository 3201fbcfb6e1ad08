import type { MEMBER_ROLES } from '@pitchline/db';

export type Role = (typeof MEMBER_ROLES)[number];

/**
 * Who is calling, resolved from the session cookie or an API key. The merchant here is the ONLY
 * tenant any route may read or change: no route takes a merchant id from the request.
 */
export type Caller =
  | {
      kind: 'session';
      merchantId: string;
      memberId: string;
      email: string;
      role: Role;
      sessionId: string;
      csrfToken: string;
    }
  | {
      kind: 'api_key';
      merchantId: string;
      apiKeyId: string;
      /** API keys read only, whatever their creator could do. */
      role: 'analyst';
    };

export type DashboardEnv = { Variables: { caller: Caller } };
