export { refusedAddress } from './address-policy';
export { DEFAULT_RETRY, type DeliveryDeps, type RetryPolicy, sendPendingDeliveries } from './deliver';
export { type EvaluateAlertsDeps, evaluateAlerts } from './evaluate-alerts';
export { breached, transitionOf } from './judge';
export { alertMessage, type SlackMessage } from './message';
export {
  ALERT_METRIC_INFO,
  type AlertMetricInfo,
  conditionProblem,
  describeCondition,
  formatValue,
  thresholdProblem,
} from './metric-catalogue';
export { DEFAULT_TOLERANCE_SECONDS, SIGNATURE_HEADER, signatureHeader, verifySignature } from './signature';
export { postSigned } from './webhook-request';
export { checkWebhookUrl, type Lookup, type WebhookPolicy, webhookPolicyFor } from './webhook-url';
