import type { CampaignPlan } from '../../compiler/campaign-plan.js';
import { EngineError, StoreConflictError } from '../../errors/engine-error.js';
import type { Clock } from '../../ports/clock.js';
import type { HistoryRecord, Store, StoreTransaction } from '../../ports/store.js';
import type { CampaignClosedEvent, EngineEvent, MachineEvent } from '../campaign-event.js';
import { repeatedRequest } from '../idempotent-request.js';
import { stepInstance, writeStep, type Applied } from '../instance-step.js';
import { eventTime, timeText } from '../instance-time.js';
import { CachedInstance, type InstanceCache } from '../instance-cache.js';
import { restoredState } from '../step.js';
import { decodeSnapshot } from '../stored-format.js';
import { validateHostEvent } from '../validate-event.js';
import type { EngineChange, SendResult } from '../views.js';
import type { Definitions } from './definitions.js';
import type { EffectDelivery } from './effect-delivery.js';
import { anchorDoneHere } from '../tasks.js';
import { isChildPath } from '../organisation.js';
import type { InstanceContext } from '../instance-context.js';

/** An event as it reaches `apply`: a host event still to be validated, or one the engine made. */
export type EventInput =
  | { readonly kind: 'host'; readonly raw: unknown; readonly who?: { actor: string; roles: readonly string[] } }
  | { readonly kind: 'engine'; readonly event: EngineEvent }
  /** 终止活动 — the office's act on the instance: dated as a host's event (refused, not moved, before the instance's time). */
  | { readonly kind: 'office'; readonly event: CampaignClosedEvent };

/** A job's work in one store transaction; it notes in `touched` the cached states it advanced. */
export type JobRun<T> = (tx: StoreTransaction, touched: Set<string>) => Promise<Applied<T>>;

interface Job {
  readonly run: JobRun<unknown>;
  /** Instances whose cached states this job advanced: dropped if the job does not commit. */
  readonly touched: Set<string>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  attempts: number;
}

/** Attempts of a job whose commit met a revision conflict, before its caller gets the conflict. */
const MAX_ATTEMPTS = 8;

/**
 * The commit queue (提交队列): the one way an event reaches the store. Jobs are committed in groups:
 * one store transaction per batch, a savepoint per job where the store can, a job that meets a
 * revision conflict retried. The listeners and the effect delivery follow each commit.
 */
export class CommitQueue {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #live: InstanceCache;
  readonly #definitions: Definitions;
  readonly #delivery: EffectDelivery;
  readonly #batchSize: number;
  readonly #listeners = new Set<(change: EngineChange) => void>();
  readonly #queue: Job[] = [];
  #pumping = false;

  constructor(store: Store, clock: Clock, live: InstanceCache, definitions: Definitions, delivery: EffectDelivery, batchSize: number) {
    this.#store = store;
    this.#clock = clock;
    this.#live = live;
    this.#definitions = definitions;
    this.#delivery = delivery;
    this.#batchSize = batchSize;
  }

