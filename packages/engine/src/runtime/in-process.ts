import type { ProcessFile, ValidationResult } from '@luoshi/dsl';
import { EngineError } from '../errors/engine-error.js';
import type { Clock } from '../ports/clock.js';
import type { EffectsSink } from '../ports/effects-sink.js';
import type { CampaignRecord, DefinitionRecord, InstanceRecord, TimerRecord } from '../ports/store.js';
import { compareText } from '../stores/compare-text.js';
import { compareTimers } from '../stores/timer-queue.js';
import { TimerSet, type TimerPatch } from '../stores/timer-set.js';
import type { HostEvent, MachineEvent } from './campaign-event.js';
import { campaignIdOf, campaignUnits, unitInput, type StartCampaignOptions } from './engine/campaign-start.js';
import { eventFor, type EventInput } from './engine/commit-queue.js';
import { bundlesOf, checkedDefinitions, CompiledCache, type CompiledCampaign } from './engine/definitions.js';
import { Queries } from './engine/queries.js';
import { changeOf, publicTaskKeys } from './instance-step.js';
import { checkedInstant, timeBackwards } from './instance-time.js';
import { checkedClose, closedEvent, closingScope, closingTime, type CloseCampaignOptions } from './engine/campaign-close.js';
import { effectOf } from './lazy-outbox-record.js';
import { CachedInstance, InstanceCache } from './instance-cache.js';
import { isChildPath } from './organisation.js';
import { campaignTimersAtStart, nextCampaignTimer } from './campaign-timers.js';
import { gradesHere } from './grading.js';
import { placesByInstance, rankSubjects, type RankedSubject } from './ranking.js';
import { initialState, restoredState, step, timersOfState, type UnitState } from './step.js';
import { decodeSnapshot, encodeSnapshot } from './stored-format.js';
import { isCampaignTimer, parseTimerKey } from './timer-keys.js';
import type { ClosedCampaign, DeployedProcess, EngineChange, Outcomes, Rollup, SendResult, StartedCampaign, TaskView, TrackedItemView, ExtensionRequestView, InstanceState, UnitOutcomeCounts } from './views.js';
import { anchorDoneHere } from './tasks.js';
import { mayCloseCampaign } from './validate-event.js';
import type { SendOptions } from './engine.js';

/** How to build an in-process driver: a clock (a `VirtualClock` for a simulation) and where effects go. */
export interface InProcessConfig {
  readonly clock: Clock;
  readonly effects?: EffectsSink;
  /** Where compiled campaign versions are kept (see `EngineConfig.compiledCache`). */
  readonly compiledCache?: CompiledCache;
}

/** A campaign this driver runs: its compiled version and its instances in unit-path order. */
interface RunningCampaign {
  readonly compiled: CompiledCampaign;
  readonly processId: string;
  readonly version: number;
  readonly startedAt: number;
  readonly instances: CachedInstance[];
}

/**
 * 已存活动 — a campaign as a store holds it, read by the caller (nothing here reads a store): the
 * deployed version it runs, its record, its instances' records with each one's time (the latest
 * `at` of its history), and its timers (the instances' and the campaign's own).
 */
export interface StoredCampaign {
  readonly definition: DefinitionRecord;
  readonly campaign: CampaignRecord;
  readonly instances: readonly InstanceRecord[];
  /** Instance id → its time (实例时间); an instance missing here has none yet. */
  readonly times: ReadonlyMap<string, number>;
  readonly timers: readonly TimerRecord[];
}

/**
 * The units of a campaign read, restored (各单位恢复): each instance's stored snapshot decoded and
 * resolved into a state of the compiled version, with its record's revision, counts and time. Kept
 * per reading and compiled version: a step never changes a state (it makes the next one), so every
 * run continued from one reading starts from these very states, and a planner's hundred runs restore
 * the campaign once, not a hundred times. Keyed weakly by what was read (a worker thread, sent a copy,
 * restores its copy once).
 */
const restoredBySource = new WeakMap<StoredCampaign, RestoredUnits>();

/** A stored campaign's units restored on one compiled version (`restoredUnits`). */
export interface RestoredUnits {
  readonly compiled: CompiledCampaign;
  /** Each instance's state, in the order the stored campaign lists them. */
  readonly states: readonly UnitState[];
  /** The stored timers in due order (`compareTimers`), as a timer set loads them in one pass. */
  readonly timers: readonly TimerRecord[];
}

/**
 * The states of a stored campaign's units on `compiled`, and its timers in due order (see
 * `restoredBySource`), made on the first call for this reading and version. Throws
 * STORE_UNSUPPORTED_FORMAT and ENGINE_STEP_FAILED as restoring a unit does.
 */
