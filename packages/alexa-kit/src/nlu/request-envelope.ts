import { randomUUID } from 'node:crypto';
import type { InteractionModel } from '@pitchline/voice-model';
import type {
  Context,
  DialogState,
  IntentConfirmationStatus,
  IntentRequest,
  LaunchRequest,
  RequestEnvelope,
  Session,
  SessionEndedErrorType,
  SessionEndedReason,
  SessionEndedRequest,
  Slot,
} from 'ask-sdk-model';
import type { Resolutions } from './entity-resolution';

/**
 * Request envelopes shaped like the JSON Alexa POSTs to the skill endpoint (as captured from real
 * devices and the developer console), for `npm run talk`, the simulator and tests. Ids use Alexa's
 * prefixes so code that inspects them (logging, hashing, signature checks) sees realistic values.
 */

export const DEFAULT_APPLICATION_ID = 'amzn1.ask.skill.00000000-0000-4000-8000-000000000000';
export const ALEXA_API_ENDPOINT = 'https://api.amazonalexa.com';

export const newRequestId = () => `amzn1.echo-api.request.${randomUUID()}`;
export const newSessionId = () => `amzn1.echo-api.session.${randomUUID()}`;
const newUserId = () => `amzn1.ask.account.${randomUUID().replace(/-/g, '').toUpperCase()}`;
const newDeviceId = () => `amzn1.ask.device.${randomUUID().replace(/-/g, '').toUpperCase()}`;

export interface EnvelopeOptions {
  applicationId?: string;
  userId?: string;
  deviceId?: string;
  locale?: string;
  /** An Echo Show or other APL device: adds Alexa.Presentation.APL and the Viewport state. */
  screen?: boolean;
  sessionId?: string;
  /** Defaults to true for LaunchRequest, false otherwise (a one-shot intent should pass true). */
  newSession?: boolean;
  attributes?: Record<string, unknown>;
  /** The account-linking token (OAuth access token), present once the shopper has linked. */
  accessToken?: string;
  /** Token for Alexa's own APIs (e.g. Dialog.UpdateDynamicEntities does not need it, settings do). */
  apiAccessToken?: string;
  apiEndpoint?: string;
  now?: Date;
  requestId?: string;
}

/** Alexa sends second-precision UTC timestamps such as 2026-11-27T04:39:17Z. */
export function alexaTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A typical Echo Show 8 viewport, as sent in context.Viewport. */
const SCREEN_VIEWPORT: NonNullable<Context['Viewport']> = {
  experiences: [{ arcMinuteWidth: 346, arcMinuteHeight: 216, canRotate: false, canResize: false }],
  mode: 'HUB',
  shape: 'RECTANGLE',
  pixelWidth: 1280,
  pixelHeight: 800,
  dpi: 160,
  currentPixelWidth: 1280,
  currentPixelHeight: 800,
  touch: ['SINGLE'],
  video: { codecs: ['H_264_42', 'H_264_41'] },
};

interface Resolved {
  applicationId: string;
  user: { userId: string; accessToken?: string };
  deviceId: string;
  locale: string;
  screen: boolean;
  sessionId: string;
  attributes: Record<string, unknown>;
  apiAccessToken: string;
  apiEndpoint: string;
  timestamp: string;
  requestId: string;
}

function resolve(options: EnvelopeOptions): Resolved {
  const user: Resolved['user'] = { userId: options.userId ?? newUserId() };
  if (options.accessToken !== undefined) user.accessToken = options.accessToken;
  return {
    applicationId: options.applicationId ?? DEFAULT_APPLICATION_ID,
    user,
    deviceId: options.deviceId ?? newDeviceId(),
    locale: options.locale ?? 'en-US',
    screen: options.screen ?? false,
    sessionId: options.sessionId ?? newSessionId(),
    attributes: options.attributes ?? {},
    apiAccessToken: options.apiAccessToken ?? `simulated.${randomUUID()}`,
    apiEndpoint: options.apiEndpoint ?? ALEXA_API_ENDPOINT,
    timestamp: alexaTimestamp(options.now ?? new Date()),
    requestId: options.requestId ?? newRequestId(),
  };
}

function envelope(r: Resolved, isNew: boolean, request: RequestEnvelope['request']): RequestEnvelope {
  const application = { applicationId: r.applicationId };
  const session: Session = {
    new: isNew,
    sessionId: r.sessionId,
    application,
    attributes: r.attributes,
    user: { ...r.user },
  };
  const context: Context = {
    System: {
      application,
      user: { ...r.user },
      device: {
        deviceId: r.deviceId,
        supportedInterfaces: r.screen
          ? { 'Alexa.Presentation.APL': { runtime: { maxVersion: '2024.3' } } }
          : {},
      },
      apiEndpoint: r.apiEndpoint,
      apiAccessToken: r.apiAccessToken,
    },
  };
  if (r.screen) context.Viewport = SCREEN_VIEWPORT;
  return { version: '1.0', session, context, request };
}

