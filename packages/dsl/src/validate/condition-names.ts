import type { ConditionNode } from '../expression/condition.js';
import type { EventKind } from '../model/vocabulary.js';

/**
 * 条件所在位置 — where a condition is written, which decides the names it can see: a trigger's
 * `when` sees its event's fields, an inspection's `onFinding` the finding, a ranking band's `when`
 * the rank, a ranking's `eligible` neither. The engine builds each condition's facts from the
 * event that reached that spot (packages/engine/src/runtime/conditions.ts), so a name offered
 * here is one the engine fills there.
 */
export type ConditionSpot =
  | { readonly kind: 'trigger'; readonly event: EventKind; readonly fields: readonly string[] }
  | { readonly kind: 'outcome'; readonly of: 'onOverdue' | 'onFinding' | 'onFailed' | 'onExhausted' }
  | { readonly kind: 'band' }
  | { readonly kind: 'eligible' };

/** Which declared ids an event field's value must be one of, compared with a literal. */
export type IdKind = 'task' | 'evaluation' | 'inspection' | 'decision' | 'option' | 'itemKind';

/**
 * The event fields the engine fills at a spot (beyond the host's declared `fields`), each with the
 * kind of id its value is, if any. Events raised by a timer carry nothing else: a failed
 * re-inspection may come from a rectification deadline passing, with no re-inspection event, so
 * `reinspection-failed`, `onFailed` and `onExhausted` offer no event field at all rather than one
 * that is missing half of the time.
 */
const ENGINE_FIELDS: Record<EventKind | 'onOverdue' | 'onFinding' | 'onFailed' | 'onExhausted', Readonly<Record<string, IdKind | 'text' | 'number'>>> = {
  'complaint-verified': {},
  // A notice may come from an inspection the campaign does not model (专项督查 by the level above): free text.
  notified: { inspection: 'text' },
  'task-overdue': { task: 'task' },
  // The count of yellows on that task, this one included: "同一任务第二次黄牌" is `event.yellows == 2`.
  'task-yellow': { task: 'task', yellows: 'number' },
  // 督办事项亮牌: counted on the item (第二次黄牌 `event.yellows == 2`, 连续两次黄牌 `event.yellowsInRow == 2`).
  'item-yellow': { item: 'text', kind: 'itemKind', yellows: 'number', yellowsInRow: 'number' },
  'item-red': { item: 'text', kind: 'itemKind', reds: 'number', redsInRow: 'number' },
  'score-given': { evaluation: 'evaluation', score: 'number' },
  'finding-recorded': { inspection: 'inspection' },
  'reinspection-failed': {},
  'decision-taken': { decision: 'decision', option: 'option' },
  onOverdue: { task: 'task' },
  onFinding: { inspection: 'inspection' },
  onFailed: {},
  onExhausted: {},
};

/** Events whose host message may carry declared extra `fields` (a timer's never does). */
const HOST_FIELDS: ReadonlySet<EventKind> = new Set(['complaint-verified', 'notified', 'score-given', 'finding-recorded', 'decision-taken']);

/**
 * Subject facts the engine fills everywhere (`subject.kind` unit or member, `subject.id`, the unit's
 * 批次 `subject.cohort` ('' without one), `subject.started`, false while the unit is 未启动, and
 * `subject.light`, the subject's light — 'green', 'yellow', 'red', 'blue', or '' in a campaign without lights).
 */
export const SUBJECT_FIELDS: readonly string[] = ['kind', 'id', 'cohort', 'started', 'light'];

/** The values `subject.light` takes ('' without lights). */
export const LIGHT_VALUES: readonly string[] = ['green', 'yellow', 'red', 'blue', ''];

/** The event fields a condition at this spot can read, with the kind of their values. */
export function eventFieldsAt(spot: ConditionSpot): ReadonlyMap<string, IdKind | 'text' | 'number'> {
  const out = new Map<string, IdKind | 'text' | 'number'>();
  if (spot.kind === 'trigger') {
    for (const [k, v] of Object.entries(ENGINE_FIELDS[spot.event])) out.set(k, v);
    if (HOST_FIELDS.has(spot.event)) for (const f of spot.fields) if (!out.has(f)) out.set(f, 'text');
  } else if (spot.kind === 'outcome') {
    for (const [k, v] of Object.entries(ENGINE_FIELDS[spot.of])) out.set(k, v);
  }
  return out;
}

/** Whether the host may declare extra fields for this trigger's event. */
export function takesHostFields(event: EventKind): boolean {
  return HOST_FIELDS.has(event);
}

/** Whether `rank` is filled at this spot: only in a ranking band's condition. */
export function rankAt(spot: ConditionSpot): boolean {
  return spot.kind === 'band';
}

/** How a spot is named in messages. */
export function spotName(spot: ConditionSpot): { en: string; zh: string } {
  switch (spot.kind) {
    case 'trigger':
      return { en: `a condition on the event ${spot.event}`, zh: `事件 ${spot.event} 的条件` };
    case 'outcome':
      return { en: `the condition of ${spot.of}`, zh: `${spot.of} 的条件` };
    case 'band':
      return { en: 'a ranking band’s condition', zh: '评比名次段的条件' };
    case 'eligible':
      return { en: 'a ranking’s eligibility', zh: '评比的参评资格' };
  }
}

/**
 * Every comparison of an event field, a subject fact or a grade with a text literal (`event.task == '动员大会'`,
 * `subject.cohort == '第二批'`, `grades.年度考核 == '合格'`), so the literal can be checked against the ids of the field's kind.
 */
export function fieldLiterals(node: ConditionNode): { root: 'event' | 'subject' | 'grades'; field: string; value: string }[] {
  switch (node.type) {
    case 'literal':
    case 'name':
      return [];
    case 'not':
    case 'negate':
      return fieldLiterals(node.operand);
    case 'compare': {
      const found = [...fieldLiterals(node.left), ...fieldLiterals(node.right)];
      const pair = (a: ConditionNode, b: ConditionNode): void => {
        const root = a.type === 'name' && a.path.length === 2 ? a.path[0] : undefined;
        if ((root === 'event' || root === 'subject' || root === 'grades') && a.type === 'name' && b.type === 'literal' && typeof b.value === 'string') {
          found.push({ root, field: a.path[1] as string, value: b.value });
        }
      };
      pair(node.left, node.right);
      pair(node.right, node.left);
      return found;
    }
    default:
      return [...fieldLiterals(node.left), ...fieldLiterals(node.right)];
  }
}
