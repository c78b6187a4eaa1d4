import type { ProcessFile, ValidationResult } from '@luoshi/dsl';
import { nanoid } from 'nanoid';
import { SystemClock } from '../clocks/system-clock.js';
import type { CampaignPlan } from '../compiler/campaign-plan.js';
import { ENDED } from '../compiler/compile-machine.js';
import { EngineError, StoreConflictError } from '../errors/engine-error.js';
import type { Clock } from '../ports/clock.js';
import type { EffectsSink } from '../ports/effects-sink.js';
import {
  STORE_BUSY,
  type CampaignRecord,
  type HistoryRecord,
  type InstanceRecord,
  type Store,
  type StoreTransaction,
  type SyncStoreTransaction,
  type TimerRecord,
} from '../ports/store.js';
import type { EngineEvent, HostEvent, MachineEvent } from './campaign-event.js';
import { LiveInstance, LiveInstances } from './live-instance.js';
import { desiredTimers } from './desired-timers.js';
import { Definitions } from './engine/definitions.js';
import { EffectDelivery } from './engine/effect-delivery.js';
import { Queries } from './engine/queries.js';
import { replayInstance } from './engine/replay.js';
import { currentContext, persisted } from './engine/stored-snapshot.js';
import { phaseOf, stepFailed, stepInstance, writeStep, writeStepNow, type Applied } from './instance-step.js';
import type { InstanceInput } from './instance-context.js';
import { flattenOrganisation, type OrganisationUnit } from './organisation.js';
import { placesByInstance, rankSubjects, type RankedSubject } from './ranking.js';
import { validateHostEvent } from './validate-event.js';
import { repeatedRequest } from './idempotent-request.js';
import { checkedInstant, eventTime } from './instance-time.js';
import type {
  DeployedProcess,
  EngineChange,
  HistoryEntry,
  InstanceState,
  Outcomes,
  Rollup,
  SendResult,
  StartedCampaign,
  SubjectView,
  TaskView,
} from './views.js';

/** How to build an engine: the ports it runs on. */
export interface EngineConfig {
  readonly store: Store;
  /** Default: the system clock. Tests and the simulator pass a `VirtualClock`. */
  readonly clock?: Clock;
  /** Where effects go; without one they stay in the outbox. */
  readonly effects?: EffectsSink;
  /** Most events committed in one store transaction (group commit). Default 64. */
  readonly batchSize?: number;
  /**
   * Instances kept live (running actors) between events, least recently used dropped first, so an
   * event costs one `send` instead of restoring the actor from its snapshot. Default 10,000.
   */
  readonly cacheSize?: number;
}

/** Options of one event. */
export interface SendOptions {
  /** Who did it (a user id or role), recorded in the history and on completed tasks. */
  readonly actor?: string;
  /**
   * The same key on the same instance is applied once: a repeat of the same event by the same actor
   * returns the first request's result with `duplicate: true`; the key with another event or actor
   * is refused with ENGINE_IDEMPOTENCY_KEY_REUSED.
   */
  readonly idempotencyKey?: string;
  /**
   * The roles the host has verified the actor holds. When given, completing a task or giving a
   * score needs the role the process file names (`owner`, `by`), else ENGINE_FORBIDDEN.
   */
  readonly roles?: readonly string[];
}

/** What a started campaign runs over and on which version. */
export interface StartCampaignOptions {
  readonly process: string;
  /** Default: the latest deployed version. */
  readonly version?: number;
  readonly organisation: OrganisationUnit;
  /** Default: a fresh nanoid. No "/" allowed. */
  readonly campaignId?: string;
}

/** An event as it reaches `#apply`: a host event still to be validated, or one the engine made. */
type EventInput = { readonly kind: 'host'; readonly raw: unknown; readonly who?: { actor: string; roles: readonly string[] } } | { readonly kind: 'engine'; readonly event: EngineEvent };

