import { DSL_LIMITS } from '@luoshi/dsl';
import { nanoid } from 'nanoid';
import { EngineError } from '../../errors/engine-error.js';
import type { Clock } from '../../ports/clock.js';
import type { CampaignRecord, InstanceRecord, Store, StoreTransaction } from '../../ports/store.js';
import { initialContext, type InstanceInput, type ListedItem, type TrackedItemRecord } from '../instance-context.js';
import { setOwn } from '../own-keys.js';
import { validateItemEvent } from '../validate-item-event.js';
import { checkedInstant } from '../instance-time.js';
import { CachedInstance, type InstanceCache } from '../instance-cache.js';
import { flattenOrganisation, type OrganisationUnit, type PlacedUnit } from '../organisation.js';
import { initialState, timersOfState } from '../step.js';
import { encodeSnapshot } from '../stored-format.js';
import { campaignTimersAtStart } from '../campaign-timers.js';
import type { StartedCampaign } from '../views.js';
import type { CampaignPlan } from '../../compiler/campaign-plan.js';
import type { CommitQueue } from './commit-queue.js';
import type { CompiledCampaign, Definitions } from './definitions.js';

/** What a started campaign runs over and on which version. */
export interface StartCampaignOptions {
  readonly process: string;
  /** Default: the latest deployed version. */
  readonly version?: number;
  readonly organisation: OrganisationUnit;
  /** Default: a fresh nanoid. 1 to `DSL_LIMITS.campaignIdLength` characters (code points), no "/", no control or invisible character (`checkedCampaignId`). */
  readonly campaignId?: string;
}

/**
 * Campaign start (启动活动): a campaign over an organisation tree, one instance per unit entering
 * the first phase, all in one queued job with their timers and the campaign's ranking timers. The
 * instances' states stay cached once the job has committed.
 */
export class CampaignStart {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #live: InstanceCache;
  readonly #definitions: Definitions;
  readonly #queue: CommitQueue;

  constructor(store: Store, clock: Clock, live: InstanceCache, definitions: Definitions, queue: CommitQueue) {
    this.#store = store;
    this.#clock = clock;
    this.#live = live;
    this.#definitions = definitions;
    this.#queue = queue;
  }

  /** See `Engine.startCampaign`. */
  async start(options: StartCampaignOptions): Promise<StartedCampaign> {
    // The id first: a refused id reads nothing.
    const campaignId = campaignIdOf(options);
    const definition = await this.#store.getDefinition(options.process, options.version);
    if (!definition) throw new EngineError('ENGINE_PROCESS_NOT_FOUND', { id: options.version ? `${options.process}@${options.version}` : options.process });
    const compiled = this.#definitions.compile(definition);
    const units = campaignUnits(compiled.plan, options.organisation);
    const startedAt = checkedInstant(this.#clock.now(campaignId));
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
      const started: CachedInstance[] = [];
      await tx.insertCampaign(campaign);
      for (const unit of units) {
        const live = await this.#startInstance(tx, compiled, campaign, unit);
        started.push(live);
        instances.push({ instanceId: live.meta.id, unitId: unit.id });
      }
      await tx.replaceTimers(campaignId, campaignTimersAtStart(compiled.plan, campaignId));
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

  /** One unit's instance entering the first phase: its cache entry, its record, its `start` history entry and its timers. */
  async #startInstance(tx: StoreTransaction, compiled: CompiledCampaign, campaign: CampaignRecord, unit: PlacedUnit): Promise<CachedInstance> {
    const { id: campaignId, startedAt } = campaign;
    const instanceId = `${campaignId}/${unit.id}`;
    const input = unitInput(compiled.plan, campaignId, unit, startedAt);
    const state = initialState(compiled, { id: instanceId, campaignId, unitId: unit.id, unitPath: unit.path }, input);
    const live = new CachedInstance(compiled, state);
    const record: InstanceRecord = {
      id: instanceId,
      campaignId,
      unitId: unit.id,
      unitPath: unit.path,
      phase: state.phase,
      overdue: state.overdue,
      escalated: state.escalated,
      ended: state.ended,
      snapshot: encodeSnapshot(state.snapshot.value, live.context),
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
      state: JSON.stringify(state.snapshot.value),
      idempotencyKey: null,
    });
    await tx.replaceTimers(instanceId, timersOfState(compiled.plan, state));
    live.timersKnown = true;
    return live;
  }
}

/** The id a new campaign gets: the one asked for (`checkedCampaignId`: ENGINE_INVALID_CAMPAIGN_ID), else a fresh nanoid. */
export function campaignIdOf(options: StartCampaignOptions): string {
  return options.campaignId === undefined ? nanoid(12) : checkedCampaignId(options.campaignId);
}

