import type { ProcessFile, ValidationResult } from '@luoshi/dsl';
import { SystemClock } from '../clocks/system-clock.js';
import type { Clock } from '../ports/clock.js';
import type { EffectsSink } from '../ports/effects-sink.js';
import type { Store } from '../ports/store.js';
import type { HostEvent } from './campaign-event.js';
import { CampaignClose, type CloseCampaignOptions } from './engine/campaign-close.js';
import { CampaignStart, type StartCampaignOptions } from './engine/campaign-start.js';
import { CommitQueue, type EventInput } from './engine/commit-queue.js';
import { CompiledCache, Definitions } from './engine/definitions.js';
import { DueTimers } from './engine/due-timers.js';
import { EffectDelivery } from './engine/effect-delivery.js';
import { Queries } from './engine/queries.js';
import { replayInstance } from './engine/replay.js';
import { InstanceCache } from './instance-cache.js';
import type { RankedSubject } from './ranking.js';
import type {
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
  TaskView,
  TrackedItemView,
  ExtensionRequestView,
  UnitOutcomeCounts,
} from './views.js';

export type { StartCampaignOptions } from './engine/campaign-start.js';
export type { CloseCampaignOptions } from './engine/campaign-close.js';
export { CompiledCache } from './engine/definitions.js';

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
   * Instances whose states are kept cached between events, least recently used dropped first, so an
   * event costs one step instead of decoding and resolving the stored snapshot. Default 10,000.
   */
  readonly cacheSize?: number;
  /**
   * Where compiled campaign versions are kept. Default: a cache of this engine's own. Engines that
   * run the same definitions one after another (the simulator's runs) may share one, so each does
   * not compile the campaign again.
   */
  readonly compiledCache?: CompiledCache;
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

/**
 * The Luoshi engine: deploys process versions, starts campaigns over an organisation, applies
 * events and due timers to instances, one store transaction per event (snapshot, history, timers,
 * outbox), and delivers effects after the commit. It knows the store, clock and effects sink only
 * by their ports. A facade: each part lives in `engine/` (definitions, campaign start, commit
 * queue, due timers, effect delivery, queries, replay) and takes what it needs from here.
 */
export class Engine {
  readonly #store: Store;
  /** The instance states cached between events, shared by the parts that step, restore, rank and read them. */
  readonly #live: InstanceCache;
  readonly #definitions: Definitions;
  readonly #starts: CampaignStart;
  readonly #closes: CampaignClose;
  readonly #queue: CommitQueue;
  readonly #timers: DueTimers;
  readonly #delivery: EffectDelivery;
  readonly #queries: Queries;

  constructor(config: EngineConfig) {
    const store = config.store;
    const clock = config.clock ?? new SystemClock();
    const batchSize = Math.max(1, config.batchSize ?? 64);
    const live = new InstanceCache(Math.max(1, config.cacheSize ?? 10_000));
    const definitions = new Definitions(store, clock, config.compiledCache ?? new CompiledCache());
    const delivery = new EffectDelivery(store, clock, config.effects);
    const queue = new CommitQueue(store, clock, live, definitions, delivery, batchSize);
    this.#store = store;
    this.#live = live;
    this.#definitions = definitions;
    this.#starts = new CampaignStart(store, clock, live, definitions, queue);
    this.#closes = new CampaignClose(clock, live, definitions, queue);
    this.#queue = queue;
    this.#timers = new DueTimers(store, clock, live, definitions, queue, batchSize);
    this.#delivery = delivery;
    this.#queries = new Queries(store, definitions, live);
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
  startCampaign(options: StartCampaignOptions): Promise<StartedCampaign> {
    return this.#starts.start(options);
  }

  /**
   * 终止活动 — the office closes the campaign (or the part of it at and under `unit`) in one act: each
   * instance there not yet ended ends at `at` (default: the campaign's clock) as a decision's
   * `next: end` ends it, its open work ruled over and its timers gone, its history recording the
   * closing with actor and reason; the whole campaign closed, its own timers (rankings, dated
   * gradings) go too. One transaction: all or nothing (ENGINE_TIME_BACKWARDS when an instance is
   * already past `at`); instances already ended are left as they are, so closing again is a no-op
   * that finishes whatever is still running. Afterwards events are refused with ENGINE_CAMPAIGN_CLOSED.
   */
  closeCampaign(campaignId: string, options: CloseCampaignOptions): Promise<ClosedCampaign> {
    return this.#closes.close(campaignId, options);
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

  /**
   * Fires every timer due by the clock's now, in due order, until none is left (a timer that makes
   * another one due fires that too). With several engine processes on one store it returns once a
   * round claims nothing (every due timer held by another process, or waiting for an earlier related
   * one it holds): call it again later. Returns how many fired. With `campaignId`, that campaign's
   * timers only, by its time (`clock.now(campaignId)`: a rehearsal clock, 演练时钟); without, those of
   * every campaign on the wall clock (a campaign on a rehearsal clock is never moved by it).
   */
  runDueTimers(campaignId?: string): Promise<number> {
    return this.#timers.run(campaignId);
  }

  /** The due time of the earliest timer (of one campaign, or of those on the wall clock), for clocks that jump to it. */
  nextTimerAt(campaignId?: string): Promise<number | undefined> {
    return this.#timers.nextAt(campaignId);
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
   * 督办事项 — the items tracked to closure (销号) of a campaign's units at and under a unit (default:
   * all): status, owner, due, target and progress, level (挂牌督办).
   */
  items(campaignId: string, unitId?: string): Promise<TrackedItemView[]> {
    return this.#queries.items(campaignId, unitId);
  }

  /**
   * 待审批延期申请 — the office's inbox: the pending extension requests of a campaign's units at and
   * under a unit (default: all), each with the due time asked for and the reason.
   */
  extensions(campaignId: string, unitId?: string): Promise<ExtensionRequestView[]> {
    return this.#queries.extensions(campaignId, unitId);
  }

  /**
   * What a campaign has come to at and under a unit (default: the whole campaign): each item's tasks
   * by status, the subjects at or past each ladder rung, the subjects carrying each flag.
   */
  outcomes(campaignId: string, unitId?: string): Promise<Outcomes> {
    return this.#queries.outcomes(campaignId, unitId);
  }

  /**
   * 标记在身 — the subjects holding each flag at and under a unit (default: the whole campaign):
   * every flag the plan declares (0 when none holds it), each subject once per flag. What
   * `outcomes(…).flags` holds, without counting every task: a simulator samples it every month.
   */
  flagsHeld(campaignId: string, unitId?: string): Promise<Record<string, number>> {
    return this.#queries.flagsHeld(campaignId, unitId);
  }

  /**
   * 各单位结果 — what each unit at and under a unit (default: the whole campaign) has come to, by unit
   * path: its tasks and its members' by status, how late its late completions came, the subjects
   * carrying each flag, its own grades. Counted from the records, not from views.
   */
  unitOutcomes(campaignId: string, unitId?: string): Promise<UnitOutcomeCounts[]> {
    return this.#queries.unitOutcomes(campaignId, unitId);
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
   * ENGINE_REPLAY_MISMATCH when they differ, when the history does not begin with the start, when
   * one of its entries (the start's too) cannot be read and when one of its steps fails (the error
   * its cause); returns the rebuilt snapshot when they agree.
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
}

/** Creates an engine on the given store, clock and effects sink. */
export function createEngine(config: EngineConfig): Engine {
  return new Engine(config);
}
