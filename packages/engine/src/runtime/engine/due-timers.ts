import type { Clock } from '../../ports/clock.js';
import type { Store, StoreTransaction, TimerRecord } from '../../ports/store.js';
import type { Applied } from '../instance-step.js';
import { checkedInstant } from '../instance-time.js';
import type { InstanceCache } from '../instance-cache.js';
import { nextCampaignTimer } from '../campaign-timers.js';
import { gradesHere } from '../grading.js';
import { placesByInstance, rankSubjects } from '../ranking.js';
import { isCampaignTimer, parseTimerKey } from '../timer-keys.js';
import type { SendResult } from '../views.js';
import type { CommitQueue, EventInput } from './commit-queue.js';
import type { Definitions } from './definitions.js';
import { currentContext } from './stored-snapshot.js';

/** What a round did: timers fired, whether any was claimed, its first failure. */
interface Round {
  readonly fired: number;
  readonly progress: boolean;
  readonly failure: { readonly error: unknown } | undefined;
}

/**
 * Due timers (到期计时器): every timer due by the clock fired in due order, each a queued job of
 * the commit queue, the way a host event is committed. An instance timer sends the instance `timer.fired`; a
 * campaign's timer (`isCampaignTimer`) is a ranking, placing every subject in one transaction.
 */
export class DueTimers {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #live: InstanceCache;
  readonly #definitions: Definitions;
  readonly #queue: CommitQueue;
  readonly #batchSize: number;

  constructor(store: Store, clock: Clock, live: InstanceCache, definitions: Definitions, queue: CommitQueue, batchSize: number) {
    this.#store = store;
    this.#clock = clock;
    this.#live = live;
    this.#definitions = definitions;
    this.#queue = queue;
    this.#batchSize = batchSize;
  }

