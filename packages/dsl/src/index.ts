export type * from './model/common.js';
export type * from './model/vocabulary.js';
export type * from './model/work.js';
export type * from './model/stage.js';
export type * from './model/rules.js';
export type * from './model/process.js';
export type * from './model/cohort.js';
export type * from './model/lights.js';
export type * from './model/extensions.js';
export type * from './model/items.js';
export { LuoshiError, fillTemplate, resolveLanguage } from './errors/luoshi-error.js';
export type { BilingualMessage, Language, SourceSpan } from './errors/luoshi-error.js';
export { dslMessages, type DslCode } from './errors/dsl-messages.js';
export { diagnostic, formatDiagnostic, sortDiagnostics, type Diagnostic, type Severity } from './errors/diagnostic.js';
export { parseProcessText, parseProcessTexts, pointerSegments, toPointer, type ParsedFile, type ParseOptions } from './source/parsed-file.js';
export { cycleMonths } from './validate/cycle-checks.js';
export { DSL_LIMITS, MAX_DURATION, RESERVED_IDS, STANDING_HORIZON_YEARS } from './limits.js';
export { collectProcessFiles, readProcessFile } from './source/load-files.js';
export { FileTooLarge, NOT_REGULAR_WORDS, NotARegularFile, readRegularFile, type NotRegularKind } from './source/regular-file.js';
export { fileReadMessages, type FileReadCode } from './errors/file-read-messages.js';
export { arabicNumerals } from './calendar/chinese-numerals.js';
export { parseDateSpec, type DateSpec, type PeriodSide, type YearPart } from './calendar/date-spec.js';
export { parseWindowSpec, type WindowSpec } from './calendar/window-spec.js';
export { parseDurationSpec, type DurationSpec, type DurationUnit } from './calendar/duration-spec.js';
export { parseDueSpec, type DueSpec } from './calendar/due-spec.js';
export {
  isMonthlyRecurrence,
  parseRecurrenceSpec,
  recurrenceProblemText,
  type OccurrenceDue,
  type RecurrenceError,
  type RecurrenceProblem,
  type RecurrenceSpec,
} from './calendar/recurrence-spec.js';
export { holidayCalendarCovers } from './calendar/holiday-coverage.js';
export {
  DEFAULT_TIMEZONE,
  earliestEnd,
  isKnownTimezone,
  isoDay,
  resolveDate,
  type CalendarFrame,
} from './calendar/resolve-date.js';
export {
  conditionNames,
  evaluateCondition,
  parseCondition,
  truthy,
  type CompareOperator,
  type ConditionNode,
  type ConditionProblem,
  type ConditionScope,
  type ConditionValue,
} from './expression/condition.js';
export { processSchema, processSchemaPath } from './validate/process-schema.js';
export { checkSchema } from './validate/schema-check.js';
export { schemaErrorDiagnostics, type SchemaDiagnosticFactory, type SchemaProblem } from './validate/schema-errors.js';
export { checkCampaignSemantics, checkSubProcessSemantics, graphOf, type LocatedSubProcess } from './validate/semantic-check.js';
export { SubProcessGraph, type ExpansionMeasure, type UseCycle, type UseSite } from './validate/subprocess-graph.js';
export {
  validateParsedFiles,
  validateProcessPaths,
  validateProcessText,
  validateProcessTexts,
  skippedNote,
  type FileValidation,
  type SkippedFile,
  type ValidationResult,
} from './validate/validate-processes.js';
export { renderMermaid, type MermaidOptions, type MermaidView } from './diagram/render-mermaid.js';
export {
  anchorIn,
  CAMPAIGN_SCOPE,
  keyIn,
  repeatedSubprocesses,
  scopeOfUse,
  useName,
  USE_SEPARATOR,
  workIdsOf,
  type UseScope,
} from './uses/use-namespace.js';
