import { DSL_LIMITS } from '@luoshi/dsl';
import { EngineError } from '../../errors/engine-error.js';
import type { Clock } from '../../ports/clock.js';
import type { InstanceRecord, StoreTransaction } from '../../ports/store.js';
import type { CampaignClosedEvent } from '../campaign-event.js';
import { reasonOf } from '../extensions.js';
import type { InstanceCache } from '../instance-cache.js';
import type { Applied } from '../instance-step.js';
import { checkedInstant, timeText, type MessageZone } from '../instance-time.js';
import { repeatedRequest } from '../idempotent-request.js';
import type { ClosedCampaign } from '../views.js';
import type { CommitQueue, EventInput } from './commit-queue.js';
import type { Definitions } from './definitions.js';
import { mayCloseCampaign } from '../validate-event.js';
import { unitSubtree } from '../organisation.js';

/** How the office closes a campaign (终止活动): who, why, when, and where in the organisation. */
export interface CloseCampaignOptions {
  /** Who closes it (a user id or role), recorded in each instance's history. */
  readonly actor: string;
  /** Why (本通知自印发之日起施行，原…同时废止): 1 to 500 characters, recorded in each instance's history and state. */
  readonly reason: string;
  /** When (ms); default the campaign's clock. An instance already past it refuses the whole closing (ENGINE_TIME_BACKWARDS). */
  readonly at?: number;
  /** The unit it is closed at and under; default the whole campaign. */
  readonly unit?: string;
  /**
   * A repeat under the same key answers the first closing (`duplicate`); the key with another reason,
   * unit or actor is refused (ENGINE_IDEMPOTENCY_KEY_REUSED), also when that unit's part of the
   * organisation does not meet the first's. A closing that closed nothing recorded nothing: its key is free.
   */
  readonly idempotencyKey?: string;
  /**
   * The roles the host has verified the actor holds. When given, one must be a role the process
   * declares at the office level (领导小组, 办公室), else ENGINE_FORBIDDEN and nothing is closed.
   */
  readonly roles?: readonly string[];
}

/** A closing's options checked (ENGINE_INVALID_PAYLOAD): the reason as an extension request's, an actor, an instant. */
export function checkedClose(options: CloseCampaignOptions): CloseCampaignOptions {
  const bad = (detail: string, detailZh: string) => new EngineError('ENGINE_INVALID_PAYLOAD', { type: 'campaign.closed', detail, detailZh });
  // A host's JavaScript may pass anything: refused with a code, not a TypeError on the first field read.
  if (typeof options !== 'object' || options === null) throw bad('the closing\'s options must be an object', '终止活动的参数必须是对象');
  const reason = reasonOf(options.reason);
  if (reason === undefined)
    throw bad(
      `"reason" must be a text of 1 to ${DSL_LIMITS.extensionReason} characters without control characters other than line breaks`,
      `“reason”必须是 1 至 ${DSL_LIMITS.extensionReason} 个字符、除换行外不含控制字符的文字`,
    );
  if (typeof options.actor !== 'string' || options.actor.length === 0) throw bad('"actor" must name who closes the campaign', '“actor”须写明由谁终止活动');
  if (options.unit !== undefined && (typeof options.unit !== 'string' || options.unit.length === 0)) throw bad('"unit" must be a unit id', '“unit”须为单位标识');
  if (options.at !== undefined) checkedInstant(options.at);
  if (options.idempotencyKey !== undefined && (typeof options.idempotencyKey !== 'string' || options.idempotencyKey.length === 0))
    throw bad('"idempotencyKey" must be a non-empty text', '“idempotencyKey”须为非空文字');
  return options;
}

/**
 * The instant a closing is recorded at: `at`, or the campaign's clock. Never after the clock (refused,
 * ENGINE_INVALID_PAYLOAD): the timers due before it have not fired yet, and a closing dated ahead
 * would drop what they do (a task overdue on the way); a closing planned for a later day is made on
 * that day. Before the clock it is a closing recorded late (an instance already past it refuses it).
 */
export function closingTime(at: number | undefined, now: number, zone: MessageZone): number {
  checkedInstant(now);
  if (at === undefined) return now;
  if (at > now)
    throw new EngineError('ENGINE_INVALID_PAYLOAD', {
      type: 'campaign.closed',
      detail: `"at" (${timeText(at, zone)}) is after the campaign's clock (${timeText(now, zone)}): close it when that time has come`,
      detailZh: `“at”（${timeText(at, zone)}）晚于活动时钟（${timeText(now, zone)}）：请到时再终止`,
    });
  return at;
}

