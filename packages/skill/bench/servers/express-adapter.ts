import { hashUserId, silentLogger } from '@pitchline/core';
import type { Skill } from 'ask-sdk-core';
import { ExpressAdapter, SkillRequestSignatureVerifier, TimestampVerifier } from 'ask-sdk-express-adapter';
import type { RequestEnvelope, ResponseEnvelope } from 'ask-sdk-model';
import express from 'express';
import { createCatalogCache } from '../../src/catalog/cache';
import { resolveSkillMerchant } from '../../src/catalog/load';
import type { Catalog } from '../../src/catalog/types';
import { buildSkill } from '../../src/dialog/skill';
import { hasScreen, type TurnState } from '../../src/dialog/turn';
import { createSkillMetrics } from '../../src/recording/metrics';
import { rawSlots } from '../../src/recording/slots';
import type { ExpressChildConfig } from '../ipc';
import { openSeededCopy } from './database';
import { listenNode } from './listen';
import type { RunningServer } from './types';

const USER_ID_HASH_KEY = 'bench-user-hash-key';

/**
 * Baselines (b) and (c): the same Pitchline dialog handlers (buildSkill, same database and catalog cache)
 * served the way the ASK SDK documents, behind ask-sdk-express-adapter, nothing recorded; (b) with its
 * signature and timestamp verifiers off, (c) 'express-verified' with both on, which is what a production
 * skill on the adapter runs and so the like-for-like peer of Pitchline's verified endpoint.
 */
export async function startExpressAdapter(config: ExpressChildConfig): Promise<RunningServer> {
  const database = await openSeededCopy(config.seedPostgresDir, config.dataDir);
  const metrics = createSkillMetrics();
  const dialog = buildSkill({ db: database.db, logger: silentLogger, metrics });
  const catalogs = createCatalogCache(database.db);

  // The adapter calls skill.invoke(envelope) with no context, but our handlers read their per-request
  // TurnState from it; this skill builds one the way createSkillApp does, then dispatches.
  const withTurn = {
    async invoke(envelope: RequestEnvelope): Promise<ResponseEnvelope> {
      const skillId =
        envelope.context?.System?.application?.applicationId ?? envelope.session?.application?.applicationId;
      const found = skillId ? await resolveSkillMerchant(database.db, skillId) : null;
      if (!skillId || !found) throw new Error(`unknown skill ${skillId}`);
      return dialog.invoke(envelope, turnState(envelope, found.merchantId, skillId));
    },
    supports: () => true,
    appendAdditionalUserAgent: (agent: string) => dialog.appendAdditionalUserAgent(agent),
  };

  function turnState(envelope: RequestEnvelope, merchantId: string, skillId: string): TurnState {
    const request = envelope.request;
    const alexaUserId =
      envelope.context?.System?.user?.userId ?? envelope.session?.user?.userId ?? 'anonymous';
    let catalog: Promise<Catalog> | undefined;
    return {
      merchantId,
      skillId,
      userId: hashUserId(alexaUserId, USER_ID_HASH_KEY),
      sessionId: envelope.session?.sessionId ?? `nosession:${request.requestId}`,
      locale: 'locale' in request && typeof request.locale === 'string' ? request.locale : 'en-US',
      hasScreen: hasScreen(envelope),
      now: Date.now,
      catalog: () => {
        catalog ??= catalogs.get(merchantId);
        return catalog;
      },
      drafts: [],
      slots: rawSlots(request.type === 'IntentRequest' ? request.intent : undefined),
    };
  }

  // Skill is ask-sdk-core's CustomSkill class; the adapter only calls the three methods above.
  const adapter = new ExpressAdapter(withTurn as unknown as Skill, false, false, verifiersOf(config));
  const app = express();
  app.post('/alexa', adapter.getRequestHandlers());
  const server = await listenNode(app);
  return {
    port: server.port,
    close: async () => {
      await server.close();
      await database.close();
      return { dialogErrors: metrics.dialogErrors };
    },
  };
}

/**
 * The adapter's own verifiers, its certificate cache filled with the bench's chain: the adapter only
 * downloads from s3.amazonaws.com, which this machine cannot reach; after that first download it verifies
 * every request against the cached chain exactly as here (URL rules, RSA-SHA256 over the body, timestamp).
 */
function verifiersOf(config: ExpressChildConfig) {
  if (config.target !== 'express-verified') return [];
  const signature = new SkillRequestSignatureVerifier();
  const cache = (signature as unknown as { certCache: Map<string, string> }).certCache;
  if (!(cache instanceof Map)) throw new Error('ask-sdk-express-adapter changed: no certCache to fill');
  for (const [url, pem] of Object.entries(config.chains ?? {})) cache.set(url, pem);
  return [signature, new TimestampVerifier()];
}
