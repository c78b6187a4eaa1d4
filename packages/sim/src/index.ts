export type * from './model/scenario.js';
export { simMessages, type SimCode } from './errors/sim-messages.js';
export { simError } from './errors/sim-error.js';
export { scenarioDiagnostic, type ScenarioDiagnostic } from './errors/scenario-diagnostic.js';
export { createPrng, type Prng } from './random/prng.js';
export { exponential, sample, standardNormal } from './random/distributions.js';
export { Agenda, type AgendaEntry } from './agenda/agenda.js';
export { generateOrganisation } from './organisation/generate-organisation.js';
export { scenarioSchema, scenarioSchemaPath } from './scenario/scenario-schema.js';
export { checkScenarioMeaning, checkScenarioShape } from './scenario/check-scenario.js';
export { checkComparedScenarios, checkRunsAndSeed, checkThreads, checkUntil, SCENARIO_LIMITS, workerThreads } from './scenario/scenario-limits.js';
export {
  kindsOf,
  loadScenarioFile,
  readScenarioBytes,
  sortScenarioDiagnostics,
  validateScenarioText,
  type ReadText,
  type ScenarioValidation,
} from './scenario/load-scenario.js';
export type {
  DeadlineOutcome,
  MonthSample,
  RankingOutcome,
  SimulationResult,
  StandingOutcome,
  Timeline,
  TimelineDeadline,
  TimelinePhase,
  UnitOutcome,
  UnitTaskCounts,
} from './simulation-result.js';
export { DEFAULT_MAX_REFUSED_SHARE, SIMULATION_CAMPAIGN_ID, simulate, type SentEvent, type SimulateOptions } from './simulate.js';
export { compiledCacheFor, readLiveCampaign, phasesAt, type CampaignReader, type LiveCampaign, type PhaseStep, type ReadLiveCampaignOptions } from './from/live-campaign.js';
export { simulateFrom, type SimulateFromOptions } from './from/simulate-from.js';
export { monteCarloFrom, monteCarloFromRuns, type MonteCarloFromOptions } from './from/monte-carlo-from.js';
export { compareScenariosFrom, type CompareScenariosFromOptions } from './from/compare-scenarios-from.js';
export { fitScenario, type FitScenarioOptions, type FittedScenario } from './from/fit-scenario.js';
export { fitSamples, type FitSamples, type KindSamples, type RoundCounts } from './from/fit-samples.js';
export { LightBoard, type LightMonth, type LightsResult } from './light-board.js';
export type { ItemsResult } from './item-flow.js';
export type { ExtensionCounts, ExtensionsResult } from './extension-flow.js';
export {
  aggregate,
  deriveSeeds,
  monteCarlo,
  monteCarloRuns,
  type MonteCarloRuns,
  spread,
  type DeadlineSpread,
  type ExtensionCountsSpread,
  type ExtensionsSpread,
  type MonteCarloOptions,
  type MonteCarloResult,
  type LightMonthSpread,
  type MonthSpread,
  type RankDistribution,
  type RankingSpread,
  type Spread,
  type UnitEffectSpread,
  type UnitSpread,
} from './monte-carlo.js';
export {
  compareScenarios,
  comparisonOf,
  GROUPS,
  metricsOf,
  type ComparedScenario,
  type CompareScenariosOptions,
  type MetricComparison,
  type MetricGroup,
  type ScenarioComparison,
} from './compare/compare-scenarios.js';
export { formatDifference, hiddenNote, metricLabel, shownMetrics } from './compare/metric-label.js';
export { pairedDifference, tQuantile975, type PairedDifference } from './compare/paired-interval.js';
export { renderReport, type RenderReportOptions } from './report/render-report.js';
export { escapeHtml } from './report/escape-html.js';
export { RESULT_COLUMNS, deadlineRisks, resultRows, toCsv, unitsByRisk, unitTable, type Cell, type ColumnFormat, type DataTable, type DeadlineRisk } from './report/report-tables.js';
export { assumptionsInWords, type Assumption } from './report/assumptions.js';
