import { EngineError } from '../../errors/engine-error.js';
import type { CampaignPlan } from '../../compiler/campaign-plan.js';
import type { InstanceRecord, Store } from '../../ports/store.js';
import type { InspectionRecord, InstanceContext, TaskRecord } from '../instance-context.js';
import type { InstanceCache } from '../instance-cache.js';
import { addLights, itemLightCounts, noLights, taskLight, taskLightCounts, unitLight } from '../lights.js';
import { countFlags, countOutcomes, countUnitOutcomes, flagCounts } from '../outcomes.js';
import { ownValue, setOwn } from '../own-keys.js';
import { rankSubjects, type RankedSubject } from '../ranking.js';
import { memberIdOf, memberRefs, parseTaskKey, publicTaskKey, recordTaskKey, subjectSlot } from '../record-keys.js';
import { meanScores } from '../score-sums.js';
import { forEachTask, taskAt } from '../task-table.js';
import type { ExtensionRequestView, HistoryEntry, InstanceState, Outcomes, Rollup, SubjectView, TaskView, TrackedItemView, UnitOutcomeCounts } from '../views.js';
import type { Definitions } from './definitions.js';
import { committedContext, persisted, storedInstance } from './stored-snapshot.js';
import { cycleOfItem } from '../cycles.js';
import { itemViews } from '../tracked-items.js';
import { pendingExtensions } from '../extensions.js';
import { unitSubtree } from '../organisation.js';

/** What queries read records from: a store, or the in-process driver's states. */
export type QueryRecords = Pick<Store, 'getInstance' | 'listInstances' | 'history'>;

/** What queries learn a campaign's compiled version from (throws ENGINE_CAMPAIGN_NOT_FOUND for an unknown campaign). */
export type QueryDefinitions = Pick<Definitions, 'compiledFor' | 'campaign'>;

/**
 * The engine's queries (查询): what hosts read of instances and campaigns, from the store outside
 * any transaction, with the cached committed contexts where they match the stored revision.
 */
export class Queries {
  readonly #store: QueryRecords;
  readonly #definitions: QueryDefinitions;
  readonly #live: InstanceCache;

  constructor(store: QueryRecords, definitions: QueryDefinitions, live: InstanceCache) {
    this.#store = store;
    this.#definitions = definitions;
    this.#live = live;
  }