export function restoredUnits(stored: StoredCampaign, compiled: CompiledCampaign): RestoredUnits {
  const known = restoredBySource.get(stored);
  if (known?.compiled === compiled) return known;
  const campaignId = stored.campaign.id;
  const states = stored.instances.map((record) => {
    const meta = { id: record.id, campaignId, unitId: record.unitId, unitPath: record.unitPath };
    const time = stored.times.get(record.id) ?? -Infinity;
    return restoredState(compiled, meta, decodeSnapshot(record.id, record.snapshot), { ...record, time });
  });
  const restored: RestoredUnits = { compiled, states, timers: [...stored.timers].sort(compareTimers) };
  restoredBySource.set(stored, restored);
  return restored;
}

/** Due timers fired per round, as the durable engine takes them from its store (`EngineConfig.batchSize`). */
const ROUND = 64;

/**
 * 进程内驱动 — runs campaigns in this process's memory through the same pure step as the durable
 * `Engine`, without a store: each unit's state in a map, its timers in a `TimerSet`, effects handed
 * to the sink as each step makes them. Nothing is durable and nothing is shared with another
 * process, so it needs neither transactions, group commit nor conflict handling: the simulator runs
 * its years on it. Host events are validated as the engine validates them; due timers fire in the
 * engine's order, in rounds as the engine takes them from its store, so a run gives the results a
 * durable engine gives for the same events (`test/in-process.test.ts`).
 */
export class InProcessEngine {
  readonly #clock: Clock;
  readonly #effects: EffectsSink | undefined;
  readonly #compiledCache: CompiledCache;
  readonly #deployed = new Map<string, CompiledCampaign>();
  readonly #campaigns = new Map<string, RunningCampaign>();
  readonly #units = new InstanceCache(Number.MAX_SAFE_INTEGER);
  readonly #timers = new TimerSet();
  readonly #listeners = new Set<(change: EngineChange) => void>();
  readonly #queries: Queries;

