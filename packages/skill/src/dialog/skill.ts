import type { RequestHandler } from 'ask-sdk-core';
import { getIntentName, getRequestType, SkillBuilders } from 'ask-sdk-core';
import { updateDynamicEntities } from '../catalog/dynamic-entities';
import { createExperimentCache } from '../experiments/cache';
import { createLinkedCustomerCache } from './checkout/linked-customers';
import type { DialogDeps, DialogHandler } from './handler';
import { DIALOG_HANDLERS } from './handlers';
import { handleDialogError } from './handlers/error';
import { readSession, writeSession } from './session';
import { turnOf } from './turn';

export type CustomSkill = ReturnType<ReturnType<typeof SkillBuilders.custom>['create']>;

function toRequestHandler(handler: DialogHandler, deps: DialogDeps): RequestHandler {
  const intents = new Set(handler.intents ?? []);
  const requestTypes = new Set(handler.requestTypes ?? []);
  const catchAll = intents.size === 0 && requestTypes.size === 0;
  return {
    canHandle(input) {
      if (catchAll) return true;
      const type = getRequestType(input.requestEnvelope);
      if (requestTypes.has(type)) return true;
      return type === 'IntentRequest' && intents.has(getIntentName(input.requestEnvelope));
    },
    handle: (input) => handler.handle(input, turnOf(input), deps),
  };
}

/** DialogDeps, with the experiment source and linked-customer cache made here (one per app) unless given. */
export type SkillBuildOptions = Omit<DialogDeps, 'experiments' | 'linkedCustomers'> &
  Partial<Pick<DialogDeps, 'experiments' | 'linkedCustomers'>>;

/**
 * Built once per app: handlers close over the deps shared by all requests, and everything that
 * belongs to one request reaches them through the invoke context (TurnState).
 */
export function buildSkill(options: SkillBuildOptions): CustomSkill {
  const deps: DialogDeps = {
    ...options,
    experiments: options.experiments ?? createExperimentCache(options.db),
    linkedCustomers: options.linkedCustomers ?? createLinkedCustomerCache(options.db),
  };
  return SkillBuilders.custom()
    .addRequestHandlers(...DIALOG_HANDLERS.map((h) => toRequestHandler(h, deps)))
    .addRequestInterceptors((input) => {
      if (!input.requestEnvelope.session) return;
      const turn = turnOf(input);
      const data = readSession(input);
      turn.pending = data.pending;
      data.pending = undefined;
      writeSession(input, data);
    })
    .addResponseInterceptors(async (input, response) => {
      // Alexa resolves against the catalog only once it has been sent: do it on the first response
      // of every session, launch or one-shot ("ask northwind shop to add a kettle").
      if (!response || !input.requestEnvelope.session?.new || response.shouldEndSession !== false) return;
      if (response.directives?.some((d) => d.type === 'Dialog.UpdateDynamicEntities')) return;
      const directive = updateDynamicEntities(await turnOf(input).catalog());
      if (directive) response.directives = [...(response.directives ?? []), directive];
    })
    .addErrorHandlers({
      canHandle: () => true,
      handle: (input, error) => handleDialogError(input, error, deps),
    })
    .create();
}
