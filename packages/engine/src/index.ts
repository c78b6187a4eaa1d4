export type { Clock } from './ports/clock.js';
export type { Effect, EffectsSink } from './ports/effects-sink.js';
export type {
  CampaignRecord,
  DefinitionRecord,
  HistoryRecord,
  InstanceRecord,
  SnapshotData,
  OutboxRecord,
  Store,
  StoreTransaction,
  TimerRecord,
} from './ports/store.js';
export { engineMessages, type EngineCode } from './errors/engine-messages.js';
export { EngineError, StoreConflictError } from './errors/engine-error.js';
export { CampaignCalendar, type ResolvedWindow } from './calendar/campaign-calendar.js';
export { SystemClock } from './clocks/system-clock.js';
export { VirtualClock } from './clocks/virtual-clock.js';
export { CampaignClocks } from './clocks/campaign-clocks.js';
export { MemoryStore, createMemoryStore, type MemoryStoreOptions } from './stores/memory-store.js';
export type { CampaignPlan, ItemPlan, PhasePlan, RankingPlan } from './compiler/campaign-plan.js';
export { compilePlan } from './compiler/compile-plan.js';
export { processBundle, type ProcessBundle } from './compiler/process-bundle.js';
export { compileMachine, ENDED } from './compiler/compile-machine.js';
export { phaseOf, type InstanceMeta, type UnitState } from './runtime/step.js';
export type { CampaignClosedEvent, EventFields, HostEvent, MachineEvent, RankingPlace } from './runtime/campaign-event.js';
export { HOST_EVENT_TYPES } from './runtime/campaign-event.js';
export { cycleId, writtenId } from './runtime/cycles.js';
export type { InstanceContext, TaskRecord, TaskStatus, TrackedItemRecord, TrackedItemStatus } from './runtime/instance-context.js';
export type { Light, LightCounts } from './runtime/lights.js';
export { proRataMonths, type ProRataMonths } from './runtime/item-lights.js';
export { ORGANISATION_LIMITS, sampleOrganisation, type OrganisationItem, type OrganisationMember, type OrganisationUnit } from './runtime/organisation.js';
export type { RankedSubject } from './runtime/ranking.js';
export type {
  ClosedCampaign,
  DeployedProcess,
  EngineChange,
  HistoryEntry,
  InstanceState,
  Outcomes,
  Rollup,
  SendResult,
  StartedCampaign,
  SubjectView,
  TaskStatusCounts,
  TaskView,
  TrackedItemView,
  ExtensionRequestView,
  UnitOutcomeCounts,
} from './runtime/views.js';
export { CompiledCache, createEngine, Engine, type CloseCampaignOptions, type EngineConfig, type SendOptions, type StartCampaignOptions } from './runtime/engine.js';
export { checkedCampaignId } from './runtime/engine/campaign-start.js';
export { createInProcessEngine, InProcessEngine, restoredUnits, type InProcessConfig, type RestoredUnits, type StoredCampaign } from './runtime/in-process.js';
export { taskOpenings, type TaskOpeningsInput } from './runtime/task-openings.js';
export { PastFlags } from './runtime/past-flags.js';
export { runUntil, type TimerDriver } from './runtime/run-until.js';
export { timerCampaign } from './runtime/timer-keys.js';