  /** See `Engine.subscribe`. */
  subscribe(listener: (change: EngineChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once nothing is queued or committing. */
  async drained(): Promise<void> {
    while (this.#pumping || this.#queue.length > 0) await new Promise((r) => setImmediate(r));
  }

  /** A host event, queued; see `Engine.send`. */
  send(instanceId: string, input: EventInput, actor: string | null, idempotencyKey: string | null): Promise<SendResult> {
    return this.enqueue(async (tx, touched) => {
      const applied = await this.apply(tx, touched, instanceId, input, undefined, actor, 'host', idempotencyKey);
      return applied.result.duplicate ? applied : this.#tellOthers(tx, touched, instanceId, input, applied);
    });
  }

  /**
   * A host event that did a task other instances count from (the office's 全区动员大会, each unit's
   * 本级动员会): every other running instance of the campaign told when (`anchor.done`), in the same
   * transaction, so a unit never counts from a deadline when the work was done.
   */
  async #tellOthers(tx: StoreTransaction, touched: Set<string>, instanceId: string, input: EventInput, applied: Applied): Promise<Applied> {
    const live = this.#live.peek(instanceId);
    const done = live && input.kind === 'host' ? anchorDoneHere(live.plan, live.context, input.raw) : undefined;
    if (!live || !done) return applied;
    let effects = applied.effects;
    const told: Applied[] = [];
    for (const record of await tx.listInstances(live.meta.campaignId)) {
      if (record.id === instanceId || record.ended) continue;
      // 层层分解: a unit's own work is told only to the units directly below it.
      if (done.parent && !isChildPath(record.unitPath, live.meta.unitPath)) continue;
      const event: EventInput = { kind: 'engine', event: { type: 'anchor.done', ...done } };
      const other = await this.apply(tx, touched, record.id, event, done.doneAt, null, 'anchor', null);
      effects += other.effects;
      told.push(other);
    }
    return {
      ...applied,
      effects,
      after: () => {
        applied.after?.();
        for (const other of told) {
          other.after?.();
          if (other.change) for (const l of this.#listeners) l(other.change);
        }
      },
    };
  }

  /**
   * One job's result made of events applied to several instances (终止活动: each closed unit): after
   * the commit, each one's follow-up and its change told to the listeners, as a job of one event's is.
   */
  together<T>(result: T, applied: readonly Applied[]): Applied<T> {
    let effects = 0;
    for (const a of applied) effects += a.effects;
    return {
      result,
      effects,
      after: () => {
        for (const a of applied) {
          a.after?.();
          if (a.change) for (const l of this.#listeners) l(a.change);
        }
      },
    };
  }

  /**
   * An event applied to an instance in a queued job's transaction: the cached state (restored from
   * the store when it is not live), the idempotency check, the event judged and stepped, the step
   * written. A refusal judged on a cached state another engine has overtaken is judged again on the store.
   * `at` undefined (a host event) reads the clock once the instance's time is known: read before the
   * restore, it could fall before an event another engine process committed meanwhile, and an honest
   * event would be refused as going back in time.
   */
  async apply(
    tx: StoreTransaction,
    touched: Set<string>,
    instanceId: string,
    input: EventInput,
    at: number | undefined,
    actor: string | null,
    cause: string,
    idempotencyKey: string | null,
  ): Promise<Applied> {
    let live = this.#live.get(instanceId);
    const trusted = live !== undefined;
    if (!live) live = await this.#restore(tx, instanceId);
    if (idempotencyKey !== null) {
      const first = await tx.idempotentEntry(instanceId, idempotencyKey);
      if (first !== undefined) return repeated(first, input, actor, live);
    }
    const compiled = this.#definitions.compiledNow(live.meta.campaignId) ?? (await this.#definitions.compiledFor(live.meta.campaignId, tx));
    let event: MachineEvent;
    try {
      event = eventFor(compiled.plan, live, input, at ?? this.#clock.now(live.meta.campaignId), actor);
    } catch (error) {
      // A refusal judged on a cached state another engine may have overtaken: check, and judge again on the stored state.
      if (trusted && error instanceof EngineError && (await tx.getInstance(instanceId))?.revision !== live.revision) {
        this.#live.drop(instanceId);
        return this.apply(tx, touched, instanceId, input, at, actor, cause, idempotencyKey);
      }
      throw error;
    }
    touched.add(instanceId);
    const step = stepInstance(live, event, { at: event.at, actor, cause, idempotencyKey });
    await writeStep(tx, step);
    return step.applied;
  }

  /**
   * An instance's state restored from its stored record (decoded from whichever stored format wrote
   * it) and cached. Throws ENGINE_INSTANCE_NOT_FOUND, STORE_UNSUPPORTED_FORMAT or ENGINE_STEP_FAILED.
   */
  async #restore(tx: StoreTransaction, instanceId: string): Promise<CachedInstance> {
    const record = await tx.getInstance(instanceId);
    if (!record) throw new EngineError('ENGINE_INSTANCE_NOT_FOUND', { id: instanceId });
    const compiled = await this.#definitions.compiledFor(record.campaignId, tx);
    const meta = { id: record.id, campaignId: record.campaignId, unitId: record.unitId, unitPath: record.unitPath };
    const time = (await tx.instanceTime(instanceId)) ?? -Infinity;
    const state = restoredState(compiled, meta, decodeSnapshot(instanceId, record.snapshot), { ...record, time });
    const live = new CachedInstance(compiled, state);
    this.#live.set(live);
    return live;
  }

  /** Queues a job: committed with the jobs queued beside it, its promise settled after the commit. */
  enqueue<T>(run: JobRun<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run, touched: new Set(), resolve: resolve as (value: unknown) => void, reject, attempts: 0 });
      if (!this.#pumping) {
        this.#pumping = true;
        // After the event loop's I/O callbacks, not after this microtask: requests that arrive on
        // separate sockets in one poll reach the queue in separate callbacks, and a microtask would
        // commit the first alone (over HTTP, one transaction per event instead of one per ~50).
        setImmediate(() => void this.#pump());
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
          // Not committed: the cached states it advanced are ahead of the store.
          for (const id of job.touched) this.#live.drop(id);
          job.touched.clear();
          if (outcome.reason instanceof StoreConflictError && ++job.attempts < MAX_ATTEMPTS) {
            this.#queue.push(job);
            return;
          }
          job.reject(outcome.reason);
        });
        if (effects > 0) this.#deliver();
      }
    } finally {
      this.#pumping = false;
    }
  }

