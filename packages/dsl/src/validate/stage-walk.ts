import type { SubProcessDefinition } from '../model/process.js';
import type { StageBody, SubProcessUse } from '../model/stage.js';
import type { ScoreScale, WorkItem } from '../model/work.js';
import { toPointer, type ParsedFile } from '../source/parsed-file.js';
import { DSL_LIMITS } from '../limits.js';
import { nameList, shorten } from './input-checks.js';
import { COUNT_CEILING, directContents, type UseSite } from './subprocess-graph.js';
import { checkDutyBound, noteWorkDue, readDate, readDue, readDuration, readRecurrence } from './calendar-checks.js';
import type { LocatedSubProcess, PhaseFrame, Place, SemanticContext } from './semantic-context.js';
import { keyIn, scopeOfUse, useName, workIdsOf, type UseScope } from '../uses/use-namespace.js';

// 工作与子流程 — the walk over a stage's work (tasks, recurring duties, evaluations, inspections,
// workstreams) and into the sub-processes it uses, within the depth and size limits.

/**
 * Measures what expanding the uses of a campaign or sub-process would cost, before expanding:
 * past the depth or size limits, the limit is reported at the use that costs most and the used
 * sub-processes are not walked (each is still checked in its own file).
 */
export function checkExpansion(cx: SemanticContext, parsed: ParsedFile, roots: readonly { body: StageBody; pointer: string }[], self?: string): void {
  const { uses, items } = directContents(parsed, roots);
  const measure = cx.graph.measureUses(uses, items);
  const depth = measure.depth + (self === undefined ? 0 : 1);
  if (depth > DSL_LIMITS.subprocessDepth) {
    const deepest = uses.reduce<UseSite | undefined>((a, b) => (a && cx.graph.measure(a.target).depth >= cx.graph.measure(b.target).depth ? a : b), undefined);
    if (deepest) cx.report('DSL_SUBPROCESS_TOO_DEEP', 'error', deepest, { depth, id: shorten(deepest.target), limit: DSL_LIMITS.subprocessDepth });
    cx.expandUses = false;
  }
  if (measure.largest && (measure.uses > DSL_LIMITS.expandedUses || measure.items > DSL_LIMITS.expandedItems)) {
    const shown = (n: number): string => (n >= COUNT_CEILING ? `>${COUNT_CEILING}` : String(n));
    cx.report('DSL_SUBPROCESS_EXPANSION', 'error', measure.largest, {
      uses: shown(measure.uses),
      items: shown(measure.items),
      id: shorten(measure.largest.target),
      maxUses: DSL_LIMITS.expandedUses,
      maxItems: DSL_LIMITS.expandedItems,
    });
    cx.expandUses = false;
  }
}

/**
 * Walks a stage's work in a scope: the work of a sub-process the campaign runs more than once is
 * declared under its use's name (`考评2007/自评`), so two uses never collide and `weights` or
 * `event.task == '…'` can name either.
 */
export function walkStage(cx: SemanticContext, body: StageBody, place: Place, phase: PhaseFrame | undefined, stack: readonly string[], scope: UseScope): void {
  (body.tasks ?? []).forEach((task, i) => {
    const p = cx.at(place, 'tasks', i);
    const key = keyIn(scope, task.id);
    cx.ids.task.add(key);
    workItem(cx, task, p, key);
    readDue(cx, task.due, cx.at(p, 'due'), phase, scope);
    noteWorkDue(cx, key, task.due, p, phase, scope);
    if (task.cascadeWithin !== undefined) {
      readDuration(cx, task.cascadeWithin, cx.at(p, 'cascadeWithin'));
      // The office has no level above it: the key would be ignored there.
      if (cx.officeRoles.get(task.owner) === true) cx.report('DSL_CASCADE_OFFICE_TASK', 'error', cx.at(p, 'cascadeWithin'), { id: task.id, owner: task.owner });
    }
  });
  (body.recurring ?? []).forEach((duty, i) => {
    const p = cx.at(place, 'recurring', i);
    const key = keyIn(scope, duty.id);
    cx.ids.task.add(key);
    workItem(cx, duty, p, key);
    readRecurrence(cx, duty.every, cx.at(p, 'every'));
    readDuration(cx, duty.dueWithin, cx.at(p, 'dueWithin'));
    for (const side of ['from', 'until'] as const) {
      const date = readDate(cx, duty[side], cx.at(p, side), side === 'from' ? 'start' : 'end');
      if (date) checkDutyBound(cx, date, cx.at(p, side), phase, side);
    }
  });
  (body.evaluations ?? []).forEach((evaluation, i) => {
    const p = cx.at(place, 'evaluations', i);
    const key = keyIn(scope, evaluation.id);
    cx.declareWork(evaluation.id, p, key);
    if (!cx.evaluations.has(key)) cx.evaluations.set(key, p);
    cx.ids.task.add(key);
    cx.refer('role', evaluation.by, cx.at(p, 'by'));
    checkScale(cx, evaluation.scale, cx.at(p, 'scale'));
    readDue(cx, evaluation.due, cx.at(p, 'due'), phase, scope);
    noteWorkDue(cx, key, evaluation.due, p, phase, scope);
    readRecurrence(cx, evaluation.every, cx.at(p, 'every'));
  });
  (body.inspections ?? []).forEach((inspection, i) => {
    const p = cx.at(place, 'inspections', i);
    const key = keyIn(scope, inspection.id);
    cx.ids.inspection.add(key);
    cx.declareWork(inspection.id, p, key);
    cx.refer('role', inspection.by, cx.at(p, 'by'));
    readRecurrence(cx, inspection.every, cx.at(p, 'every'));
    readDuration(cx, inspection.rectifyWithin, cx.at(p, 'rectifyWithin'));
    for (const outcomeKey of ['onFinding', 'onFailed', 'onExhausted'] as const) {
      const outcome = inspection[outcomeKey];
      if (outcome) cx.outcome(outcome, cx.at(p, outcomeKey), { kind: 'outcome', of: outcomeKey });
    }
  });
  (body.uses ?? []).forEach((use, i) => {
    const p = cx.at(place, 'uses', i);
    const name = keyIn(scope, useName(use));
    const first = cx.useNames.get(name);
    if (first && use.id === undefined) {
      // Its work would be named as the first use's: said once, here, and not walked again.
      cx.report('DSL_USE_UNNAMED_TWICE', 'error', cx.at(p, 'use'), { id: shorten(use.use), other: cx.where(first) });
      return;
    }
    if (!first) cx.useNames.set(name, cx.at(p, 'use'));
    cx.declareWork(useName(use), p, name);
    readDue(cx, use.due, cx.at(p, 'due'), phase, scope);
    noteWorkDue(cx, name, use.due, p, phase, scope);
    if (!first) expandSubprocess(cx, use, cx.at(p, 'use'), phase, stack, scope);
  });
  (body.workstreams ?? []).forEach((stream, i) => {
    const p = cx.at(place, 'workstreams', i);
    cx.declareWork(stream.id, p, keyIn(scope, stream.id));
    walkStage(cx, stream, p, phase, stack, scope);
  });
}

