import { conditionNames, parseCondition, type ConditionProblem } from '../expression/condition.js';
import { DSL_LIMITS } from '../limits.js';
import { nameList, shorten } from './input-checks.js';
import { eventFieldsAt, fieldLiterals, LIGHT_VALUES, rankAt, spotName, SUBJECT_FIELDS, type ConditionSpot, type IdKind } from './condition-names.js';
import type { Place, SemanticContext } from './semantic-context.js';

// 条件 — the checks of conditions: their syntax, and that every name they read is one the engine
// fills at their spot.

const ID_KIND_NAMES: Record<IdKind, { en: string; zh: string }> = {
  task: { en: 'task, duty or evaluation', zh: '任务、定期工作或评价' },
  evaluation: { en: 'evaluation', zh: '评价' },
  inspection: { en: 'inspection', zh: '检查' },
  decision: { en: 'decision', zh: '决定' },
  option: { en: 'decision option', zh: '决定选项' },
  itemKind: { en: 'item kind', zh: '督办事项类别' },
};

export function checkConditionSyntax(cx: SemanticContext): void {
  for (const { text, place } of cx.conditions) {
    const parsed = parseCondition(text);
    if ('problem' in parsed) conditionProblem(cx, text, place, parsed.problem);
  }
}

export function conditionProblem(cx: SemanticContext, text: string, place: Place, problem: ConditionProblem): void {
  if (problem.kind === 'too-long') cx.report('DSL_CONDITION_TOO_LONG', 'error', place, { length: text.length, limit: DSL_LIMITS.conditionLength });
  else if (problem.kind === 'too-deep') cx.report('DSL_CONDITION_TOO_DEEP', 'error', place, { limit: DSL_LIMITS.conditionDepth });
  else if (problem.kind === 'syntax') cx.report('DSL_EXPRESSION_SYNTAX', 'error', place, { text, detail: problem.detail });
  else cx.report('DSL_EXPRESSION_FORBIDDEN', 'error', place, { text, construct: problem.detail });
}

export function checkCondition(cx: SemanticContext, text: string, place: Place, spot: ConditionSpot): void {
  const parsed = parseCondition(text);
  if ('problem' in parsed) {
    conditionProblem(cx, text, place, parsed.problem);
    return;
  }
  const where = spotName(spot);
  for (const path of conditionNames(parsed.node)) {
    if (nameResolves(cx, path, spot)) continue;
    cx.report('DSL_EXPRESSION_UNKNOWN_NAME', 'error', place, {
      name: shorten(path.join('.')),
      known: namesAt(cx, spot, path[0]),
      spotEn: where.en,
      spotZh: where.zh,
    });
  }
  const fields = eventFieldsAt(spot);
  for (const { root, field, value } of fieldLiterals(parsed.node)) {
    if (root === 'grades') {
      // 等次: a grade the grading does not give would never match ('' is a subject not graded yet).
      const known = cx.grades.get(field);
      if (known === undefined || value === '' || known.has(value)) continue;
      cx.report('DSL_EXPRESSION_UNKNOWN_VALUE', 'error', place, {
        field: `grades.${field}`,
        value: shorten(value),
        kindEn: `grade of ${field}`,
        kindZh: `「${field}」的等次`,
        known: nameList(known) || '—',
      });
      continue;
    }
    if (root === 'subject' && field === 'light') {
      // 灯色: a colour the engine never shows would never match.
      if (LIGHT_VALUES.includes(value)) continue;
      cx.report('DSL_EXPRESSION_UNKNOWN_VALUE', 'error', place, { field: 'subject.light', value: shorten(value), kindEn: 'light', kindZh: '灯色', known: LIGHT_VALUES.filter((v) => v !== '').join(', ') });
      continue;
    }
    if (root === 'subject') {
      // 批次: a cohort the campaign does not declare would never match ('' is a unit without one).
      if (field !== 'cohort' || value === '' || cx.cohorts.has(value)) continue;
      cx.report('DSL_EXPRESSION_UNKNOWN_VALUE', 'error', place, {
        field: 'subject.cohort',
        value: shorten(value),
        kindEn: 'cohort',
        kindZh: '批次',
        known: nameList(cx.cohorts.keys()) || '—',
      });
      continue;
    }
    const kind = fields.get(field);
    if (kind === undefined || kind === 'text' || kind === 'number') continue;
    const ids: ReadonlySet<string> | ReadonlyMap<string, Place> = kind === 'evaluation' ? cx.evaluations : cx.ids[kind];
    if (ids.has(value)) continue;
    const names = ID_KIND_NAMES[kind];
    cx.report('DSL_EXPRESSION_UNKNOWN_VALUE', 'error', place, {
      field: `event.${field}`,
      value: shorten(value),
      kindEn: names.en,
      kindZh: names.zh,
      known: nameList(ids.keys()) || '—',
    });
  }
}

/**
 * Whether a name a condition reads is one the engine fills at this spot: a declared flag, ladder
 * or evaluation, an event field of this spot, a subject fact, `rank` in a band, `overdue`.
 */
export function nameResolves(cx: SemanticContext, path: readonly string[], spot: ConditionSpot): boolean {
  const [root, key, ...rest] = path;
  if (root === 'rank' || root === 'overdue') return key === undefined && (root === 'overdue' || rankAt(spot));
  if (key === undefined || rest.length > 0) return false;
  switch (root) {
    case 'flags':
      return cx.vocabulary.flag.has(key);
    case 'scores':
      // A ranking's own score is not a fact of the subject: the engine keeps evaluation means only.
      return cx.evaluations.has(key);
    case 'ladders':
      return cx.ladders.has(key);
    case 'grades':
      return cx.grades.has(key);
    case 'event':
      return eventFieldsAt(spot).has(key);
    case 'subject':
      return SUBJECT_FIELDS.includes(key);
    default:
      return false;
  }
}

/**
 * The names a condition at this spot can read, for the message: those under the same root as the
 * name not found first (a misspelt flag is listed beside the flags), as a list is cut at 20.
 */
export function namesAt(cx: SemanticContext, spot: ConditionSpot, root: string | undefined): string {
  const names = [
    ...[...eventFieldsAt(spot).keys()].map((k) => `event.${k}`),
    ...(rankAt(spot) ? ['rank'] : []),
    'overdue',
    ...SUBJECT_FIELDS.map((k) => `subject.${k}`),
    ...[...cx.vocabulary.flag.keys()].map((k) => `flags.${k}`),
    ...[...cx.evaluations.keys()].map((k) => `scores.${k}`),
    ...[...cx.ladders.keys()].map((k) => `ladders.${k}`),
    ...[...cx.grades.keys()].map((k) => `grades.${k}`),
  ];
  const near = names.filter((n) => n.split('.')[0] === root);
  return nameList([...near, ...names.filter((n) => n.split('.')[0] !== root)]);
}
