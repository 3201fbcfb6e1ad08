import { randomUUID } from 'node:crypto';
import { ssmlToPlainText } from '@pitchline/core';
import { interactionModel } from '@pitchline/voice-model';
import type { RequestEnvelope, ResponseEnvelope } from 'ask-sdk-model';
import { type DevSigner, signAlexaRequest } from './dev-ca';
import {
  createEnvelopeSession,
  createTextMatcher,
  type DynamicValues,
  describeResolutions,
  type EnvelopeOptions,
  type EnvelopeSession,
  resolveSlots,
} from './nlu';
import { DEFAULT_APPLICATION_ID } from './nlu/request-envelope';

type DynamicEntityValue = DynamicValues extends ReadonlyMap<string, readonly (infer V)[]> ? V : never;

/** Sends a signed body to the skill endpoint; fetch in the CLI, app.request in tests. */
export type Transport = (body: string, headers: Record<string, string>) => Promise<Response>;

export interface Heard {
  /** What was sent: the intent (or request type) and its slots. */
  request: string;
  speech: string;
  reprompt?: string;
  card?: string;
  ended: boolean;
  /** Entity resolution sent per slot, "product: dynamic no-match, static no-match". */
  resolutions?: string[];
}

/**
 * A typed conversation with the running skill, as a device would have it: text goes through the
 * same matcher the interaction model defines, custom-type slots carry Alexa's entity resolution (the
 * static model's values, and the dynamic ones once the skill has sent them this session, so a
 * one-shot request resolves against the static model only, as on a device), each request is signed
 * by the development CA and sent to the real endpoint, and the session attributes that come back go
 * into the next request.
 */
export class TalkConversation {
  private session: EnvelopeSession;
  /** Values of Dialog.UpdateDynamicEntities the skill sent this session; they end with it. */
  private dynamic = new Map<string, DynamicEntityValue[]>();
  private readonly matcher = createTextMatcher(interactionModel);

  private readonly options: EnvelopeOptions;

  constructor(
    private readonly transport: Transport,
    private readonly signer: DevSigner,
    options: EnvelopeOptions,
  ) {
    // One shopper and one device for the whole run: a new session is the same person coming back.
    this.options = {
      ...options,
      userId: options.userId ?? `amzn1.ask.account.talk-${randomUUID()}`,
      deviceId: options.deviceId ?? `amzn1.ask.device.talk-${randomUUID()}`,
    };
    this.session = createEnvelopeSession(this.options);
  }

  /** null for blank input. */
  async say(text: string): Promise<Heard | null> {
    if (this.matcher.isLaunch(text)) return this.send(this.session.launch(), 'LaunchRequest');
    const match = this.matcher.match(text);
    if (!match) return null;
    const slots = Object.entries(match.slots).map(([k, v]) => `${k}=${v}`);
    const applicationId = this.options.applicationId ?? DEFAULT_APPLICATION_ID;
    const resolutions = resolveSlots(
      interactionModel,
      applicationId,
      match.intent,
      match.slots,
      this.dynamic,
    );
    const heard = await this.send(
      this.session.intent(match.intent, match.slots, { resolutions }),
      [match.intent, ...slots].join(' '),
    );
    const described = Object.entries(resolutions).map(([k, r]) => `${k}: ${describeResolutions(r)}`);
    return described.length > 0 ? { ...heard, resolutions: described } : heard;
  }

  async launch(): Promise<Heard> {
    return this.send(this.session.launch(), 'LaunchRequest');
  }

  /** The session closed; the next thing said opens a new one. */
  restart(): void {
    this.session = createEnvelopeSession(this.options);
    this.dynamic = new Map();
  }

  private learnDynamicEntities(directive: { type: string }): void {
    if (directive.type !== 'Dialog.UpdateDynamicEntities') return;
    const update = directive as {
      updateBehavior?: string;
      types?: { name: string; values: DynamicEntityValue[] }[];
    };
    if (update.updateBehavior === 'CLEAR') this.dynamic = new Map();
    else for (const t of update.types ?? []) this.dynamic.set(t.name, t.values);
  }

  private async send(envelope: RequestEnvelope, label: string): Promise<Heard> {
    const body = JSON.stringify(envelope);
    const res = await this.transport(body, {
      'content-type': 'application/json',
      ...signAlexaRequest(body, this.signer),
    });
    if (res.status !== 200) throw new Error(`the skill answered HTTP ${res.status}: ${await res.text()}`);
    const answer = (await res.json()) as ResponseEnvelope;
    this.session.setAttributes(answer.sessionAttributes);
    const out = answer.response;
    for (const directive of out.directives ?? []) this.learnDynamicEntities(directive);
    const plain = (speech: typeof out.outputSpeech) =>
      speech?.type === 'SSML' ? ssmlToPlainText(speech.ssml) : (speech?.text ?? '');
    const card = out.card;
    const cardText =
      card?.type === 'Simple'
        ? `${card.title}: ${card.content}`
        : card?.type === 'Standard'
          ? `${card.title}: ${card.text}`
          : card?.type === 'LinkAccount'
            ? 'Link your account (LinkAccount card in the Alexa app)'
            : undefined;
    const ended = out.shouldEndSession !== false;
    if (ended) this.restart();
    return {
      request: label,
      speech: plain(out.outputSpeech),
      ...(out.reprompt ? { reprompt: plain(out.reprompt.outputSpeech) } : {}),
      ...(cardText ? { card: cardText } : {}),
      ended,
    };
  }
}