export function workItem(cx: SemanticContext, item: WorkItem, place: Place, key: string): void {
  cx.declareWork(item.id, place, key);
  cx.refer('role', item.owner, cx.at(place, 'owner'));
  cx.refer('role', item.reportTo, cx.at(place, 'reportTo'));
  readDuration(cx, item.remindBefore, cx.at(place, 'remindBefore'));
  if (item.onOverdue) cx.outcome(item.onOverdue, cx.at(place, 'onOverdue'), { kind: 'outcome', of: 'onOverdue' });
}

export function checkScale(cx: SemanticContext, scale: ScoreScale | undefined, place: Place): void {
  if (scale && !(scale.min < scale.max)) cx.report('DSL_SCORE_SCALE', 'error', place, { min: scale.min, max: scale.max });
}

export function expandSubprocess(cx: SemanticContext, use: SubProcessUse, place: Place, phase: PhaseFrame | undefined, stack: readonly string[], outer: UseScope): void {
  const id = use.use;
  const located = cx.library.get(id);
  if (!located) {
    cx.report('DSL_UNKNOWN_SUBPROCESS', 'error', place, { id: shorten(id), known: nameList(cx.library.keys()) || '—' });
    return;
  }
  // Cycles are reported once, by the use graph, at the use that closes them.
  if (!cx.expandUses || cx.graph.isCyclic(id) || stack.includes(id)) return;
  walkSubprocess(cx, id, located, phase, stack, scopeOfUse(outer, use, located.definition, cx.repeated));
}

/** Checks a sub-process on its own: its body, and its uses only as far as they exist and stay within the limits. */
export function checkSubProcess(cx: SemanticContext, parsed: ParsedFile, sub: SubProcessDefinition): void {
  const root: Place = { parsed, pointer: '' };
  cx.identifier(sub.id, cx.at(root, 'id'));
  checkExpansion(cx, parsed, [{ body: sub, pointer: '' }, ...(sub.parts ?? []).map((part, i) => ({ body: part, pointer: toPointer(['parts', i]) }))], sub.id);
  cx.expandUses = false;
  walkSubprocess(cx, sub.id, { parsed, definition: sub }, undefined, [], { prefix: '', local: workIdsOf(sub) });
}

/**
 * Walks one run of a sub-process. A sub-process the campaign runs more than once is walked once per
 * use, each in its own scope; its roles, flags and actions are the campaign's words, declared once.
 */
export function walkSubprocess(cx: SemanticContext, id: string, located: LocatedSubProcess, phase: PhaseFrame | undefined, stack: readonly string[], scope: UseScope): void {
  const root: Place = { parsed: located.parsed, pointer: '' };
  const sub = located.definition;
  if (!cx.registeredSubprocesses.has(id)) {
    cx.registeredSubprocesses.add(id);
    cx.declareVocabulary('role', sub.roles, root, 'roles');
    cx.declareVocabulary('flag', sub.flags, root, 'flags');
    cx.declareVocabulary('action', sub.actions, root, 'actions');
  }
  const nextStack = [...stack, id];
  walkStage(cx, sub, root, phase, nextStack, scope);
  (sub.parts ?? []).forEach((part, i) => {
    const p = cx.at(root, 'parts', i);
    cx.declareWork(part.id, p, keyIn(scope, part.id));
    walkStage(cx, part, p, phase, nextStack, scope);
  });
}
