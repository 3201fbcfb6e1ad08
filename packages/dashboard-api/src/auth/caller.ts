import type { ApiKeyScope, MEMBER_ROLES } from '@pitchline/db';

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
      /** The shown start of the key, for the audit log. */
      apiKeyPrefix: string;
      /**
       * API keys read as analysts; their scopes narrow what they read and are the only way a key
       * writes (experiments:write), whatever their creator could do.
       */
      role: 'analyst';
      scopes: readonly ApiKeyScope[];
      /** The member who made the key: the experiment history names them for the key's writes. */
      actingMemberId: string | null;
    };

export type DashboardEnv = { Variables: { caller: Caller } };