/**
 * What a campaign id may not hold besides "/": control, invisible-format and lone surrogate
 * characters, and the line and paragraph separators (U+2028, U+2029: invisible, and a line break to
 * many terminals and editors).
 */
const UNSEEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/**
 * Ids no URL path can carry as a segment: a URL parser (WHATWG `new URL`, as the HTTP handler and
 * its Node adapters read a request) resolves "." and ".." even percent-encoded, so a campaign
 * `..` would be started by `POST /v1/campaigns` and never found again (`/v1/campaigns/%2e%2e/rollup`
 * is read as `/v1/rollup`).
 */
const DOT_SEGMENTS: ReadonlySet<string> = new Set(['.', '..']);

/**
 * 活动标识 — a campaign id a host gives, checked before anything is read or written: 1 to
 * `DSL_LIMITS.campaignIdLength` characters, counted as code points (what a reader counts: 100 Han
 * characters or 100 emoji are 100, though an emoji is two UTF-16 units; JSON Schema's `maxLength`
 * counts the same way, so the OpenAPI document's limit is this one), no "/" (it separates the
 * campaign from the unit in an instance id), not "." or ".." (the HTTP API's paths could not name
 * it), no control, invisible-format, line-separator or lone surrogate character (the id is shown in
 * terminals, tables and file names, and a NUL cannot be stored). Throws ENGINE_INVALID_CAMPAIGN_ID,
 * the id shown quoted and cut with its unseen characters escaped. Used by the engine's and the
 * in-process driver's starts, by `POST /v1/campaigns` before its body is checked, and by
 * `luoshi start` before it opens the database.
 */
export function checkedCampaignId(id: unknown): string {
  if (typeof id === 'string' && id.length > 0 && withinCodePoints(id, DSL_LIMITS.campaignIdLength) && !id.includes('/') && !DOT_SEGMENTS.has(id) && !UNSEEN.test(id)) return id;
  throw new EngineError('ENGINE_INVALID_CAMPAIGN_ID', { shown: shownId(id), max: DSL_LIMITS.campaignIdLength });
}

/** Whether `text` has at most `max` code points; a text of more than twice as many UTF-16 units has more, uncounted. */
function withinCodePoints(text: string, max: number): boolean {
  if (text.length <= max) return true;
  if (text.length > 2 * max) return false;
  return codePointPrefix(text, max).length === text.length;
}

/** The first `count` code points of `text` (a surrogate pair is never split). */
function codePointPrefix(text: string, count: number): string {
  let end = 0;
  for (let n = 0; n < count && end < text.length; n++) end += (text.codePointAt(end) ?? 0) > 0xffff ? 2 : 1;
  return text.slice(0, end);
}

