/** Dashboard queries: every one takes the caller's merchant id and zod-validated parameters. */

export {
  type AlertWindowFigures,
  type AlertWindowParams,
  alertWindowParamsSchema,
  queryAlertWindow,
} from './alert-window.query';
export { DATE_BOUNDS, dayNumber, daysBetween, previousPeriodOf } from './calendar-date';
export { type CatalogGap, queryCatalogGaps } from './catalog-gaps.query';
export { type DialogHealth, FALLBACK_INTENT, queryDialogHealth } from './dialog-health.query';
export { type ExitPoints, NO_END_RECORDED, queryExitPoints } from './exit-points.query';
export { queryFirstTurn } from './first-turn.query';
export { type FunnelGroup, type FunnelResult, type FunnelStepResult, queryFunnel } from './funnel.query';
export {
  type DroppedUnit,
  paramsSchema as funnelDropoffsParamsSchema,
  queryFunnelDropoffs,
} from './funnel-drilldown.query';
export { type FunnelDay, queryFunnelOverTime } from './funnel-over-time.query';
export {
  BREAKDOWNS,
  DEFAULT_FUNNEL_STEPS,
  FUNNEL_STEP_NAMES,
  type FunnelInput,
  type FunnelSpec,
  type FunnelStep,
  funnelSpecSchema,
} from './funnel-spec';
export { type InsightParams, insightParamsSchema } from './insights-params';
export {
  type Overview,
  type OverviewFigures,
  paramsSchema as overviewParamsSchema,
  queryOverview,
  queryPaidSessions,
  queryTimeToYes,
} from './overview.query';
export { FILTER_FIELDS, type Filter, rangeIssues, timeZoneSchema } from './params';
export {
  INTENT_COLUMNS,
  PRODUCT_REVENUE_COLUMNS,
  type PreviousPeriod,
  REVENUE_COLUMNS,
} from './previous-period';
export { queryRecordedSessions, type RecordedSessionsInput } from './recorded-sessions.query';
export { queryRejectedRequests } from './rejected-requests.query';
export {
  queryRevenueSummary,
  type RevenueSummary,
  type RevenueTotals,
  revenueParamsSchema,
} from './revenue.query';
export { queryRevenueBreakdown, type RevenueRow, revenueBreakdownSchema } from './revenue-breakdown.query';
export { type ProductRevenue, queryRevenueByProduct } from './revenue-by-product.query';
export {
  querySessionSearch,
  SESSION_OUTCOMES,
  SESSION_QUERY_MAX_LENGTH,
  type SessionOutcome,
  type SessionRevenue,
  type SessionSearchInput,
  type SessionSearchPage,
  type SessionSearchRow,
  sessionSearchSchema,
} from './session-search.query';
export { querySessionCount, querySessionDays } from './sessions';
export { type LatencyPercentiles, querySkillLatency } from './skill-latency.query';
export { type IntentCount, queryTopIntents } from './top-intents.query';
export {
  paramsSchema as transcriptParamsSchema,
  queryTranscript,
  type Transcript,
  type TranscriptEvent,
  type TranscriptSlot,
  type TranscriptTurn,
} from './transcript.query';
export { queryTurnsToPurchase, type TurnsToPurchase } from './turns-to-purchase.query';
