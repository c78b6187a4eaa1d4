import type { SubProcessDefinition } from '../model/process.js';
import type { StageBody } from '../model/stage.js';
import type { ScoreScale, WorkItem } from '../model/work.js';
import { toPointer, type ParsedFile } from '../source/parsed-file.js';
import { DSL_LIMITS } from '../limits.js';
import { nameList, shorten } from './input-checks.js';
import { COUNT_CEILING, directContents, type UseSite } from './subprocess-graph.js';
import { checkDutyBound, noteWorkDue, readDate, readDue, readDuration, readRecurrence } from './calendar-checks.js';
import type { LocatedSubProcess, PhaseFrame, Place, SemanticContext } from './semantic-context.js';

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

export function walkStage(cx: SemanticContext, body: StageBody, place: Place, phase: PhaseFrame | undefined, stack: readonly string[], register = true): void {
  (body.tasks ?? []).forEach((task, i) => {
    const p = cx.at(place, 'tasks', i);
    cx.ids.task.add(task.id);
    workItem(cx, task, p, register);
    readDue(cx, task.due, cx.at(p, 'due'), phase);
    noteWorkDue(cx, task.id, task.due, p, phase);
  });
  (body.recurring ?? []).forEach((duty, i) => {
    const p = cx.at(place, 'recurring', i);
    cx.ids.task.add(duty.id);
    workItem(cx, duty, p, register);
    readRecurrence(cx, duty.every, cx.at(p, 'every'));
    readDuration(cx, duty.dueWithin, cx.at(p, 'dueWithin'));
    for (const key of ['from', 'until'] as const) {
      const date = readDate(cx, duty[key], cx.at(p, key), key === 'from' ? 'start' : 'end');
      if (date) checkDutyBound(cx, date, cx.at(p, key), phase, key);
    }
  });
  (body.evaluations ?? []).forEach((evaluation, i) => {
    const p = cx.at(place, 'evaluations', i);
    if (register) {
      cx.declareWork(evaluation.id, p);
      cx.evaluations.set(evaluation.id, p);
    }
    cx.ids.task.add(evaluation.id);
    cx.refer('role', evaluation.by, cx.at(p, 'by'));
    checkScale(cx, evaluation.scale, cx.at(p, 'scale'));
    readDue(cx, evaluation.due, cx.at(p, 'due'), phase);
    noteWorkDue(cx, evaluation.id, evaluation.due, p, phase);
    readRecurrence(cx, evaluation.every, cx.at(p, 'every'));
  });
  (body.inspections ?? []).forEach((inspection, i) => {
    const p = cx.at(place, 'inspections', i);
    cx.ids.inspection.add(inspection.id);
    if (register) cx.declareWork(inspection.id, p);
    cx.refer('role', inspection.by, cx.at(p, 'by'));
    readRecurrence(cx, inspection.every, cx.at(p, 'every'));
    readDuration(cx, inspection.rectifyWithin, cx.at(p, 'rectifyWithin'));
    for (const key of ['onFinding', 'onFailed', 'onExhausted'] as const) {
      const outcome = inspection[key];
      if (outcome) cx.outcome(outcome, cx.at(p, key), { kind: 'outcome', of: key });
    }
  });
  (body.uses ?? []).forEach((use, i) => {
    const p = cx.at(place, 'uses', i);
    if (register) cx.declareWork(use.id ?? use.use, p);
    readDue(cx, use.due, cx.at(p, 'due'), phase);
    noteWorkDue(cx, use.id ?? use.use, use.due, p, phase);
    expandSubprocess(cx, use.use, cx.at(p, 'use'), phase, stack);
  });
  (body.workstreams ?? []).forEach((stream, i) => {
    const p = cx.at(place, 'workstreams', i);
    if (register) cx.declareWork(stream.id, p);
    walkStage(cx, stream, p, phase, stack, register);
  });
}

export function workItem(cx: SemanticContext, item: WorkItem, place: Place, register: boolean): void {
  if (register) cx.declareWork(item.id, place);
  cx.refer('role', item.owner, cx.at(place, 'owner'));
  cx.refer('role', item.reportTo, cx.at(place, 'reportTo'));
  readDuration(cx, item.remindBefore, cx.at(place, 'remindBefore'));
  if (item.onOverdue) cx.outcome(item.onOverdue, cx.at(place, 'onOverdue'), { kind: 'outcome', of: 'onOverdue' });
}

export function checkScale(cx: SemanticContext, scale: ScoreScale | undefined, place: Place): void {
  if (scale && !(scale.min < scale.max)) cx.report('DSL_SCORE_SCALE', 'error', place, { min: scale.min, max: scale.max });
}

export function expandSubprocess(cx: SemanticContext, id: string, place: Place, phase: PhaseFrame | undefined, stack: readonly string[]): void {
  const located = cx.library.get(id);
  if (!located) {
    cx.report('DSL_UNKNOWN_SUBPROCESS', 'error', place, { id: shorten(id), known: nameList(cx.library.keys()) || '—' });
    return;
  }
  // Cycles are reported once, by the use graph, at the use that closes them.
  if (!cx.expandUses || cx.graph.isCyclic(id) || stack.includes(id)) return;
  const visit = `${id}\u0000${phase?.id ?? ''}`;
  if (cx.expanded.has(visit)) return;
  cx.expanded.add(visit);
  walkSubprocess(cx, id, located, phase, stack);
}

/** Checks a sub-process on its own: its body, and its uses only as far as they exist and stay within the limits. */
export function checkSubProcess(cx: SemanticContext, parsed: ParsedFile, sub: SubProcessDefinition): void {
  const root: Place = { parsed, pointer: '' };
  cx.identifier(sub.id, cx.at(root, 'id'));
  checkExpansion(cx, parsed, [{ body: sub, pointer: '' }, ...(sub.parts ?? []).map((part, i) => ({ body: part, pointer: toPointer(['parts', i]) }))], sub.id);
  cx.expandUses = false;
  walkSubprocess(cx, sub.id, { parsed, definition: sub }, undefined, []);
}

export function walkSubprocess(cx: SemanticContext, id: string, located: LocatedSubProcess, phase: PhaseFrame | undefined, stack: readonly string[]): void {
  const register = !cx.registeredSubprocesses.has(id);
  cx.registeredSubprocesses.add(id);
  const root: Place = { parsed: located.parsed, pointer: '' };
  const sub = located.definition;
  if (register) {
    cx.declareVocabulary('role', sub.roles, root, 'roles');
    cx.declareVocabulary('flag', sub.flags, root, 'flags');
    cx.declareVocabulary('action', sub.actions, root, 'actions');
  }
  const nextStack = [...stack, id];
  walkStage(cx, sub, root, phase, nextStack, register);
  (sub.parts ?? []).forEach((part, i) => {
    const p = cx.at(root, 'parts', i);
    if (register) cx.declareWork(part.id, p);
    walkStage(cx, part, p, phase, nextStack, register);
  });
}
