export type { Clock } from './ports/clock.js';
export type { Effect, EffectsSink } from './ports/effects-sink.js';
export type {
  CampaignRecord,
  DefinitionRecord,
  HistoryRecord,
  InstanceRecord,
  OutboxRecord,
  Store,
  StoreTransaction,
  TimerRecord,
} from './ports/store.js';
export { engineMessages, type EngineCode } from './errors/engine-messages.js';
export { EngineError, StoreConflictError } from './errors/engine-error.js';
export { CampaignCalendar, type ResolvedWindow } from './calendar/campaign-calendar.js';