/** The instances a closing reaches: the unit's (the first by unit path: the root, by default) and those under it. */
export function closingScope<T extends Pick<InstanceRecord, 'unitId' | 'unitPath'>>(campaignId: string, all: readonly T[], unitId: string | undefined): { readonly root: T; readonly under: T[] } {
  const subtree = unitSubtree(all, unitId);
  if (!subtree) throw new EngineError(all.length === 0 ? 'ENGINE_CAMPAIGN_NOT_FOUND' : 'ENGINE_INSTANCE_NOT_FOUND', all.length === 0 ? { id: campaignId } : { id: `${campaignId}/${unitId ?? ''}` });
  return subtree;
}

/**
 * 幂等键 — a closing's key is the closing's, not one instance's: the same key recorded by a closing
 * (cause `close`) on an instance outside this one's scope was a closing at another unit, and this is
 * not its repeat: ENGINE_IDEMPOTENCY_KEY_REUSED (`repeatedRequest` compares the two). Without this
 * look, a key reused for a unit whose part does not meet the first's closed it unrefused. A key a
 * host event used there is that instance's own, and is left alone. Read only when a key is given.
 */
async function refuseOtherClosingsKey(tx: StoreTransaction, all: readonly InstanceRecord[], under: readonly InstanceRecord[], key: string, event: CampaignClosedEvent, actor: string): Promise<void> {
  const inScope = new Set(under.map((record) => record.id));
  for (const record of all) {
    if (inScope.has(record.id)) continue;
    const first = await tx.idempotentEntry(record.id, key);
    if (first !== undefined && first.cause === 'close') repeatedRequest(first, event, actor);
  }
}

/** The event each instance is sent (its `unit` only when the office named one). */
export function closedEvent(options: CloseCampaignOptions): CampaignClosedEvent {
  return options.unit === undefined ? { type: 'campaign.closed', reason: options.reason } : { type: 'campaign.closed', reason: options.reason, unit: options.unit };
}

/**
 * 终止活动 — the office closes a campaign, or the part of it at and under a unit, in one act: every
 * instance there that has not ended is sent `campaign.closed` at one instant, through the one commit
 * path, all in ONE store transaction (one job of the commit queue): a closing is all or nothing, so a
 * crash or a refusal (an instance already past `at`) leaves every instance as it was, and closing
 * again does the whole of it. Instances already ended are left alone, so a second closing is a no-op
 * and a closing cut short by anything is finished by the next. When the whole campaign is closed its
 * own timers (rankings, dated gradings not yet due) go in the same transaction.
 */
export class CampaignClose {
  readonly #clock: Clock;
  readonly #live: InstanceCache;
  readonly #queue: CommitQueue;
  readonly #definitions: Definitions;

  constructor(clock: Clock, live: InstanceCache, definitions: Definitions, queue: CommitQueue) {
    this.#clock = clock;
    this.#live = live;
    this.#definitions = definitions;
    this.#queue = queue;
  }

  /** See `Engine.closeCampaign`. */
  async close(campaignId: string, options: CloseCampaignOptions): Promise<ClosedCampaign> {
    checkedClose(options);
    const event = closedEvent(options);
    const key = options.idempotencyKey ?? null;
    return this.#queue.enqueue(async (tx, touched) => {
      const { plan } = await this.#definitions.compiledFor(campaignId, tx);
      mayCloseCampaign(plan, options.roles && { actor: options.actor, roles: options.roles });
      const all = await tx.listInstances(campaignId);
      const { root, under } = closingScope(campaignId, all, options.unit);
      if (key !== null) await refuseOtherClosingsKey(tx, all, under, key, event, options.actor);
      const at = closingTime(options.at, this.#clock.now(campaignId), plan.calendar);
      const closed: { instanceId: string; unitId: string; revision: number }[] = [];
      const applieds: Applied[] = [];
      let alreadyEnded = 0;
      let duplicate = false;
      for (const record of under) {
        // Another engine process may have moved an instance since this one cached it: the closing's one transaction must not conflict.
        if ((this.#live.peek(record.id)?.revision ?? record.revision) !== record.revision) this.#live.drop(record.id);
        const repeat = key !== null && (await tx.idempotentEntry(record.id, key)) !== undefined;
        if (record.ended && !repeat) {
          alreadyEnded++;
          continue;
        }
        const input: EventInput = { kind: 'office', event };
        const applied = await this.#queue.apply(tx, touched, record.id, input, at, options.actor, 'close', key);
        if (applied.result.duplicate) duplicate = true;
        closed.push({ instanceId: record.id, unitId: record.unitId, revision: applied.result.revision });
        applieds.push(applied);
      }
      const whole = under.length === all.length;
      if (whole && !duplicate) await this.#dropCampaignTimers(tx, campaignId);
      const result: ClosedCampaign = { campaignId, unitId: root.unitId, at, closed, alreadyEnded, whole, duplicate };
      return this.#queue.together(result, applieds);
    });
  }

  /** The campaign's own timers (its id is their instance id) go: no ranking or dated grading is due for a campaign closed whole. */
  async #dropCampaignTimers(tx: StoreTransaction, campaignId: string): Promise<void> {
    await tx.replaceTimers(campaignId, []);
  }
}
