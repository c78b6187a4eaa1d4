import type { ProcessFile, ValidationResult } from '@luoshi/dsl';
import { nanoid } from 'nanoid';
import { SystemClock } from '../clocks/system-clock.js';
import { ENDED } from '../compiler/compile-machine.js';
import { EngineError } from '../errors/engine-error.js';
import type { Clock } from '../ports/clock.js';
import type { EffectsSink } from '../ports/effects-sink.js';
import {
  type CampaignRecord,
  type InstanceRecord,
  type Store,
  type StoreTransaction,
  type TimerRecord,
} from '../ports/store.js';
import type { HostEvent } from './campaign-event.js';
import { LiveInstance, LiveInstances } from './live-instance.js';
import { desiredTimers } from './desired-timers.js';
import { CommitQueue, eventFor, type EventInput } from './engine/commit-queue.js';
import { Definitions } from './engine/definitions.js';
import { EffectDelivery } from './engine/effect-delivery.js';
import { Queries } from './engine/queries.js';
import { replayInstance } from './engine/replay.js';
import { currentContext } from './engine/stored-snapshot.js';
import { phaseOf, stepFailed, stepInstance, writeStepNow, type Applied } from './instance-step.js';
import type { InstanceInput } from './instance-context.js';
import { flattenOrganisation, type OrganisationUnit } from './organisation.js';
import { placesByInstance, rankSubjects, type RankedSubject } from './ranking.js';
import { checkedInstant } from './instance-time.js';
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
  readonly #queue: CommitQueue;

  constructor(config: EngineConfig) {
    this.#store = config.store;
    this.#clock = config.clock ?? new SystemClock();
    this.#delivery = new EffectDelivery(this.#store, this.#clock, config.effects);
    this.#definitions = new Definitions(this.#store, this.#clock);
    this.#batchSize = Math.max(1, config.batchSize ?? 64);
    this.#live = new LiveInstances(Math.max(1, config.cacheSize ?? 10_000));
    this.#queries = new Queries(this.#store, this.#definitions, this.#live);
    this.#queue = new CommitQueue(this.#store, this.#clock, this.#live, this.#definitions, this.#delivery, this.#batchSize);
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
    return this.#queue.enqueue(async (tx) => {
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
    return this.#queue.send(instanceId, input, options.actor ?? null, options.idempotencyKey ?? null);
  }

  /** A due instance timer fired at once (`#now`), or undefined when it must take the queue. */
  #fireNow(timer: TimerRecord, now: number): { readonly applied: Applied } | { readonly failed: unknown } | undefined {
    return this.#queue.now(timer.instanceId, (tx, live, plan) => {
      if (!tx.claimTimer(timer)) return { result: skipped(timer.instanceId), effects: 0 };
      const event = eventFor(plan, live, timerFired(timer), now, null);
      const step = stepInstance(plan, live, event, { at: event.at, actor: null, cause: 'timer', idempotencyKey: null });
      writeStepNow(tx, step);
      return step.applied;
    });
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
            this.#queue.enqueue(async (tx, touched) => {
              claimed[k] = await tx.claimTimer(timer);
              if (!claimed[k]) return { result: skipped(timer.instanceId), effects: 0 };
              if (!timer.instanceId.includes('/')) return this.#rank(tx, touched, timer, now);
              return this.#queue.apply(tx, touched, timer.instanceId, timerFired(timer), now, null, 'timer', null);
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
    return this.#queue.subscribe(listener);
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
    await this.#queue.drained();
    await this.#delivery.running;
    this.#live.clear();
    await this.#store.close();
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
      const applied = await this.#queue.apply(
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

/** The engine's event for a due instance timer. */
function timerFired(timer: TimerRecord): EventInput {
  return { kind: 'engine', event: { type: 'timer.fired', key: timer.key, dueAt: timer.dueAt } };
}
