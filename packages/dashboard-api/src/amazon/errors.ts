/**
 * Amazon answered something other than what we asked for, or did not answer. `unauthorized` is SMAPI's
 * 401 (the access token is no longer good), which the caller answers by refreshing once.
 */
export class AmazonError extends Error {
  constructor(
    readonly kind: 'token' | 'smapi' | 'unauthorized' | 'unreachable',
    message: string,
  ) {
    super(message);
    this.name = 'AmazonError';
  }
}

/** fetch with a deadline, its network failures as AmazonError('unreachable'). */
export async function fetchAmazon(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new AmazonError(
      'unreachable',
      `${new URL(url).origin} did not answer: ${(error as Error).message}`,
    );
  }
}