  /** The current state of an instance. */
  async state(instanceId: string): Promise<InstanceState> {
    const record = await storedInstance(this.#store, instanceId);
    const { plan } = await this.#definitions.compiledFor(record.campaignId);
    return {
      instanceId,
      campaignId: record.campaignId,
      unitId: record.unitId,
      unitPath: record.unitPath,
      phase: record.phase,
      ...stateOf(plan, record),
      ended: record.ended,
      revision: record.revision,
      overdue: record.overdue,
      escalated: record.escalated,
    };
  }

  /**
   * The instance's tasks (its own and its members'), optionally only some statuses, one member's, or
   * those under some keys (e.g. an `EngineChange`'s `tasks`; unknown keys are left out).
   */
  async tasks(
    instanceId: string,
    filter: { status?: readonly string[]; member?: string; owner?: string; keys?: readonly string[] } = {},
  ): Promise<TaskView[]> {
    const record = await storedInstance(this.#store, instanceId);
    const { plan } = await this.#definitions.compiledFor(record.campaignId);
    const context = committedContext(this.#live, record);
    const out: TaskView[] = [];
    const { members } = context;
    const statuses = filter.status === undefined ? undefined : new Set<string>(filter.status);
    const wanted = statuses === undefined ? undefined : (t: TaskRecord) => statuses.has(t.s);
    const found: [key: string, task: TaskRecord][] = [];
    if (filter.keys)
      // Each key once: a key asked twice is one task.
      for (const key of new Set(filter.keys.flatMap((k) => recordTaskKey(members, k) ?? []))) {
        const t = taskAt(context.tasks, key);
        if (t !== undefined && (wanted === undefined || wanted(t))) found.push([key, t]);
      }
    else forEachTask(context.tasks, (key, t) => void found.push([key, t]), wanted);
    for (const [key, t] of found) {
      const named = parseTaskKey(key);
      const item = plan.items.get(named.item);
      if (!item) continue;
      const member = memberIdOf(members, named.member);
      if (filter.member !== undefined && member !== filter.member) continue;
      if (filter.owner !== undefined && item.owner !== filter.owner) continue;
      // Fields added one by one in this order, the optional ones only when set: views of one set of
      // fields share one layout (a literal with conditional spreads got a layout of its own each time).
      const view: { -readonly [K in keyof TaskView]: TaskView[K] } = {
        key: publicTaskKey(members, key),
        item: item.id,
        title: item.title,
        kind: item.kind,
        phase: item.phase,
        owner: item.owner,
      } as TaskView;
      if (item.reportTo) view.reportTo = item.reportTo;
      if (member !== undefined) view.member = member;
      view.status = t.s;
      const light = taskLight(plan, t);
      if (light !== undefined) view.light = light;
      if (t.ny !== undefined) view.yellows = t.ny;
      if (t.u !== undefined) view.urged = t.u;
      if (t.due !== undefined) view.dueAt = t.due;
      if (t.at !== undefined) view.completedAt = t.at;
      if (t.by !== undefined) view.completedBy = t.by;
      if (named.occurrence !== undefined) view.occurrence = named.occurrence;
      const cycle = cycleOfItem(plan, item);
      if (cycle !== undefined) view.cycle = cycle;
      if (t.xn !== undefined) view.extended = t.xn;
      if (t.xr !== undefined) view.extensionAsked = t.xr;
      out.push(view);
    }
    // Keys in code-unit order: stable on every machine (a locale's collation is not) and cheap.
    return out.sort((a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The unit's and each member's record: ladder rungs, flags, mean scores, ranks, grades. */
  async subjects(instanceId: string): Promise<SubjectView[]> {
    const record = await storedInstance(this.#store, instanceId);
    const context = committedContext(this.#live, record);
    return [undefined, ...memberRefs(context.members)].map((ref) => {
      const slot = subjectSlot(ref);
      const ladders: Record<string, number> = {};
      for (const [id, counters] of Object.entries(context.ladders)) {
        const counter = counters[slot];
        if (counter) setOwn(ladders, id, counter.n);
      }
      const ranks: Record<string, number> = {};
      for (const [id, bySlot] of Object.entries(context.ranks)) {
        const rank = bySlot[slot];
        if (rank !== undefined && rank !== null) setOwn(ranks, id, rank);
      }
      const grades: Record<string, string> = {};
      for (const [id, bySlot] of Object.entries(context.grades ?? {})) {
        const grade = bySlot[slot];
        if (grade !== undefined && grade !== null) setOwn(grades, id, grade);
      }
      return {
        subject: ref === undefined ? 'unit' : (memberIdOf(context.members, ref) as string),
        kind: ref === undefined ? ('unit' as const) : ('member' as const),
        ladders,
        // A copy: the context's own array is shared with the cached state (and, continued runs, with every run from one reading).
        flags: [...(context.flags[slot] ?? [])],
        scores: meanScores(context.scores, ref, context.deducted),
        ranks,
        grades,
      };
    });
  }

  /** The units of a campaign at and under a unit (default: the whole campaign), counted by phase, overdue and escalation. */
  async rollup(campaignId: string, unitId?: string): Promise<Rollup> {
    const { plan } = await this.#definitions.compiledFor(campaignId);
    const { root, under } = await this.#subtree(campaignId, unitId);
    const phases: Record<string, number> = {};
    let units = 0;
    let overdueTasks = 0;
    let overdueUnits = 0;
    let escalated = 0;
    let ended = 0;
    const lights = plan.lights === undefined ? undefined : { units: noLights(), tasks: noLights(), ...(plan.trackedKinds !== undefined ? { items: noLights() } : {}) };
    for (const i of under) {
      units++;
      if (lights) addLights(plan, committedContext(this.#live, i), lights);
      setOwn(phases, i.phase, (ownValue(phases, i.phase) ?? 0) + 1);
      overdueTasks += i.overdue;
      if (i.overdue > 0) overdueUnits++;
      escalated += i.escalated;
      if (i.ended) ended++;
    }
    return { campaignId, unitId: root.unitId, units, phases, overdueTasks, overdueUnits, escalated, ended, ...(lights ? { lights } : {}) };
  }

  /**
   * What a campaign has come to at and under a unit (default: the whole campaign): each item's tasks
   * by status, the subjects at or past each ladder rung, the subjects carrying each flag.
   */
  async outcomes(campaignId: string, unitId?: string): Promise<Outcomes> {
    const { plan } = await this.#definitions.compiledFor(campaignId);
    const { root, under } = await this.#subtree(campaignId, unitId);
    return { campaignId, unitId: root.unitId, ...countOutcomes(plan, under.map((record) => committedContext(this.#live, record))) };
  }

  /** 标记在身 — the subjects holding each flag at and under a unit (default: the whole campaign): every flag the plan declares, 0 when none holds it. */
  async flagsHeld(campaignId: string, unitId?: string): Promise<Record<string, number>> {
    const { plan } = await this.#definitions.compiledFor(campaignId);
    const { under } = await this.#subtree(campaignId, unitId);
    const counts = flagCounts(plan);
    for (const record of under) countFlags(counts, committedContext(this.#live, record));
    return Object.fromEntries(counts);
  }

  /** 各单位结果 — what each unit at and under a unit (default: the whole campaign) has come to, by unit path. */
  async unitOutcomes(campaignId: string, unitId?: string): Promise<UnitOutcomeCounts[]> {
    const { under } = await this.#subtree(campaignId, unitId);
    return under.map((record) => countUnitOutcomes(record, committedContext(this.#live, record)));
  }

  /** 督办事项 — the items tracked to closure of a campaign's units at and under a unit (default: all), by unit path, each unit's in the order opened. */
  async items(campaignId: string, unitId?: string): Promise<TrackedItemView[]> {
    const { plan } = await this.#definitions.compiledFor(campaignId);
    const { under } = await this.#subtree(campaignId, unitId);
    return under.flatMap((record) => itemViews(plan, record.id, committedContext(this.#live, record)));
  }

  /** 待审批延期申请 — the pending extension requests of a campaign's units at and under a unit (default: all), the office's inbox: by unit path, each unit's earliest due first. */
  async extensions(campaignId: string, unitId?: string): Promise<ExtensionRequestView[]> {
    const { plan } = await this.#definitions.compiledFor(campaignId);
    if (!plan.extensions) return [];
    const { under } = await this.#subtree(campaignId, unitId);
    return under.flatMap((record) => pendingExtensions(plan, record.id, committedContext(this.#live, record)));
  }

  /** A campaign's instance of `unitId` (default: its root) and every instance at and under it, by unit path. */
  async #subtree(campaignId: string, unitId: string | undefined): Promise<{ readonly root: InstanceRecord; readonly under: InstanceRecord[] }> {
    const all = await this.#store.listInstances(campaignId);
    const subtree = unitSubtree(all, unitId);
    if (!subtree) throw new EngineError('ENGINE_INSTANCE_NOT_FOUND', { id: `${campaignId}/${unitId ?? ''}` });
    return subtree;
  }

  /** The current standings of a ranking, computed from the instances' scores (the placed ranks are in `subjects`). */
  async standings(campaignId: string, rankingId: string): Promise<RankedSubject[]> {
    const { plan } = await this.#definitions.compiledFor(campaignId);
    const ranking = plan.rankings.find((r) => r.id === rankingId);
    if (!ranking) throw new EngineError('ENGINE_UNKNOWN_ITEM', { kind: 'ranking', kindZh: '排名', id: rankingId });
    const instances = await this.#store.listInstances(campaignId);
    const contexts = instances.map((i) => ({ id: i.id, context: persisted(i).context }));
    // 周期: the standings of the latest cycle any unit has reached.
    const labels = plan.cycles?.map((c) => c.label) ?? [];
    const reached = Math.max(0, ...contexts.map(({ context }) => (context.cycle === undefined ? 0 : labels.indexOf(context.cycle))));
    return rankSubjects(ranking, contexts, reached, plan);
  }

  /** The instances of a campaign, by unit path. */
  async instances(campaignId: string): Promise<InstanceState[]> {
    const { plan } = await this.#definitions.compiledFor(campaignId);
    const all = await this.#store.listInstances(campaignId);
    return all.map((record) => ({
      instanceId: record.id,
      campaignId,
      unitId: record.unitId,
      unitPath: record.unitPath,
      phase: record.phase,
      ...stateOf(plan, record),
      ended: record.ended,
      revision: record.revision,
      overdue: record.overdue,
      escalated: record.escalated,
    }));
  }

  /** The append-only history of an instance, oldest first. */
  async history(instanceId: string): Promise<HistoryEntry[]> {
    await storedInstance(this.#store, instanceId);
    return (await this.#store.history(instanceId)).map((h) => ({
      revision: h.revision,
      type: h.type,
      event: JSON.parse(h.event) as unknown,
      actor: h.actor,
      cause: h.cause,
      at: h.at,
      state: JSON.parse(h.state) as unknown,
      idempotencyKey: h.idempotencyKey,
    }));
  }
}

/** Each inspection loop of the unit itself by inspection id, `clear` until its first finding. */
/** The state value and inspection loops of a stored record. */
function stateOf(
  plan: CampaignPlan,
  record: InstanceRecord,
): Pick<InstanceState, 'value' | 'inspections' | 'started' | 'cohort' | 'startsAt' | 'closesAt' | 'closed' | 'light' | 'lights' | 'itemLights' | 'grades'> & { inspections: Record<string, InspectionRecord['s']> } {
  const { value, context } = persisted(record);
  const light = unitLight(plan, context);
  const lights = taskLightCounts(plan, context);
  const itemLights = itemLightCounts(plan, context);
  return {
    value,
    inspections: unitInspections(plan, context),
    started: context.startsAt === undefined,
    ...(context.cohort !== undefined ? { cohort: context.cohort } : {}),
    ...(context.startsAt !== undefined ? { startsAt: context.startsAt } : {}),
    ...(light !== undefined ? { light } : {}),
    ...(lights !== undefined ? { lights } : {}),
    ...(itemLights !== undefined ? { itemLights } : {}),
    ...(context.closesAt !== undefined ? { closesAt: context.closesAt } : {}),
    ...(context.closed !== undefined ? { closed: { at: context.closed.at, reason: context.closed.reason } } : {}),
    ...unitGrades(context),
  };
}

/** 等次 — the unit's own grades, when a grading has graded it (members' are in `subjects`). */
function unitGrades(context: InstanceContext): { grades?: Record<string, string> } {
  if (context.grades === undefined) return {};
  const grades: Record<string, string> = {};
  for (const [id, bySlot] of Object.entries(context.grades)) {
    const grade = bySlot[0];
    if (grade !== undefined && grade !== null) setOwn(grades, id, grade);
  }
  return Object.keys(grades).length > 0 ? { grades } : {};
}

function unitInspections(plan: CampaignPlan, context: InstanceContext): Record<string, InspectionRecord['s']> {
  const loops: Record<string, InspectionRecord['s']> = {};
  // 周期: the loops of the cycles the unit has reached, not the fifty a standing mechanism is laid out over.
  const labels = plan.cycles?.map((c) => c.label) ?? [];
  const reached = context.cycle === undefined ? 0 : labels.indexOf(context.cycle);
  for (const inspection of plan.inspections.values()) {
    const cycle = plan.phaseById.get(inspection.phases[0] ?? '')?.cycle;
    if (cycle !== undefined && labels.indexOf(cycle) > reached) continue;
    if (inspection.subject === 'unit') setOwn(loops, inspection.id, ownValue(context.insp, inspection.id)?.s ?? 'clear');
  }
  return loops;
}