interface Job {
  readonly run: (tx: StoreTransaction, touched: Set<string>) => Promise<Applied<unknown>>;
  /** Instances whose live actors this job advanced: dropped if the job does not commit. */
  readonly touched: Set<string>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  attempts: number;
}

const MAX_ATTEMPTS = 8;

/**
 * The Luoshi engine: deploys process versions, starts campaigns over an organisation, applies
 * events and due timers to instances, one store transaction per event (snapshot, history, timers,
 * outbox), and delivers effects after the commit. It knows the store, clock and effects sink only
 * by their ports.
 */
export class Engine {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #delivery: EffectDelivery;
  readonly #batchSize: number;
  readonly #definitions: Definitions;
  readonly #queries: Queries;
  readonly #live: LiveInstances;
  readonly #listeners = new Set<(change: EngineChange) => void>();
  readonly #queue: Job[] = [];
  #pumping = false;

  constructor(config: EngineConfig) {
    this.#store = config.store;
    this.#clock = config.clock ?? new SystemClock();
    this.#delivery = new EffectDelivery(this.#store, this.#clock, config.effects);
    this.#definitions = new Definitions(this.#store, this.#clock);
    this.#batchSize = Math.max(1, config.batchSize ?? 64);
    this.#live = new LiveInstances(Math.max(1, config.cacheSize ?? 10_000));
    this.#queries = new Queries(this.#store, this.#definitions, this.#live);
  }

  /** The store this engine runs on. */
  get store(): Store {
    return this.#store;
  }

  /**
   * Deploys campaigns with the sub-processes they use. Each campaign becomes a new version when its
   * content changed since the latest, and stays on that version otherwise. Invalid definitions are
   * refused with ENGINE_INVALID_DEFINITION and nothing is stored.
   */
  deploy(definitions: readonly ProcessFile[] | ValidationResult): Promise<DeployedProcess[]> {
    return this.#definitions.deploy(definitions);
  }

  /** The deployed processes: each with its latest version and every version it has had. */
  processes(): Promise<{ readonly processId: string; readonly latest: number; readonly versions: readonly { version: number; deployedAt: number; hash: string }[] }[]> {
    return this.#definitions.processes();
  }

