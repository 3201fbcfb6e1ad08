import { queryFirstTurn } from '@pitchline/analytics';
import { linkedCustomers, listSkills, orders } from '@pitchline/db';
import { and, count, desc, eq, isNotNull } from 'drizzle-orm';
import { Hono } from 'hono';
import type { DashboardEnv } from '../auth/caller';
import { authenticate, csrfToken } from '../auth/middleware';
import type { Settings } from '../deps';

/*
 * How far this merchant is from selling through Alexa, read from what happened rather than from boxes
 * someone ticked: a skill id bound, a verified request answered, a shopper's account linked, an order
 * paid. Every member may read it; each step says what it saw, or what to do next.
 */

export type SetupStep = {
  id: 'skill_bound' | 'first_request' | 'account_linked' | 'order_paid';
  done: boolean;
  /** What was seen ("Northwind Coffee"), or what to do next. */
  detail: string;
  at: string | null;
};

export function setupChecklistRoutes(settings: Settings) {
  const { db } = settings;
  return new Hono<DashboardEnv>().use(authenticate(settings), csrfToken()).get('/', async (c) => {
    const merchantId = c.get('caller').merchantId;
    const [skills, [linked], [paid], firstTurn] = await Promise.all([
      listSkills(db, merchantId),
      db.select({ n: count() }).from(linkedCustomers).where(eq(linkedCustomers.merchantId, merchantId)),
      db
        .select({ paidAt: orders.paidAt })
        .from(orders)
        .where(and(eq(orders.merchantId, merchantId), isNotNull(orders.paidAt)))
        .orderBy(desc(orders.paidAt))
        .limit(1),
      settings.ch ? queryFirstTurn(settings.ch, merchantId) : Promise.resolve(undefined),
    ]);
    const linkedCount = Number(linked?.n ?? 0);
    const steps: SetupStep[] = [
      {
        id: 'skill_bound',
        done: skills.length > 0,
        detail:
          skills.length > 0
            ? skills.map((s) => s.name).join(', ')
            : 'Create the skill in the Alexa developer console from your skill package, then add its skill id in Skills.',
        at: skills[0]?.createdAt.toISOString() ?? null,
      },
      {
        id: 'first_request',
        done: Boolean(firstTurn),
        detail:
          firstTurn === undefined
            ? 'Analytics is not connected on this server, so requests cannot be seen here.'
            : firstTurn
              ? // By the skill's name: a person reads this, the id is in Skills.
                `First answered through ${skills.find((k) => k.id === firstTurn.skillId)?.name ?? 'a skill no longer added here'}.`
              : 'Say "Alexa, open <your invocation name>" to a device or in the developer console’s test tab.',
        at: firstTurn ? firstTurn.at.toISOString() : null,
      },
      {
        id: 'account_linked',
        done: linkedCount > 0,
        detail:
          linkedCount > 0
            ? `${linkedCount} ${linkedCount === 1 ? 'shopper has' : 'shoppers have'} linked an account.`
            : 'Link an account from the skill’s page in the Alexa app, so checkout knows whom to charge.',
        at: null,
      },
      {
        id: 'order_paid',
        done: Boolean(paid?.paidAt),
        detail: paid?.paidAt
          ? 'An order was paid.'
          : 'Place a test order: "add a product", "check out", "yes" — in simulated payment mode no money moves.',
        at: paid?.paidAt ? paid.paidAt.toISOString() : null,
      },
    ];
    return c.json({ steps, ready: steps.every((s) => s.done) }, 200);
  });
}
