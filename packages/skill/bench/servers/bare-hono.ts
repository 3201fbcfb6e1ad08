import { SkillBuilders } from 'ask-sdk-core';
import type { RequestEnvelope } from 'ask-sdk-model';
import { Hono } from 'hono';
import { listenHono } from './listen';
import type { RunningServer } from './types';

/**
 * Baseline (a): the floor any Alexa endpoint on this stack pays (HTTP, JSON, ask-sdk-core dispatch)
 * with nothing of ours: no verification, no recording, one handler that answers every request.
 */
export async function startBareHono(): Promise<RunningServer> {
  const skill = SkillBuilders.custom()
    .addRequestHandlers({
      canHandle: () => true,
      handle: (input) =>
        input.responseBuilder.speak('Welcome to the shop.').reprompt('What would you like?').getResponse(),
    })
    .create();
  let answered = 0;
  const app = new Hono();
  app.post('/alexa', async (c) => {
    const response = await skill.invoke(await c.req.json<RequestEnvelope>());
    answered++;
    return c.json(response);
  });
  const server = await listenHono(app);
  return {
    port: server.port,
    close: async () => {
      await server.close();
      return { answered };
    },
  };
}