  /**
   * Starts a campaign over an organisation tree: one instance per unit, each entering the first
   * phase, all in one transaction with their timers and the campaign's ranking timers.
   */
  async startCampaign(options: StartCampaignOptions): Promise<StartedCampaign> {
    const definition = await this.#store.getDefinition(options.process, options.version);
    if (!definition) throw new EngineError('ENGINE_PROCESS_NOT_FOUND', { id: options.version ? `${options.process}@${options.version}` : options.process });
    const units = flattenOrganisation(options.organisation);
    const campaignId = options.campaignId ?? nanoid(12);
    if (campaignId.includes('/') || campaignId.length === 0)
      throw new EngineError('ENGINE_INVALID_PAYLOAD', { type: 'start', detail: 'a campaign id may not be empty or contain "/"', detailZh: '活动标识不能为空，也不能含“/”' });
    const compiled = this.#definitions.compile(definition);
    const startedAt = checkedInstant(this.#clock.now());
    const campaign: CampaignRecord = {
      id: campaignId,
      processId: definition.processId,
      version: definition.version,
      year: compiled.plan.year,
      organisation: JSON.stringify(options.organisation),
      startedAt,
    };
    // Queued like events, so concurrent starts and sends share a commit.
    return this.#enqueue(async (tx) => {
      const instances: { instanceId: string; unitId: string }[] = [];
      const started: LiveInstance[] = [];
      try {
        await tx.insertCampaign(campaign);
        for (const unit of units) {
          const instanceId = `${campaignId}/${unit.id}`;
          const input: InstanceInput = { campaignId, unit: unit.id, office: unit.office, unitWork: unit.unitWork, members: unit.members, startedAt };
          const meta = { id: instanceId, campaignId, unitId: unit.id, unitPath: unit.path };
          const live = new LiveInstance(compiled.machine, meta, { revision: 1, phase: '', ended: false }, { input });
          started.push(live);
          if (live.error) throw stepFailed(instanceId, 'start', live.error);
          const snapshot = live.snapshot();
          const phase = phaseOf(snapshot.value);
          live.phase = phase;
          live.ended = phase === ENDED;
          live.time = startedAt;
          const timers = desiredTimers(compiled.plan, instanceId, snapshot.context, phase === ENDED ? undefined : phase);
          const record: InstanceRecord = {
            id: instanceId,
            campaignId,
            unitId: unit.id,
            unitPath: unit.path,
            phase,
            overdue: 0,
            escalated: 0,
            ended: phase === ENDED,
            snapshot,
            revision: 1,
          };
          await tx.insertInstance(Object.freeze(record));
          await tx.appendHistory({
            instanceId,
            revision: 1,
            type: 'start',
            event: JSON.stringify({ type: 'start', input }),
            actor: null,
            cause: 'start',
            at: startedAt,
            state: JSON.stringify(snapshot.value),
            idempotencyKey: null,
          });
          await tx.replaceTimers(instanceId, timers);
          instances.push({ instanceId, unitId: unit.id });
          live.timersKnown = true;
        }
        await tx.replaceTimers(
          campaignId,
          compiled.plan.rankings.map((r) => ({ instanceId: campaignId, key: `ranking:${r.id}`, dueAt: r.at })),
        );
      } catch (error) {
        for (const live of started) live.stop();
        throw error;
      }
      return {
        result: { campaignId, processId: definition.processId, version: definition.version, instances },
        effects: 0,
        after: () => {
          this.#definitions.started(campaign, compiled);
          for (const live of started) {
            live.committed = { revision: 1, context: live.context };
            this.#live.set(live);
          }
        },
      };
    });
  }

  /**
   * Applies a host event to an instance in one transaction. Events sent while others are being
   * committed are grouped into one transaction (each in its own savepoint where the store can).
   * Throws a typed EngineError for bad input and leaves the stored state untouched.
   */
  send(instanceId: string, event: HostEvent, options: SendOptions = {}): Promise<SendResult> {
    const input: EventInput = options.roles ? { kind: 'host', raw: event, who: { actor: options.actor ?? '?', roles: options.roles } } : { kind: 'host', raw: event };
    const actor = options.actor ?? null;
    const idempotencyKey = options.idempotencyKey ?? null;
    return (
      this.#sendNow(instanceId, input, actor, idempotencyKey) ??
      this.#enqueue((tx, touched) => this.#apply(tx, touched, instanceId, input, this.#clock.now(), actor, 'host', idempotencyKey))
    );
  }

  /** A host event applied at once (`#now`), or undefined when it must take the queue. */
  #sendNow(instanceId: string, input: EventInput, actor: string | null, idempotencyKey: string | null): Promise<SendResult> | undefined {
    const done = this.#now(instanceId, (tx, live, plan) => {
      if (idempotencyKey !== null) {
        const first = tx.idempotentEntry(instanceId, idempotencyKey);
        if (first !== undefined) return repeated(first, input, actor);
      }
      let event: MachineEvent;
      try {
        event = eventFor(plan, live, input, this.#clock.now(), actor);
      } catch (error) {
        // Judged on an actor another engine may have overtaken: the queue judges it again on the stored state.
        if (error instanceof EngineError && tx.getInstance(instanceId)?.revision !== live.revision) return undefined;
        throw error;
      }
      const step = stepInstance(plan, live, event, { at: event.at, actor, cause: 'host', idempotencyKey });
      writeStepNow(tx, step);
      return step.applied;
    });
    if (done === undefined) return undefined;
    return 'failed' in done ? Promise.reject(done.failed) : Promise.resolve(done.applied.result);
  }

  /** A due instance timer fired at once (`#now`), or undefined when it must take the queue. */
  #fireNow(timer: TimerRecord, now: number): { readonly applied: Applied } | { readonly failed: unknown } | undefined {
    return this.#now(timer.instanceId, (tx, live, plan) => {
      if (!tx.claimTimer(timer)) return { result: skipped(timer.instanceId), effects: 0 };
      const event = eventFor(plan, live, timerFired(timer), now, null);
      const step = stepInstance(plan, live, event, { at: event.at, actor: null, cause: 'timer', idempotencyKey: null });
      writeStepNow(tx, step);
      return step.applied;
    });
  }

  /**
   * Runs `work` on a live instance at once in a synchronous store transaction, when the store has
   * them, nothing is queued or committing and the instance is live on a compiled plan, and settles
   * what it applied. Undefined when it cannot, when `work` returns undefined, or when another engine
   * wrote the instance first: the caller then takes the queue, which restores and retries. A failure
   * is returned as `failed`, the live instance dropped if `work` had sent it the event. A simulated year applies its
   * events one at a time, and the queue's promises (job, transaction, each store call) cost more
   * than the rest of the engine's part of an event.
   */
  #now(
    instanceId: string,
    work: (tx: SyncStoreTransaction, live: LiveInstance, plan: CampaignPlan) => Applied | undefined,
  ): { readonly applied: Applied } | { readonly failed: unknown } | undefined {
    const store = this.#store;
    if (store.transactionSync === undefined || this.#pumping || this.#queue.length > 0) return undefined;
    const live = this.#live.get(instanceId);
    const compiled = live && this.#definitions.compiledNow(live.meta.campaignId);
    if (live === undefined || compiled === undefined) return undefined;
    // Work at once touches only this instance's actor: counting its steps says whether it moved.
    const steps = live.steps;
    let applied: Applied | typeof STORE_BUSY | undefined;
    try {
      applied = store.transactionSync((tx) => work(tx, live, compiled.plan));
    } catch (error) {
      // Rolled back: an actor it advanced is ahead of the store.
      if (live.steps !== steps) this.#live.drop(instanceId);
      if (error instanceof StoreConflictError) return undefined;
      return { failed: error };
    }
    if (applied === STORE_BUSY) return undefined;
    if (applied === undefined) {
      this.#live.drop(instanceId);
      return undefined;
    }
    if (this.#settle(applied) > 0) void this.deliverEffects().catch(() => undefined);
    return { applied };
  }

  /**
   * Fires every timer due by the clock's now, in due order, until none is left (a timer that makes
   * another one due fires that too). With several engine processes on one store it returns once a
   * round claims nothing (every due timer held by another process, or waiting for an earlier related
   * one it holds): call it again later. Returns how many fired.
   */
  async runDueTimers(): Promise<number> {
    let fired = 0;
    for (;;) {
      const now = checkedInstant(this.#clock.now());
      const due = await this.#store.dueTimers(now, this.#batchSize);
      if (due.length === 0) return fired;
      let progress = false;
      let failure: { readonly error: unknown } | undefined;
      // At once, in due order, while each can be (an instance timer on a store in memory): a timer
      // that fires alone at its instant then costs one step, not a round of promises.
      let i = 0;
      for (; i < due.length; i++) {
        const done = this.#fireNow(due[i] as TimerRecord, now);
        if (done === undefined) break;
        if ('failed' in done) failure ??= { error: done.failed };
        else if (done.applied.result.revision > 0) {
          fired++;
          progress = true;
        }
      }
      if (i < due.length) {
        // The rest take the queue, in due order (once one has to, so do those after it).
        const rest = due.slice(i);
        // Whether each timer's job claimed it in the attempt that committed (a retried job claims again).
        const claimed = rest.map(() => false);
        const results = await Promise.allSettled(
          rest.map((timer, k) =>
            this.#enqueue(async (tx, touched) => {
              claimed[k] = await tx.claimTimer(timer);
              if (!claimed[k]) return { result: skipped(timer.instanceId), effects: 0 };
              if (!timer.instanceId.includes('/')) return this.#rank(tx, touched, timer, now);
              return this.#apply(tx, touched, timer.instanceId, timerFired(timer), now, null, 'timer', null);
            }),
          ),
        );
        results.forEach((r, k) => {
          if (r.status === 'rejected') failure ??= { error: r.reason };
          else if (r.value.revision > 0) fired++;
          if (claimed[k]) progress = true;
        });
      }
      // Every timer of the round was attempted; the first failure (in due order) is the round's.
      if (failure) throw failure.error;
      // Every due timer is held by another engine process or waits for an earlier related one it
      // holds (the store's claim rule): return rather than spin; the caller polls again.
      if (!progress) return fired;
    }
  }

  /** The due time of the earliest timer, for clocks that jump to it. */
  async nextTimerAt(): Promise<number | undefined> {
    return (await this.#store.nextTimer())?.dueAt;
  }

  /** Delivers pending effects to the sink, oldest first; returns how many were delivered. */
  deliverEffects(): Promise<number> {
    return this.#delivery.deliver();
  }

  /** Calls `listener` after every committed change; returns the unsubscribe function. */
  subscribe(listener: (change: EngineChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The current state of an instance. */
  state(instanceId: string): Promise<InstanceState> {
    return this.#queries.state(instanceId);
  }

  /**
   * The instance's tasks (its own and its members'), optionally only some statuses, one member's, or
   * those under some keys (e.g. an `EngineChange`'s `tasks`; unknown keys are left out).
   */
  tasks(instanceId: string, filter: { status?: readonly string[]; member?: string; owner?: string; keys?: readonly string[] } = {}): Promise<TaskView[]> {
    return this.#queries.tasks(instanceId, filter);
  }

  /** The unit's and each member's record: ladder rungs, flags, mean scores, ranks. */
  subjects(instanceId: string): Promise<SubjectView[]> {
    return this.#queries.subjects(instanceId);
  }

  /** The units of a campaign at and under a unit (default: the whole campaign), counted by phase, overdue and escalation. */
  rollup(campaignId: string, unitId?: string): Promise<Rollup> {
    return this.#queries.rollup(campaignId, unitId);
  }

  /**
   * What a campaign has come to at and under a unit (default: the whole campaign): each item's tasks
   * by status, the subjects at or past each ladder rung, the subjects carrying each flag.
   */
  outcomes(campaignId: string, unitId?: string): Promise<Outcomes> {
    return this.#queries.outcomes(campaignId, unitId);
  }

  /** The current standings of a ranking, computed from the instances' scores (the placed ranks are in `subjects`). */
  standings(campaignId: string, rankingId: string): Promise<RankedSubject[]> {
    return this.#queries.standings(campaignId, rankingId);
  }

  /** The instances of a campaign, by unit path. */
  instances(campaignId: string): Promise<InstanceState[]> {
    return this.#queries.instances(campaignId);
  }

  /** The append-only history of an instance, oldest first. */
  history(instanceId: string): Promise<HistoryEntry[]> {
    return this.#queries.history(instanceId);
  }

  /**
   * Rebuilds an instance from its history alone and compares it with the stored snapshot. Throws
   * ENGINE_REPLAY_MISMATCH when they differ; returns the rebuilt snapshot when they agree.
   */
  replay(instanceId: string): Promise<{ readonly revision: number; readonly snapshot: unknown }> {
    return replayInstance(this.#store, this.#definitions, instanceId);
  }

  /** Waits for pending work, then closes the store. */
  async close(): Promise<void> {
    while (this.#pumping || this.#queue.length > 0) await new Promise((r) => setImmediate(r));
    await this.#delivery.running;
    this.#live.clear();
    await this.#store.close();
  }

  #enqueue<T>(run: (tx: StoreTransaction, touched: Set<string>) => Promise<Applied<T>>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run, touched: new Set(), resolve: resolve as (value: unknown) => void, reject, attempts: 0 });
      if (!this.#pumping) {
        this.#pumping = true;
        queueMicrotask(() => void this.#pump());
      }
    });
  }

  async #pump(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.#batchSize);
        const outcomes = await this.#commit(batch);
        let effects = 0;
        outcomes.forEach((outcome, i) => {
          const job = batch[i] as Job;
          if (outcome.status === 'fulfilled') {
            effects += this.#settle(outcome.value);
            job.resolve(outcome.value.result);
            return;
          }
          // Not committed: the live actors it advanced are ahead of the store.
          for (const id of job.touched) this.#live.drop(id);
          job.touched.clear();
          if (outcome.reason instanceof StoreConflictError && ++job.attempts < MAX_ATTEMPTS) {
            this.#queue.push(job);
            return;
          }
          job.reject(outcome.reason);
        });
        if (effects > 0) void this.deliverEffects().catch(() => undefined);
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** What follows a commit: the job's own follow-up, then the listeners. Returns the effects it added to the outbox. */
  #settle(applied: Applied<unknown>): number {
    applied.after?.();
    if (applied.change) for (const l of this.#listeners) l(applied.change);
    return applied.effects;
  }

  async #commit(batch: readonly Job[]): Promise<PromiseSettledResult<Applied<unknown>>[]> {
    // A job that fails drops the live actors it advanced at once, before a later job of the same batch reads them.
    const run = (job: Job) => async (tx: StoreTransaction) => {
      try {
        return await job.run(tx, job.touched);
      } catch (error) {
        for (const id of job.touched) this.#live.drop(id);
        throw error;
      }
    };
    try {
      if (batch.length > 1 && this.#store.transactionBatch) return await this.#store.transactionBatch(batch.map(run));
      const out: PromiseSettledResult<Applied<unknown>>[] = [];
      for (const job of batch) {
        try {
          out.push({ status: 'fulfilled', value: await this.#store.transaction(run(job)) });
        } catch (reason) {
          out.push({ status: 'rejected', reason });
        }
      }
      return out;
    } catch (reason) {
      // The whole batch failed to commit: nothing of it is stored, and the cache is only written after a commit.
      return batch.map(() => ({ status: 'rejected', reason }));
    }
  }

  async #apply(
    tx: StoreTransaction,
    touched: Set<string>,
    instanceId: string,
    input: EventInput,
    at: number,
    actor: string | null,
    cause: string,
    idempotencyKey: string | null,
  ): Promise<Applied> {
    let live = this.#live.get(instanceId);
    const trusted = live !== undefined;
    if (!live) {
      const record = await tx.getInstance(instanceId);
      if (!record) throw new EngineError('ENGINE_INSTANCE_NOT_FOUND', { id: instanceId });
      const { machine } = await this.#definitions.compiledFor(record.campaignId, tx);
      const meta = { id: record.id, campaignId: record.campaignId, unitId: record.unitId, unitPath: record.unitPath };
      live = new LiveInstance(machine, meta, record, { snapshot: persisted(record) });
      if (live.error) {
        live.stop();
        throw stepFailed(instanceId, 'restore', live.error);
      }
      live.time = (await tx.instanceTime(instanceId)) ?? -Infinity;
      this.#live.set(live);
    }
    if (idempotencyKey !== null) {
      const first = await tx.idempotentEntry(instanceId, idempotencyKey);
      if (first !== undefined) return repeated(first, input, actor);
    }
    const compiled = this.#definitions.compiledNow(live.meta.campaignId) ?? (await this.#definitions.compiledFor(live.meta.campaignId, tx));
    let event: MachineEvent;
    try {
      event = eventFor(compiled.plan, live, input, at, actor);
    } catch (error) {
      // A refusal judged on a live actor another engine may have overtaken: check, and judge again on the stored state.
      if (trusted && error instanceof EngineError && (await tx.getInstance(instanceId))?.revision !== live.revision) {
        this.#live.drop(instanceId);
        return this.#apply(tx, touched, instanceId, input, at, actor, cause, idempotencyKey);
      }
      throw error;
    }
    touched.add(instanceId);
    const step = stepInstance(compiled.plan, live, event, { at: event.at, actor, cause, idempotencyKey });
    await writeStep(tx, step);
    return step.applied;
  }

  /** A ranking's time has come: rank every subject and tell each instance its places, in this one transaction. */
  async #rank(tx: StoreTransaction, touched: Set<string>, timer: TimerRecord, now: number): Promise<Applied> {
    const campaignId = timer.instanceId;
    const { plan } = await this.#definitions.compiledFor(campaignId, tx);
    const ranking = plan.rankings.find((r) => `ranking:${r.id}` === timer.key);
    if (!ranking) return { result: skipped(campaignId), effects: 0 };
    const records = await tx.listInstances(campaignId);
    // Another engine process may have moved some of the campaign's instances since this one cached
    // them: drop those actors first, or each would fail the ranking's one transaction with a
    // revision conflict, one retry per stale instance.
    for (const record of records) if ((this.#live.peek(record.id)?.revision ?? record.revision) !== record.revision) this.#live.drop(record.id);
    const ranked = rankSubjects(ranking, records.map((r) => ({ id: r.id, context: currentContext(this.#live, r) })));
    const byInstance = placesByInstance(ranked);
    let effects = 0;
    const afters: (() => void)[] = [];
    for (const record of records) {
      const places = byInstance.get(record.id) ?? [];
      if (places.length === 0) continue;
      const applied = await this.#apply(
        tx,
        touched,
        record.id,
        { kind: 'engine', event: { type: 'ranking.placed', ranking: ranking.id, places } },
        now,
        null,
        'ranking',
        null,
      );
      effects += applied.effects;
      if (applied.after) afters.push(applied.after);
    }
    return {
      result: { instanceId: campaignId, revision: 1, duplicate: false, phase: '', effects },
      effects,
      after: () => {
        for (const a of afters) a();
      },
    };
  }

}

/** Creates an engine on the given store, clock and effects sink. */
export function createEngine(config: EngineConfig): Engine {
  return new Engine(config);
}

function skipped(instanceId: string): SendResult {
  return { instanceId, revision: 0, duplicate: false, phase: '', effects: 0 };
}

/**
 * The machine event for an input, with its time (`eventTime`: never before the instance's, `now`
 * unless the clock is behind): a host event validated against the instance as it is now (throws the
 * refusal), an engine event as it is.
 */
function eventFor(plan: CampaignPlan, live: LiveInstance, input: EventInput, now: number, actor: string | null): MachineEvent {
  if (input.kind === 'engine') return Object.assign({}, input.event, { at: eventTime(live.meta.id, live.time, now, false) }) as MachineEvent;
  if (live.ended) throw new EngineError('ENGINE_CAMPAIGN_ENDED', { id: live.meta.id });
  // The validated event is a fresh object: time and actor are added to it, not spread into another.
  const validated = validateHostEvent(plan, live.context, live.phase, input.raw, input.who) as { at?: number; actor?: string };
  // Checked once the event is known to be valid and allowed: a refusal for time says nothing of the instance to one who may not act on it.
  validated.at = eventTime(live.meta.id, live.time, now, true);
  if (actor !== null) validated.actor = actor;
  return validated as MachineEvent;
}

/** The engine's event for a due instance timer. */
function timerFired(timer: TimerRecord): EventInput {
  return { kind: 'engine', event: { type: 'timer.fired', key: timer.key, dueAt: timer.dueAt } };
}

/** The answer to a request whose idempotency key the instance has already applied (see `repeatedRequest`). */
function repeated(first: HistoryRecord, input: EventInput, actor: string | null): Applied {
  return { result: repeatedRequest(first, input.kind === 'host' ? input.raw : input.event, actor), effects: 0 };
}
