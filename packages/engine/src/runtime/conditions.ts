import { conditionNames, evaluateCondition, truthy, type ConditionScope } from '@luoshi/dsl';
import type { CampaignPlan, ConditionPlan } from '../compiler/campaign-plan.js';
import { memberLight, unitLight } from './lights.js';
import type { MachineEvent } from './campaign-event.js';
import type { InstanceContext } from './instance-context.js';
import { setOwn } from './own-keys.js';
import { memberIdOf, subjectSlot } from './record-keys.js';
import { meanScores } from './score-sums.js';
import type { EventFacts, StepRecords } from './step-records.js';
import { tasksOf } from './task-table.js';

/*
 * 条件 — what a rule's condition (`when: "scores.自评 < 60"`) sees about a subject of an instance:
 * its flags, mean scores, ladder counts, grades and overdue tasks, who it is, the event and a rank. Members
 * are named by reference (see `record-keys.ts`).
 */

/** Whether a condition holds for a subject at this step (no condition always holds). */
export function conditionHolds(
  records: StepRecords,
  condition: ConditionPlan | undefined,
  member: string | undefined,
  rank?: number,
  extra: EventFacts = {},
): boolean {
  if (!condition) return true;
  return truthy(evaluateCondition(condition.node, subjectScope(records.context, member, records.event, rank, extra, records.plan)));
}

const NO_FLAGS: ConditionScope = Object.freeze({});
const flagScopes = new WeakMap<readonly string[], ConditionScope>();

/** A subject's flags as condition facts, made once per flag list (lists are replaced, never changed; a ranking asks for every member). */
function flagScope(list: readonly string[] | null | undefined): ConditionScope {
  if (!list || list.length === 0) return NO_FLAGS;
  let scope = flagScopes.get(list);
  if (scope === undefined) {
    const flags: Record<string, boolean> = {};
    for (const f of list) setOwn(flags, f, true);
    scope = Object.freeze(flags);
    flagScopes.set(list, scope);
  }
  return scope;
}

/** The event fields that name a work item (task, evaluation, inspection) by its plan name. */
const WORK_FIELDS = ['task', 'evaluation', 'inspection'] as const;

/** The facts a condition sees about a subject of an instance (a member by reference, see `record-keys.ts`). */
export function subjectScope(
  context: InstanceContext,
  member: string | undefined,
  event?: MachineEvent,
  rank?: number,
  extra: EventFacts = {},
  plan?: CampaignPlan,
): ConditionScope {
  const slot = subjectSlot(member);
  // Each part is made when a condition reads it: a condition names one or two of them.
  const scope: Record<string, ConditionScope[string]> = {
    get flags(): ConditionScope {
      return flagsFact(context, slot);
    },
    get scores(): ConditionScope {
      return meanScores(context.scores, member, context.deducted, context.cycle);
    },
    get ladders(): ConditionScope {
      return laddersFact(context, slot);
    },
    get grades(): ConditionScope {
      return gradesFact(context, slot);
    },
    get overdue(): number {
      return overdueFact(context, member, slot);
    },
    get subject(): ConditionScope {
      return subjectFact(context, member, plan);
    },
    get event(): ConditionScope {
      const eventScope: Record<string, string | number | boolean> = { ...extra };
      if (event) {
        for (const [k, v] of Object.entries(event)) if (k !== 'fields' && k !== 'places' && (typeof v !== 'object' || v === null)) eventScope[k] = v as string;
        // Field by field as own keys: Object.assign would take a field "__proto__" as the scope's prototype.
        if ('fields' in event && event.fields) for (const [k, v] of Object.entries(event.fields)) setOwn(eventScope, k, v);
      }
      // 周期: a later cycle's work is named `id.label` (自查.2025); a condition compares the id as
      // the file writes it (`event.task == '自查'`), in every cycle. No id of a file contains ".".
      for (const k of WORK_FIELDS) {
        const v = Object.hasOwn(eventScope, k) ? eventScope[k] : undefined;
        if (typeof v === 'string' && v.includes('.')) eventScope[k] = v.slice(0, v.indexOf('.'));
      }
      return eventScope;
    },
  };
  if (rank !== undefined) scope.rank = rank;
  return scope;
}