  async #commit(batch: readonly Job[]): Promise<PromiseSettledResult<Applied<unknown>>[]> {
    // A job that fails drops the cached states it advanced at once, before a later job of the same batch reads them.
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

  /** What follows a commit, either way: the job's own follow-up, then the listeners. Returns the effects it added to the outbox. */
  #settle(applied: Applied<unknown>): number {
    applied.after?.();
    if (applied.change) for (const l of this.#listeners) l(applied.change);
    return applied.effects;
  }

  /** Effects were committed: delivered in the background (a failed delivery leaves them in the outbox for the next). */
  #deliver(): void {
    void this.#delivery.deliver().catch(() => undefined);
  }
}

/**
 * The machine event for an input, with its time (`eventTime`: never before the instance's, `now`
 * unless the clock is behind): a host event validated against the instance as it is now (throws the
 * refusal), an engine event as it is.
 */
export function eventFor(plan: CampaignPlan, live: CachedInstance, input: EventInput, now: number, actor: string | null): MachineEvent {
  if (input.kind === 'engine') return Object.assign({}, input.event, { at: eventTime(live.meta.id, live.time, now, false, plan.calendar) }) as MachineEvent;
  if (live.ended) throw endedError(live.meta.id, live.context, plan);
  if (input.kind === 'office') {
    const act: { at?: number; actor?: string } = Object.assign({}, input.event) as { at?: number; actor?: string };
    act.at = eventTime(live.meta.id, live.time, now, true, plan.calendar);
    if (actor !== null) act.actor = actor;
    return act as MachineEvent;
  }
  // The validated event is a fresh object: time and actor are added to it, not spread into another.
  const validated = validateHostEvent(plan, live.context, live.phase, input.raw, input.who) as { at?: number; actor?: string };
  // Checked once the event is known to be valid and allowed: a refusal for time says nothing of the instance to one who may not act on it.
  validated.at = eventTime(live.meta.id, live.time, now, true, plan.calendar);
  if (actor !== null) validated.actor = actor;
  return validated as MachineEvent;
}

/** The refusal of an event for an instance that has ended: ENGINE_CAMPAIGN_CLOSED (when, why) when the office closed it (终止). */
function endedError(id: string, context: InstanceContext, plan: CampaignPlan): EngineError {
  const { closed } = context;
  if (closed === undefined) return new EngineError('ENGINE_CAMPAIGN_ENDED', { id });
  return new EngineError('ENGINE_CAMPAIGN_CLOSED', { id, at: timeText(closed.at, plan.calendar), reason: closed.reason, zone: plan.calendar.zone });
}

/** The answer to a request whose idempotency key the instance has already applied (see `repeatedRequest`). */
function repeated(first: HistoryRecord, input: EventInput, actor: string | null, live: { readonly plan: CampaignPlan; readonly context: InstanceContext }): Applied {
  return { result: repeatedRequest(first, input.kind === 'host' ? input.raw : input.event, actor, live), effects: 0 };
}