/** An id as a message shows it: quoted, cut at 40 code points, unseen characters as \uXXXX; anything else by its kind. */
function shownId(id: unknown): string {
  if (typeof id !== 'string') return typeof id;
  const head = codePointPrefix(id, 40);
  const cut = head.length < id.length ? `${head}…` : id;
  return JSON.stringify(cut).replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/**
 * What a unit's instance starts from (recorded in its `start` history entry): with its cohort (批次),
 * and the cohort's start while that is later than the campaign's (未启动 until then).
 */
export function unitInput(plan: CampaignPlan, campaignId: string, unit: PlacedUnit, startedAt: number): InstanceInput {
  const base: InstanceInput = {
    campaignId,
    unit: unit.id,
    office: unit.office,
    unitWork: unit.unitWork,
    members: unit.members,
    startedAt,
    scoresPerOccurrence: true as const,
    partsInSequence: true as const,
    // 事项亮灯: only where both exist, so the start entries of every other campaign stay as they were.
    ...(plan.lights !== undefined && plan.trackedKinds !== undefined ? { itemLights: true as const } : {}),
    // 按月亮牌: only where a kind is carded every month, so the start entries of every other campaign stay as they were.
    ...(plan.cardMonths !== undefined ? { monthCards: true as const } : {}),
    // 退出不排名: only where a unit can leave before a ranking, so the start entries of every other campaign stay as they were.
    ...(leavesBeforeRanking(plan) ? { leftUnranked: true as const } : {}),
    // 退出不评定: likewise only where a unit can leave before a dated grading.
    ...(leavesBeforeGrading(plan) ? { leftUngraded: true as const } : {}),
    // 批次启动: only in a campaign with cohorts (the start entries of every other campaign stay as they were).
    ...(plan.cohorts.size > 0 ? { startSkipsEndedPhase: true as const } : {}),
    ...(unit.items !== undefined ? { items: listedItems(plan, unit) } : {}),
  };
  // 层层分解: only a unit below the top level counts from a parent's work, and only in a campaign that cascades (others' start entries stay as they were).
  const input = unit.levelsAbove > 0 && cascades(plan) ? { ...base, levelsAbove: unit.levelsAbove } : base;
  if (unit.cohort === undefined) return input;
  const start = plan.cohorts.get(unit.cohort)?.start;
  return { ...input, cohort: unit.cohort, ...(start !== undefined && start > startedAt ? { startsAt: start } : {}) };
}

const leavesByPlan = new WeakMap<CampaignPlan, boolean>();

/** Whether the plan has a decision option that ends a unit's campaign (`next: end`). */
function unitsMayLeave(plan: CampaignPlan): boolean {
  let found = leavesByPlan.get(plan);
  if (found === undefined) {
    found = plan.phases.some((phase) => phase.decisions.some((d) => d.options.some((o) => o.next === 'end')));
    leavesByPlan.set(plan, found);
  }
  return found;
}

/** Whether the plan ranks and a unit may leave before it does. */
function leavesBeforeRanking(plan: CampaignPlan): boolean {
  return plan.rankings.length > 0 && unitsMayLeave(plan);
}

/** Whether the plan grades at a date (a grading with `at`) and a unit may leave before it does. */
function leavesBeforeGrading(plan: CampaignPlan): boolean {
  return plan.gradings.some((g) => g.dates.length > 0) && unitsMayLeave(plan);
}

const cascadesByPlan = new WeakMap<CampaignPlan, boolean>();

/** Whether any task of the plan cascades down the levels (`cascadeWithin`). */
function cascades(plan: CampaignPlan): boolean {
  let found = cascadesByPlan.get(plan);
  if (found === undefined) {
    found = [...plan.items.values()].some((item) => item.cascadeWithin !== undefined);
    cascadesByPlan.set(plan, found);
  }
  return found;
}

/**
 * 督办事项清单 — a unit's listed items as its start input records them: each checked as the office's
 * `item.opened` is (a kind the campaign declares, an id not used twice, the kind's limit, a due day
 * written YYYY-MM-DD, a target above 0), so a bad list throws that event's coded error, naming the unit.
 */
export function listedItems(plan: CampaignPlan, unit: PlacedUnit): ListedItem[] {
  const out: ListedItem[] = [];
  // The items listed so far, for the checks of ids used twice and of the kind's limit.
  const tracked: Record<string, TrackedItemRecord> = {};
  const context = { ...initialContext({ campaignId: '', unit: unit.id, office: unit.office, unitWork: unit.unitWork, members: [], startedAt: 0 }), tracked };
  for (const raw of unit.items ?? []) {
    const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const checked = validateItemEvent(plan, context, 'item.opened', { item: entry.id, kind: entry.kind, owner: entry.owner, due: entry.due, target: entry.target }, undefined) as {
      item: string;
      kind: string;
      owner?: string;
      due?: string;
      target?: number;
    };
    const due = checked.due === undefined ? undefined : plan.calendar.endOfDay(checked.due);
    const item: ListedItem = { id: checked.item, kind: checked.kind, ...(checked.owner !== undefined ? { owner: checked.owner } : {}), ...(due !== undefined ? { due } : {}), ...(checked.target !== undefined ? { target: checked.target } : {}) };
    out.push(item);
    setOwn(tracked, item.id, { k: item.kind, s: 'open', at: 0 });
  }
  return out;
}

/**
 * The units of an organisation for a campaign: placed, each cohort one the campaign declares, each
 * listed item one the campaign can open. Throws ENGINE_INVALID_ORGANISATION, naming the unit, its
 * cohort and the campaign's, or the code `item.opened` would have for a bad item.
 */
export function campaignUnits(plan: CampaignPlan, organisation: OrganisationUnit): PlacedUnit[] {
  const units = flattenOrganisation(organisation);
  for (const unit of units) {
    if (unit.items !== undefined) listedItems(plan, unit);
    if (unit.cohort === undefined || plan.cohorts.has(unit.cohort)) continue;
    const declared = [...plan.cohorts.keys()].join('、') || '—';
    throw new EngineError('ENGINE_INVALID_ORGANISATION', {
      detail: `unit "${unit.id}" names the cohort "${unit.cohort}", which the campaign does not declare (its cohorts: ${declared})`,
    });
  }
  return units;
}