/** The top-level names a condition reads, once per condition. */
const namesOfCondition = new WeakMap<ConditionPlan, ReadonlySet<string>>();

function namesRead(condition: ConditionPlan): ReadonlySet<string> {
  let names = namesOfCondition.get(condition);
  if (names === undefined) {
    names = new Set(conditionNames(condition.node).map((path) => path[0] as string));
    namesOfCondition.set(condition, names);
  }
  return names;
}

/**
 * Whether a subject meets a condition that reads no event (a ranking's eligibility): its facts made
 * at once, only those the condition names, as plain data. A ranking asks for every member of every
 * unit, and a scope of getters made six closures for each.
 */
export function subjectMeets(condition: ConditionPlan, context: InstanceContext, member: string | undefined, plan?: CampaignPlan): boolean {
  const slot = subjectSlot(member);
  const facts: Record<string, ConditionScope[string]> = {};
  for (const name of namesRead(condition)) {
    if (name === 'flags') facts.flags = flagsFact(context, slot);
    else if (name === 'scores') facts.scores = meanScores(context.scores, member, context.deducted, context.cycle);
    else if (name === 'ladders') facts.ladders = laddersFact(context, slot);
    else if (name === 'grades') facts.grades = gradesFact(context, slot);
    else if (name === 'overdue') facts.overdue = overdueFact(context, member, slot);
    else if (name === 'subject') facts.subject = subjectFact(context, member, plan);
    else if (name === 'event') facts.event = {};
  }
  return truthy(evaluateCondition(condition.node, facts));
}

function flagsFact(context: InstanceContext, slot: number): ConditionScope {
  return flagScope(context.flags[slot]);
}

function laddersFact(context: InstanceContext, slot: number): ConditionScope {
  const ladders: Record<string, number> = {};
  for (const [id, counters] of Object.entries(context.ladders)) setOwn(ladders, id, counters[slot]?.n ?? 0);
  return ladders;
}

/** 等次 — the subject's grade in each grading that has graded it (one not graded yet reads as absent, equal to no grade). */
function gradesFact(context: InstanceContext, slot: number): ConditionScope {
  const grades: Record<string, string> = {};
  for (const [id, bySlot] of Object.entries(context.grades ?? {})) {
    const grade = bySlot[slot];
    if (grade !== undefined && grade !== null) setOwn(grades, id, grade);
  }
  return grades;
}

/** The unit's facts count every subject's overdue tasks; a member's, its own. */
function overdueFact(context: InstanceContext, member: string | undefined, slot: number): number {
  let overdue = 0;
  for (const t of tasksOf(context.tasks, member === undefined ? undefined : slot)) if (t.s === 'overdue') overdue++;
  return overdue;
}

/**
 * Who the subject is, its unit's cohort (批次, '' without one), whether the unit has started (false
 * while 未启动) and its light (灯色: a unit's as `unitLight`, a member's its own tasks'; '' without lights).
 */
function subjectFact(context: InstanceContext, member: string | undefined, plan: CampaignPlan | undefined): ConditionScope {
  const fact = {
    kind: member === undefined ? 'unit' : 'member',
    id: memberIdOf(context.members, member) ?? context.unit,
    cohort: context.cohort ?? '',
    started: context.startsAt === undefined,
  };
  // Made when read: a unit's light walks its tasks and items.
  return Object.defineProperty(fact, 'light', {
    enumerable: true,
    get: (): string => (plan === undefined ? '' : member === undefined ? (unitLight(plan, context) ?? '') : memberLight(plan, context, subjectSlot(member))),
  });
}
