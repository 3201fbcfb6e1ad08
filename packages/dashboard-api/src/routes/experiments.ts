import { experimentArmFigures, experimentMetricFigure, experimentResults } from '@pitchline/analytics';
import { experimentDefinitionSchema, experimentPatchSchema } from '@pitchline/core';
import {
  concludeExperiment,
  createExperiment,
  ExperimentError,
  type ExperimentView,
  experimentHistory,
  getExperiment,
  listExperiments,
  startExperiment,
  stopExperiment,
  updateExperiment,
} from '@pitchline/db';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { Caller, DashboardEnv } from '../auth/caller';
import { authenticate, csrfToken, requireExperimentWrite, requireScope } from '../auth/middleware';
import type { Settings } from '../deps';
import { conflict, notFound } from '../http/errors';
import { validate } from '../http/validate';

/*
 * Experiments of the caller's merchant. Every repository call takes the merchant from the caller;
 * an id of another merchant's experiment is "not found" (404) on every route, reads and writes alike.
 * Input is checked here with core's own schemas (400 with the zod issues); what only the store can
 * judge (lifecycle, key taken) comes back as ExperimentError and is mapped below.
 */

const idParam = z.object({ id: z.string() });
const concludeBody = z.object({ shippedVariantKey: z.string().min(1) });

/**
 * Writes need a member to record in the history: the owner signed in, or the member who made the
 * key (requireExperimentWrite turned away keys whose maker is gone).
 */
function actor(caller: Caller): string {
  if (caller.kind === 'session') return caller.memberId;
  if (caller.actingMemberId === null) throw new Error('requireExperimentWrite let an orphaned key write');
  return caller.actingMemberId;
}

function storeError(c: Context, error: unknown) {
  if (!(error instanceof ExperimentError)) throw error;
  switch (error.code) {
    case 'not_found':
      return notFound(c);
    case 'conflict':
      return c.json(
        { error: 'conflict' as const, reason: error.reasons.join('; '), reasons: error.reasons },
        409,
      );
    case 'invalid':
      return c.json({ error: 'invalid_request' as const, reasons: error.reasons }, 400);
  }
}

/** Answers with the experiment a store call returns, or the status its ExperimentError stands for. */
async function withExperiment(c: Context, status: 200 | 201, run: () => Promise<ExperimentView>) {
  try {
    return c.json({ experiment: await run() }, status);
  } catch (error) {
    return storeError(c, error);
  }
}

export function experimentRoutes(settings: Settings) {
  const { db } = settings;
  return (
    new Hono<DashboardEnv>()
      .use(authenticate(settings), csrfToken())
      // Reads need analytics:read; writes are judged by requireExperimentWrite alone, so a key made
      // only to write (a deploy script) works without reading results.
      .on(['GET', 'HEAD'], '*', requireScope('analytics:read'))
      .get('/', async (c) =>
        c.json({ experiments: await listExperiments(db, c.get('caller').merchantId) }, 200),
      )
      .post('/', requireExperimentWrite(), validate('json', experimentDefinitionSchema), async (c) => {
        const caller = c.get('caller');
        return withExperiment(c, 201, () =>
          createExperiment(db, caller.merchantId, actor(caller), c.req.valid('json')),
        );
      })
      .get('/:id', validate('param', idParam), async (c) => {
        const experiment = await getExperiment(db, c.get('caller').merchantId, c.req.valid('param').id);
        return experiment ? c.json({ experiment }, 200) : notFound(c);
      })
      .patch(
        '/:id',
        requireExperimentWrite(),
        validate('param', idParam),
        validate('json', experimentPatchSchema),
        async (c) => {
          const caller = c.get('caller');
          return withExperiment(c, 200, () =>
            updateExperiment(
              db,
              caller.merchantId,
              actor(caller),
              c.req.valid('param').id,
              c.req.valid('json'),
            ),
          );
        },
      )
      .post('/:id/start', requireExperimentWrite(), validate('param', idParam), async (c) => {
        const caller = c.get('caller');
        return withExperiment(c, 200, () =>
          startExperiment(db, caller.merchantId, actor(caller), c.req.valid('param').id),
        );
      })
      .post('/:id/stop', requireExperimentWrite(), validate('param', idParam), async (c) => {
        const caller = c.get('caller');
        return withExperiment(c, 200, () =>
          stopExperiment(db, caller.merchantId, actor(caller), c.req.valid('param').id),
        );
      })
      .post(
        '/:id/conclude',
        requireExperimentWrite(),
        validate('param', idParam),
        validate('json', concludeBody),
        async (c) => {
          const caller = c.get('caller');
          return withExperiment(c, 200, () =>
            concludeExperiment(
              db,
              caller.merchantId,
              actor(caller),
              c.req.valid('param').id,
              c.req.valid('json').shippedVariantKey,
            ),
          );
        },
      )
      .get('/:id/history', validate('param', idParam), async (c) => {
        try {
          const history = await experimentHistory(db, c.get('caller').merchantId, c.req.valid('param').id);
          return c.json({ history }, 200);
        } catch (error) {
          return storeError(c, error);
        }
      })
      /*
       * Results with the analysis settings fixed in code (α, planned duration, MDE): a viewer who could
       * pick them per request could pick the ones that make a variant win.
       */
      .get('/:id/results', validate('param', idParam), async (c) => {
        const { merchantId } = c.get('caller');
        const experiment = await getExperiment(db, merchantId, c.req.valid('param').id);
        if (!experiment) return notFound(c);
        if (!experiment.startedAt)
          return conflict(c, 'the experiment has not started: there are no results yet');
        if (!settings.ch) return c.json({ error: 'analytics_unavailable' as const }, 503);
        const results = await experimentResults(settings.ch, {
          merchantId,
          // The stored definition carries the analysis choices made before the start: metrics, window,
          // holdout (its own row in the results) and revenueCapQuantile (winsorised revenue per user).
          experiment: { ...experiment, startedAt: experiment.startedAt },
          now: settings.now(),
        });
        // Names beside keys, and each arm's figures with their metric ids (catalogue experiment_*).
        const variantNames = new Map(experiment.variants.map((v) => [v.key, v.name]));
        return c.json(
          {
            results: {
              ...results,
              name: experiment.name,
              variants: results.variants.map((v) => ({
                ...v,
                name: variantNames.get(v.key) ?? v.key,
                figures: experimentArmFigures(v, v.isControl ? 'control' : 'treatment'),
                // `metric` stays the experiment's setting; `figure` is the value under its catalogue id.
                metrics: v.metrics.map((m) => ({ ...m, figure: experimentMetricFigure(m) })),
              })),
              ...(results.holdout
                ? {
                    holdout: {
                      ...results.holdout,
                      name: 'Holdout (heard no variant)',
                      figures: experimentArmFigures(results.holdout, 'holdout'),
                    },
                  }
                : {}),
            },
          },
          200,
        );
      })
  );
}