  constructor(config: InProcessConfig) {
    this.#clock = config.clock;
    this.#effects = config.effects;
    this.#compiledCache = config.compiledCache ?? new CompiledCache();
    // Queries read records made from the states, each the committed one (nothing here is ever uncommitted).
    this.#queries = new Queries(
      { getInstance: async (id) => this.#record(id), listInstances: async (id) => this.#records(id), history: async () => [] },
      { compiledFor: async (id) => this.#campaign(id).compiled, campaign: async (id) => this.#campaignRecord(id) },
      new InstanceCache(1),
    );
  }

  /** Compiles each campaign of the definitions as version 1. Throws ENGINE_INVALID_DEFINITION. */
  async deploy(definitions: readonly ProcessFile[] | ValidationResult): Promise<DeployedProcess[]> {
    const result = checkedDefinitions(definitions);
    return bundlesOf(result).map((bundle) => {
      const created = !this.#deployed.has(bundle.processId);
      this.#deployed.set(bundle.processId, this.#compiledCache.of({ ...bundle, version: 1 }));
      return { processId: bundle.processId, version: 1, created };
    });
  }

  /** Starts a campaign over an organisation tree, one instance per unit (see `Engine.startCampaign`). */
  async startCampaign(options: StartCampaignOptions): Promise<StartedCampaign> {
    const compiled = this.#deployed.get(options.process);
    if (!compiled || (options.version !== undefined && options.version !== 1))
      throw new EngineError('ENGINE_PROCESS_NOT_FOUND', { id: options.version ? `${options.process}@${options.version}` : options.process });
    const units = campaignUnits(compiled.plan, options.organisation);
    const campaignId = campaignIdOf(options);
    if (this.#campaigns.has(campaignId)) throw new EngineError('ENGINE_INVALID_PAYLOAD', { type: 'start', detail: `campaign "${campaignId}" already runs`, detailZh: `活动“${campaignId}”已在运行` });
    const startedAt = checkedInstant(this.#clock.now());
    const instances = units.map((unit) => {
      const meta = { id: `${campaignId}/${unit.id}`, campaignId, unitId: unit.id, unitPath: unit.path };
      return new CachedInstance(compiled, initialState(compiled, meta, unitInput(compiled.plan, campaignId, unit, startedAt)));
    });
    for (const live of instances) {
      this.#units.set(live);
      this.#timers.replace(live.meta.id, new Map(timersOfState(compiled.plan, live.state).map((t) => [t.key, t])));
    }
    const campaignTimers = campaignTimersAtStart(compiled.plan, campaignId);
    this.#timers.replace(campaignId, new Map(campaignTimers.map((t): [string, TimerRecord] => [t.key, t])));
    const ordered = [...instances].sort((a, b) => compareText(a.meta.unitPath, b.meta.unitPath) || compareText(a.meta.id, b.meta.id));
    this.#campaigns.set(campaignId, { compiled, processId: options.process, version: 1, startedAt, instances: ordered });
    return { campaignId, processId: options.process, version: 1, instances: instances.map((i) => ({ instanceId: i.meta.id, unitId: i.meta.unitId })) };
  }

  /**
   * 恢复活动 — takes over a campaign as a store holds it: each instance's state decoded from its
   * snapshot (any stored format this release reads) on the version the campaign runs (once per
   * reading: `restoredUnits`), its stored
   * timers as they are (a due one not yet fired fires at the next `runDueTimers`). Nothing is
   * written anywhere: the store the records came from is never touched again. Throws
   * ENGINE_INVALID_PAYLOAD when the campaign already runs here, STORE_UNSUPPORTED_FORMAT and
   * ENGINE_STEP_FAILED as restoring a unit does.
   */
  restoreCampaign(stored: StoredCampaign): StartedCampaign {
    const { campaign, definition } = stored;
    const campaignId = campaign.id;
    if (this.#campaigns.has(campaignId)) throw new EngineError('ENGINE_INVALID_PAYLOAD', { type: 'restore', detail: `campaign "${campaignId}" already runs`, detailZh: `活动“${campaignId}”已在运行` });
    const compiled = this.#compiledCache.of(definition);
    const restored = restoredUnits(stored, compiled);
    const instances = restored.states.map((state) => new CachedInstance(compiled, state));
    for (const live of instances) this.#units.set(live);
    this.#timers.load(restored.timers);
    const ordered = [...instances].sort((a, b) => compareText(a.meta.unitPath, b.meta.unitPath) || compareText(a.meta.id, b.meta.id));
    this.#campaigns.set(campaignId, { compiled, processId: campaign.processId, version: campaign.version, startedAt: campaign.startedAt, instances: ordered });
    return { campaignId, processId: campaign.processId, version: campaign.version, instances: instances.map((i) => ({ instanceId: i.meta.id, unitId: i.meta.unitId })) };
  }

  /**
   * Applies a host event to an instance (see `Engine.send`; no idempotency keys here). Its host is
   * trusted as `Engine.send`'s is: without `roles` nothing is checked (the simulator sends as each
   * unit it models and passes none, so its path is unchanged); with them, the actor must hold the
   * role the process names, else ENGINE_FORBIDDEN, exactly as the engine and HTTP check it.
   */
  async send(instanceId: string, event: HostEvent, options: Pick<SendOptions, 'actor' | 'roles'> = {}): Promise<SendResult> {
    const live = this.#unit(instanceId);
    const input: EventInput = options.roles ? { kind: 'host', raw: event, who: { actor: options.actor ?? '?', roles: options.roles } } : { kind: 'host', raw: event };
    const result = this.#apply(live, input, options.actor ?? null, 'host');
    // A task other instances count from (the office's 全区动员大会): each told when it was done, as the engine does.
    const done = anchorDoneHere(live.plan, live.context, event);
    if (done)
      for (const other of this.#campaign(live.meta.campaignId).instances)
        if (other !== live && !other.ended && (!done.parent || isChildPath(other.meta.unitPath, live.meta.unitPath)))
          this.#apply(other, { kind: 'engine', event: { type: 'anchor.done', ...done } }, null, 'anchor');
    return result;
  }

  /**
   * 终止活动 — the office closes the campaign, or the part at and under `unit`, as `Engine.closeCampaign`
   * does (no idempotency keys here): all or nothing, every instance checked for time first.
   */
  async closeCampaign(campaignId: string, options: CloseCampaignOptions): Promise<ClosedCampaign> {
    checkedClose(options);
    const campaign = this.#campaign(campaignId);
    mayCloseCampaign(campaign.compiled.plan, options.roles && { actor: options.actor, roles: options.roles });
    const metas = campaign.instances.map((i) => i.meta);
    const { root, under } = closingScope(campaignId, metas, options.unit);
    const at = closingTime(options.at, this.#clock.now(), campaign.compiled.plan.calendar);
    // A set, not the list: a whole closing of 10,000 units would compare each with every other.
    const reached = new Set(under);
    const running = campaign.instances.filter((i) => reached.has(i.meta) && !i.ended);
    for (const live of running) if (at < live.time) throw timeBackwards(live.meta.id, live.time, at, live.plan.calendar);
    const event = closedEvent(options);
    const closed = running.map((live) => {
      const { revision } = this.#apply(live, { kind: 'office', event }, options.actor, 'close', at);
      return { instanceId: live.meta.id, unitId: live.meta.unitId, revision };
    });
    const whole = under.length === metas.length;
    if (whole) this.#timers.replace(campaignId, new Map());
    return { campaignId, unitId: root.unitId, at, closed, alreadyEnded: under.length - running.length, whole, duplicate: false };
  }

  /** Fires every timer due by the clock, in due order, in rounds as the engine does; returns how many fired. */
  async runDueTimers(): Promise<number> {
    let fired = 0;
    for (;;) {
      const now = checkedInstant(this.#clock.now());
      const due = this.#timers.due(now, ROUND);
      if (due.length === 0) return fired;
      for (const timer of due) {
        // A timer an earlier one of the round deleted or moved is not fired (the engine's claim).
        if (!this.#timers.claim(timer)) continue;
        if (isCampaignTimer(timer.instanceId)) {
          if (parseTimerKey(timer.key)?.kind === 'grading') this.#grade(timer);
          else this.#rank(timer);
        }
        else this.#apply(this.#unit(timer.instanceId), { kind: 'engine', event: { type: 'timer.fired', key: timer.key, dueAt: timer.dueAt } }, null, 'timer');
        fired++;
      }
    }
  }

  /** The due time of the earliest timer. */
  async nextTimerAt(): Promise<number | undefined> {
    return this.#timers.next()?.dueAt;
  }

  /** Effects are handed to the sink as each step makes them: nothing waits. */
  async deliverEffects(): Promise<number> {
    return 0;
  }

  /** Calls `listener` after every applied change; returns the unsubscribe function. */
  subscribe(listener: (change: EngineChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** See `Engine.state`. */
  state(instanceId: string): Promise<InstanceState> {
    return this.#queries.state(instanceId);
  }

  /** See `Engine.tasks`. */
  tasks(instanceId: string, filter: { status?: readonly string[]; member?: string; owner?: string; keys?: readonly string[] } = {}): Promise<TaskView[]> {
    return this.#queries.tasks(instanceId, filter);
  }

  /** See `Engine.rollup`. */
  rollup(campaignId: string, unitId?: string): Promise<Rollup> {
    return this.#queries.rollup(campaignId, unitId);
  }

  /** See `Engine.items`. */
  items(campaignId: string, unitId?: string): Promise<TrackedItemView[]> {
    return this.#queries.items(campaignId, unitId);
  }

  /** See `Engine.extensions`. */
  extensions(campaignId: string, unitId?: string): Promise<ExtensionRequestView[]> {
    return this.#queries.extensions(campaignId, unitId);
  }

  /** See `Engine.outcomes`. */
  outcomes(campaignId: string, unitId?: string): Promise<Outcomes> {
    return this.#queries.outcomes(campaignId, unitId);
  }

  /** See `Engine.flagsHeld`. */
  flagsHeld(campaignId: string, unitId?: string): Promise<Record<string, number>> {
    return this.#queries.flagsHeld(campaignId, unitId);
  }

  /** See `Engine.unitOutcomes`. */
  unitOutcomes(campaignId: string, unitId?: string): Promise<UnitOutcomeCounts[]> {
    return this.#queries.unitOutcomes(campaignId, unitId);
  }

  /** See `Engine.standings`. */
  standings(campaignId: string, rankingId: string): Promise<RankedSubject[]> {
    return this.#queries.standings(campaignId, rankingId);
  }

  /** Drops every campaign. */
  async close(): Promise<void> {
    this.#campaigns.clear();
    this.#units.clear();
  }

  /**
   * One event through the pure step: the unit's state replaced, its timers patched, its effects
   * delivered, the listeners told. A refusal or a failed step throws and changes nothing.
   */
  #apply(live: CachedInstance, input: EventInput, actor: string | null, cause: string, at?: number): SendResult {
    const event: MachineEvent = eventFor(live.plan, live, input, at ?? this.#clock.now(), actor);
    const done = step(live, live.state, event, { at: event.at, actor, cause, idempotencyKey: null, texts: live });
    const { state } = done;
    live.state = state;
    const { put, remove } = done.timers;
    if (put.length > 0 || remove.length > 0) {
      const patch: Map<string, TimerRecord | null> = new Map();
      for (const key of remove) patch.set(key, null);
      for (const timer of put) patch.set(timer.key, timer);
      this.#timers.patch(state.meta.id, patch as TimerPatch);
    }
    const { meta, revision, phase } = state;
    const change = changeOf(meta.campaignId, meta.id, revision, event.type, phase, event.at, publicTaskKeys(live.context.members, done.changes.tasks), done.changes.opened);
    for (const listener of this.#listeners) listener(change);
    if (this.#effects) for (const record of done.effects) void this.#effects.deliver(effectOf(record));
    return { instanceId: meta.id, revision, duplicate: false, phase, effects: done.effects.length };
  }

  /** A ranking's time has come: every subject of the campaign ranked, and each instance told its places, in unit-path order. */
  #rank(timer: TimerRecord): void {
    const campaign = this.#campaign(timer.instanceId);
    const key = parseTimerKey(timer.key);
    const ranking = key?.kind === 'ranking' ? campaign.compiled.plan.rankings.find((r) => r.id === key.ranking) : undefined;
    if (!ranking) return;
    const ranked = rankSubjects(ranking, campaign.instances.map((i) => ({ id: i.meta.id, context: i.context })), key?.kind === 'ranking' ? (key.occurrence ?? 0) : 0, campaign.compiled.plan);
    const byInstance = placesByInstance(ranked);
    for (const live of campaign.instances) {
      const places = byInstance.get(live.meta.id) ?? [];
      if (places.length > 0) this.#apply(live, { kind: 'engine', event: { type: 'ranking.placed', ranking: ranking.id, places } }, null, 'ranking');
    }
    // Only the next date is ever set ahead, as the durable engine does.
    const next = nextCampaignTimer('ranking', ranking, timer.instanceId, key?.kind === 'ranking' ? (key.occurrence ?? 0) : 0, campaign.instances.some((i) => !i.ended));
    if (next) this.#timers.patch(timer.instanceId, new Map([[next.key, next]]));
  }

  /** A dated grading's time has come: each instance with subjects to grade told `grading.due`, in unit-path order. */
  #grade(timer: TimerRecord): void {
    const campaign = this.#campaign(timer.instanceId);
    const key = parseTimerKey(timer.key);
    const grading = key?.kind === 'grading' ? campaign.compiled.plan.gradings.find((g) => g.id === key.grading) : undefined;
    if (!grading) return;
    const occurrence = key?.kind === 'grading' ? (key.occurrence ?? 0) : 0;
    const event = occurrence > 0 ? { type: 'grading.due' as const, grading: grading.id, occurrence } : { type: 'grading.due' as const, grading: grading.id };
    for (const live of campaign.instances) if (gradesHere(grading, live.context)) this.#apply(live, { kind: 'engine', event }, null, 'grading');
    const next = nextCampaignTimer('grading', grading, timer.instanceId, key?.kind === 'grading' ? (key.occurrence ?? 0) : 0, campaign.instances.some((i) => !i.ended));
    if (next) this.#timers.patch(timer.instanceId, new Map([[next.key, next]]));
  }

  #unit(instanceId: string): CachedInstance {
    const live = this.#units.peek(instanceId);
    if (!live) throw new EngineError('ENGINE_INSTANCE_NOT_FOUND', { id: instanceId });
    return live;
  }

  #campaign(campaignId: string): RunningCampaign {
    const campaign = this.#campaigns.get(campaignId);
    if (!campaign) throw new EngineError('ENGINE_CAMPAIGN_NOT_FOUND', { id: campaignId });
    return campaign;
  }

  #campaignRecord(campaignId: string): CampaignRecord {
    const { compiled, processId, version, startedAt } = this.#campaign(campaignId);
    return { id: campaignId, processId, version, year: compiled.plan.year, organisation: '', startedAt };
  }

  /** A unit's state as the record a store would hold. */
  #record(instanceId: string): InstanceRecord | undefined {
    const live = this.#units.peek(instanceId);
    return live && recordOf(live);
  }

  #records(campaignId: string): InstanceRecord[] {
    return this.#campaigns.get(campaignId)?.instances.map(recordOf) ?? [];
  }
}

function recordOf(live: CachedInstance): InstanceRecord {
  const { meta, state } = live;
  return {
    id: meta.id,
    campaignId: meta.campaignId,
    unitId: meta.unitId,
    unitPath: meta.unitPath,
    phase: state.phase,
    overdue: state.overdue,
    escalated: state.escalated,
    ended: state.ended,
    snapshot: encodeSnapshot(state.snapshot.value, live.context),
    revision: state.revision,
  };
}

/** Creates an in-process driver on the given clock and effects sink. */
export function createInProcessEngine(config: InProcessConfig): InProcessEngine {
  return new InProcessEngine(config);
}
