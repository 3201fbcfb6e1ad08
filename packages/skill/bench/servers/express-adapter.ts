import { hashUserId, silentLogger } from '@pitchline/core';
import type { Skill } from 'ask-sdk-core';
import { ExpressAdapter } from 'ask-sdk-express-adapter';
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
 * Baseline (b): the same Pitchline dialog handlers (buildSkill, same database and catalog cache)
 * served the way the ASK SDK documents, behind ask-sdk-express-adapter, with its signature and
 * timestamp verifiers off and nothing recorded.
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
  const adapter = new ExpressAdapter(withTurn as unknown as Skill, false, false);
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
