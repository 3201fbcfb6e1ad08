import type { DevSigner } from '@pitchline/alexa-kit/dev-ca';
import type { SimulatorConfig } from './config';
import { makeShoppers, type Visit } from './plan';
import { runVisits } from './run';
import type { RunStats } from './stats';
import { fetchPost, type Post, signedSender } from './transport';

export interface LiveOptions {
  /** POST target, e.g. http://127.0.0.1:3000/alexa; or pass `post` (tests use app.request). */
  endpoint?: string;
  post?: Post;
  /** The development CA's signer that the server trusts (loadOrCreateDevSigner(DATA_DIR/dev-ca)). */
  signer: DevSigner;
  skillId: string;
  /**
   * The account-linking token linked shoppers send. The running server's database is not ours to
   * write, so live shoppers share one linked account (the demo customer) rather than each their own.
   */
  accessToken: string | undefined;
  /** Wait the shoppers' thinking time for real (a realistic pace); off, the run is a load test. */
  realPace?: boolean;
}

/**
 * Live traffic: every shopper visits once, now, through the running server's POST /alexa, with real
 * timestamps (the verifier's 150-second rule applies as to any device) and real payments in the
 * server's PAYMENTS mode.
 */
export async function runLive(config: SimulatorConfig, options: LiveOptions): Promise<RunStats> {
  const post = options.post ?? fetchPost(options.endpoint ?? 'http://127.0.0.1:3000/alexa');
  const send = signedSender(post, options.signer);
  const visits: Visit[] = makeShoppers(config).map((shopper) => ({
    shopper: {
      ...shopper,
      ...(shopper.accessToken && options.accessToken ? { accessToken: options.accessToken } : {}),
    },
    at: Date.now(),
    visit: 0,
  }));
  return runVisits(config, visits, options.skillId, send, (_visit, run) =>
    run({
      now: Date.now,
      think: options.realPace ? (ms) => new Promise((r) => setTimeout(r, ms)) : async () => {},
    }),
  );
}