  /** See `Engine.runDueTimers`. */
  async run(campaignId?: string): Promise<number> {
    let fired = 0;
    for (;;) {
      const now = checkedInstant(this.#clock.now(campaignId));
      const due = await this.#store.dueTimers(now, this.#batchSize, campaignId);
      if (due.length === 0) return fired;
      const round = await this.#fire(due, now);
      fired += round.fired;
      const { progress, failure } = round;
      // Every timer of the round was attempted; the first failure (in due order) is the round's.
      if (failure) throw failure.error;
      // Every due timer is held by another engine process or waits for an earlier related one it
      // holds (the store's claim rule): return rather than spin; the caller polls again.
      if (!progress) return fired;
    }
  }

  /** See `Engine.nextTimerAt`. */
  async nextAt(campaignId?: string): Promise<number | undefined> {
    return (await this.#store.nextTimer(campaignId))?.dueAt;
  }

  /** A round's due timers fired as queued jobs, all at once and in due order; each job claims its timer first. */
  async #fire(rest: readonly TimerRecord[], now: number): Promise<Round> {
    // Whether each timer's job claimed it in the attempt that committed (a retried job claims again).
    const claimed = rest.map(() => false);
    const results = await Promise.allSettled(
      rest.map((timer, k) =>
        this.#queue.enqueue(async (tx, touched) => {
          claimed[k] = await tx.claimTimer(timer);
          if (!claimed[k]) return { result: skipped(timer.instanceId), effects: 0 };
          if (isCampaignTimer(timer.instanceId)) {
            return parseTimerKey(timer.key)?.kind === 'grading' ? this.#grade(tx, touched, timer, now) : this.#rank(tx, touched, timer, now);
          }
          return this.#queue.apply(tx, touched, timer.instanceId, timerFired(timer), now, null, 'timer', null);
        }),
      ),
    );
    let fired = 0;
    let progress = false;
    let failure: { readonly error: unknown } | undefined;
    results.forEach((r, k) => {
      if (r.status === 'rejected') failure ??= { error: r.reason };
      else if (r.value.revision > 0) fired++;
      if (claimed[k]) progress = true;
    });
    return { fired, progress, failure };
  }

  /** A ranking's time has come: rank every subject and tell each instance its places, in this one transaction. */
  async #rank(tx: StoreTransaction, touched: Set<string>, timer: TimerRecord, now: number): Promise<Applied> {
    const campaignId = timer.instanceId;
    const { plan } = await this.#definitions.compiledFor(campaignId, tx);
    const key = parseTimerKey(timer.key);
    const ranking = key?.kind === 'ranking' ? plan.rankings.find((r) => r.id === key.ranking) : undefined;
    if (!ranking) return { result: skipped(campaignId), effects: 0 };
    const records = await tx.listInstances(campaignId);
    // Another engine process may have moved some of the campaign's instances since this one cached
    // them: drop those actors first, or each would fail the ranking's one transaction with a
    // revision conflict, one retry per stale instance.
    for (const record of records) if ((this.#live.peek(record.id)?.revision ?? record.revision) !== record.revision) this.#live.drop(record.id);
    const ranked = rankSubjects(ranking, records.map((r) => ({ id: r.id, context: currentContext(this.#live, r) })), key?.kind === 'ranking' ? (key.occurrence ?? 0) : 0, plan);
    const byInstance = placesByInstance(ranked);
    const applieds: Applied[] = [];
    for (const record of records) {
      const places = byInstance.get(record.id) ?? [];
      if (places.length === 0) continue;
      const event: EventInput = { kind: 'engine', event: { type: 'ranking.placed', ranking: ranking.id, places } };
      applieds.push(await this.#queue.apply(tx, touched, record.id, event, now, null, 'ranking', null));
    }
    // Only the next date is ever set ahead (a standing mechanism would otherwise hold one per year).
    const next = nextCampaignTimer('ranking', ranking, campaignId, key?.kind === 'ranking' ? (key.occurrence ?? 0) : 0, records.some((r) => !r.ended));
    if (next) await tx.patchTimers(campaignId, [next], []);
    return this.#campaignApplied(campaignId, applieds);
  }

  /**
   * A dated grading's time has come (定期评定): each instance with subjects to grade is told
   * `grading.due` and grades them on its own scores, all in this one transaction.
   */
  async #grade(tx: StoreTransaction, touched: Set<string>, timer: TimerRecord, now: number): Promise<Applied> {
    const campaignId = timer.instanceId;
    const { plan } = await this.#definitions.compiledFor(campaignId, tx);
    const key = parseTimerKey(timer.key);
    const grading = key?.kind === 'grading' ? plan.gradings.find((g) => g.id === key.grading) : undefined;
    if (!grading) return { result: skipped(campaignId), effects: 0 };
    const records = await tx.listInstances(campaignId);
    const applieds: Applied[] = [];
    for (const record of records) {
      // Stale cached actors dropped first, as for a ranking: the grading's one transaction must not conflict.
      if ((this.#live.peek(record.id)?.revision ?? record.revision) !== record.revision) this.#live.drop(record.id);
      if (!gradesHere(grading, currentContext(this.#live, record))) continue;
      const occurrence = key?.kind === 'grading' ? (key.occurrence ?? 0) : 0;
      const event: EventInput = { kind: 'engine', event: occurrence > 0 ? { type: 'grading.due', grading: grading.id, occurrence } : { type: 'grading.due', grading: grading.id } };
      applieds.push(await this.#queue.apply(tx, touched, record.id, event, now, null, 'grading', null));
    }
    const next = nextCampaignTimer('grading', grading, campaignId, key?.kind === 'grading' ? (key.occurrence ?? 0) : 0, records.some((r) => !r.ended));
    if (next) await tx.patchTimers(campaignId, [next], []);
    return this.#campaignApplied(campaignId, applieds);
  }

  /**
   * The result of a campaign timer's job: the instances it moved, their effects, and each one's
   * change told to subscribers after the commit (as the in-process driver tells them).
   */
  #campaignApplied(campaignId: string, applieds: readonly Applied[]): Applied {
    let effects = 0;
    for (const applied of applieds) effects += applied.effects;
    return this.#queue.together<SendResult>({ instanceId: campaignId, revision: 1, duplicate: false, phase: '', effects }, applieds);
  }
}

/** The result of a timer another engine process claimed first, or a ranking the plan no longer has: nothing applied. */
function skipped(instanceId: string): SendResult {
  return { instanceId, revision: 0, duplicate: false, phase: '', effects: 0 };
}

/** The engine's event for a due instance timer. */
function timerFired(timer: TimerRecord): EventInput {
  return { kind: 'engine', event: { type: 'timer.fired', key: timer.key, dueAt: timer.dueAt } };
}