export function buildLaunchRequest(options: EnvelopeOptions = {}): RequestEnvelope {
  const r = resolve(options);
  const request: LaunchRequest & { shouldLinkResultBeReturned: boolean } = {
    type: 'LaunchRequest',
    requestId: r.requestId,
    timestamp: r.timestamp,
    locale: r.locale,
    shouldLinkResultBeReturned: false,
  };
  return envelope(r, options.newSession ?? true, request);
}

export interface IntentRequestOptions extends EnvelopeOptions {
  /** Present only for skills with a dialog model; omitted by default, as Alexa does otherwise. */
  dialogState?: DialogState;
  confirmationStatus?: IntentConfirmationStatus;
  /** With the model, every slot the intent declares is present, unfilled ones without a value. */
  model?: InteractionModel;
  /** Entity resolution per filled slot (entity-resolution.ts); Alexa puts it on the slot and its slotValue. */
  resolutions?: Record<string, Resolutions>;
}

/** Alexa's slot JSON carries source: "USER", which ask-sdk-model does not type. */
type WireSlot = Slot & { source?: 'USER' };

export function buildIntentRequest(
  intentName: string,
  slots: Record<string, string | undefined> = {},
  options: IntentRequestOptions = {},
): RequestEnvelope {
  const r = resolve(options);
  const declared =
    options.model?.interactionModel.languageModel.intents
      .find((i) => i.name === intentName)
      ?.slots?.map((s) => s.name) ?? [];
  const names = [...new Set([...declared, ...Object.keys(slots)])];
  const wireSlots: Record<string, WireSlot> = {};
  for (const name of names) {
    const value = slots[name];
    const resolutions = value === undefined ? undefined : options.resolutions?.[name];
    wireSlots[name] =
      value === undefined
        ? { name, confirmationStatus: 'NONE' }
        : resolutions
          ? {
              name,
              value,
              resolutions,
              confirmationStatus: 'NONE',
              source: 'USER',
              slotValue: { type: 'Simple', value, resolutions },
            }
          : { name, value, confirmationStatus: 'NONE', source: 'USER', slotValue: { type: 'Simple', value } };
  }
  const intent: IntentRequest['intent'] = {
    name: intentName,
    confirmationStatus: options.confirmationStatus ?? 'NONE',
  };
  if (names.length > 0) intent.slots = wireSlots;
  const request = {
    type: 'IntentRequest',
    requestId: r.requestId,
    timestamp: r.timestamp,
    locale: r.locale,
    ...(options.dialogState ? { dialogState: options.dialogState } : {}),
    intent,
  } as IntentRequest;
  return envelope(r, options.newSession ?? false, request);
}

export interface SessionEndedOptions extends EnvelopeOptions {
  error?: { type: SessionEndedErrorType; message: string };
}

export function buildSessionEndedRequest(
  reason: SessionEndedReason,
  options: SessionEndedOptions = {},
): RequestEnvelope {
  const r = resolve(options);
  const request: SessionEndedRequest = {
    type: 'SessionEndedRequest',
    requestId: r.requestId,
    timestamp: r.timestamp,
    locale: r.locale,
    reason,
  };
  if (options.error) request.error = options.error;
  return envelope(r, options.newSession ?? false, request);
}

/**
 * A conversation keeps one session id, user and device across requests, marks only the first
 * request new, and carries the session attributes the skill returned, as Alexa does.
 */
export interface EnvelopeSession {
  readonly sessionId: string;
  launch(): RequestEnvelope;
  intent(
    name: string,
    slots?: Record<string, string | undefined>,
    extra?: IntentRequestOptions,
  ): RequestEnvelope;
  ended(reason: SessionEndedReason, error?: SessionEndedOptions['error']): RequestEnvelope;
  /** Feed back response.sessionAttributes after each turn. */
  setAttributes(attributes: Record<string, unknown> | undefined): void;
}

export function createEnvelopeSession(base: EnvelopeOptions = {}): EnvelopeSession {
  const fixed: EnvelopeOptions = {
    ...base,
    sessionId: base.sessionId ?? newSessionId(),
    userId: base.userId ?? newUserId(),
    deviceId: base.deviceId ?? newDeviceId(),
  };
  let first = base.newSession ?? true;
  let attributes = base.attributes ?? {};
  const next = (): EnvelopeOptions => {
    const o = { ...fixed, newSession: first, attributes };
    first = false;
    return o;
  };
  return {
    sessionId: fixed.sessionId as string,
    launch: () => buildLaunchRequest(next()),
    intent: (name, slots, extra) => buildIntentRequest(name, slots, { ...next(), ...extra }),
    ended: (reason, error) => buildSessionEndedRequest(reason, { ...next(), ...(error ? { error } : {}) }),
    setAttributes: (a) => {
      attributes = a ?? {};
    },
  };
}
