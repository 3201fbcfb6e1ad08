// The development CA lives in @pitchline/alexa-kit/dev-ca: it loads @peculiar/x509 and the global
// reflect-metadata polyfill, which production has no use for; only dev tools and tests import it.
export {
  ALEXA_SIGNING_SAN,
  type ChainCheck,
  checkCertificateChain,
  createTrustStore,
  splitPemCertificates,
  TrustStore,
} from './cert-chain';
export { CertFetchError, type CertFetcher, type CertFetcherOptions, createCertFetcher } from './cert-fetcher';
export { CertStore, type CertStoreOptions, type CertStoreStats, type SigningKeyLookup } from './cert-store';
export { type CertUrlCheck, checkCertUrl } from './cert-url';
export {
  type AlexaMiddlewareOptions,
  type AlexaVerificationEnv,
  type AlexaVerificationVariables,
  alexaVerification,
} from './middleware';
export { boundDetail, REJECTION_REASONS, type RejectionReason } from './reasons';
export { checkBodySignature } from './signature';
export {
  checkTimestamp,
  REQUEST_TOLERANCE_MS,
  SKILL_EVENT_TOLERANCE_MS,
  type TimestampCheck,
} from './timestamp';
export {
  type AlexaVerifier,
  type AlexaVerifierOptions,
  CERT_URL_HEADER,
  createAlexaVerifier,
  type HeaderSource,
  MAX_BODY_BYTES,
  type Rejection,
  type ResolveSkill,
  SIGNATURE_HEADER,
  type VerifiedSkill,
  type VerifyResult,
} from './verifier';
