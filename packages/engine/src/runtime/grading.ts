import type { GradeBandPlan, GradingPlan } from '../compiler/campaign-plan.js';
import type { InstanceContext } from './instance-context.js';
import { ownValue } from './own-keys.js';
import { memberIdOf, memberRefs, subjectSlot, withKey, withSlot } from './record-keys.js';
import { countAt, deductedAt, sumAt } from './score-sums.js';
import { effectDraft, type StepRecords } from './step-records.js';

/*
 * 等次评定 — grades by score and pass marks (合格线): a subject's weighted evaluation means fall in one
 * band of a grading (优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, 不合格 below), whose outcome (actions, flags) it
 * gets. A grade depends on the subject's own scores only, so every instance grades its own subjects:
 * at a date (a campaign timer like a ranking's tells each instance `grading.due`, ended ones too,
 * not one a decision ended: `gradesHere`), or,
 * for a grading without one, in the step that gives the last missing score, and again whenever a
 * later score moves the band. 一票否决: a veto flag caps the grade. 摘帽: a later spot check
 * (`recheck`) lowers a grade whose score falls in a lower band. A grade that changes takes the old
 * band's flags away and raises a `grade-changed` effect (from → to).
 */

/**
 * Whether an instance has subjects a grading grades: unit-level work for a unit grading, members for
 * a member one; none once a decision ended the unit's campaign (`left`, 退出活动) in an instance
 * started with `leftUngraded`, for a dated grading (one without a date grades only on scores, which
 * a unit that left no longer gets); none once the office closed it (终止, `closed`), in any instance:
 * no instance started before closings existed can hold one, so none changes meaning. Read by both
 * drivers before they send `grading.due`.
 */
export function gradesHere(grading: GradingPlan, context: InstanceContext): boolean {
  if (context.closed !== undefined) return false;
  if (context.leftUngraded === true && context.left !== undefined && grading.dates.length > 0) return false;
  return grading.subject === 'unit' ? context.unitWork : context.members.length > 0;
}

/** 定期评定 — a dated grading's time has come (`grading.due`): every subject of the instance is graded on its scores so far. */
export function gradeAtDate(records: StepRecords, gradingId: string, occurrence: number): void {
  const grading = records.plan.gradings.find((g) => g.id === gradingId);
  if (!grading || !gradesHere(grading, records.context)) return;
  const subjects = grading.subject === 'unit' ? [undefined] : memberRefs(records.context.members);
  // 周期: the weights of this date's cycle; without cycles the one set.
  const weights = grading.weightSets[Math.min(occurrence, grading.weightSets.length - 1)] ?? {};
  for (const member of subjects) {
    const score = weightedScore(weights, records.context, member, false) as number;
    give(records, grading, member, bandIndex(grading, score), false);
  }
}

/**
 * A score was given to a subject (evaluations.ts): a grading without a date grades the subject once
 * every weighted evaluation has a score, and again when a later one moves the band; a grading that
 * re-checks with this evaluation (摘帽) lowers a grade already given when the score falls lower.
 */
export function gradeOnScore(records: StepRecords, evaluation: string, member: string | undefined, score: number): void {
  for (const grading of records.plan.gradings) {
    if ((grading.subject === 'member') !== (member !== undefined)) continue;
    const weights = grading.dates.length === 0 ? grading.weightSets.find((set) => Object.hasOwn(set, evaluation)) : undefined;
    if (weights !== undefined) {
      const weighted = weightedScore(weights, records.context, member, true);
      if (weighted !== undefined) give(records, grading, member, bandIndex(grading, weighted), true);
    }
    if (grading.recheck.includes(evaluation)) {
      const current = gradeOf(records.context, grading.id, member);
      if (current === undefined) continue;
      const now = grading.bands.findIndex((b) => b.grade === current);
      const checked = bandIndex(grading, score);
      // A spot check can take a grade away, never give a better one.
      if (checked > now) give(records, grading, member, checked, true);
    }
  }
}

/** A subject's grade in a grading, undefined while it has none. */
export function gradeOf(context: InstanceContext, gradingId: string, member: string | undefined): string | undefined {
  return ownValue(context.grades, gradingId)?.[subjectSlot(member)] ?? undefined;
}

/**
 * The subject's weighted mean of its evaluation means less points deducted, as a ranking weighs them; with `complete`,
 * undefined until every weighted evaluation has a score (else a missing one counts 0).
 */
export function weightedScore(
  weightSet: Readonly<Record<string, number>>,
  context: InstanceContext,
  member: string | undefined,
  complete: boolean,
): number | undefined {
  const slot = subjectSlot(member);
  let total = 0;
  let weights = 0;
  for (const evaluation in weightSet) {
    const weight = ownValue(weightSet, evaluation) ?? 0;
    const sums = ownValue(context.scores, evaluation);
    const n = countAt(sums, slot);
    if (n === 0 && complete) return undefined;
    weights += weight;
    // Points deducted (扣分) come off the evaluation's mean, as in a ranking.
    total += (n === 0 ? 0 : (weight * sumAt(sums, slot)) / n) - weight * deductedAt(context.deducted, evaluation, slot);
  }
  return total / (weights || 1);
}

/** The band (index, best first) a score falls in: the first whose lower bound it reaches. */
export function bandIndex(grading: GradingPlan, score: number): number {
  const index = grading.bands.findIndex((b) => score >= b.min);
  return index < 0 ? grading.bands.length - 1 : index;
}

/**
 * Gives a subject a grade: capped by a veto flag it carries, recorded, the band's outcome applied.
 * A re-grading (`onlyChange`) that lands on the grade the subject already has does nothing; a grade
 * that changes takes away the flags of the band it leaves (those the new band does not also set)
 * and raises `grade-changed`.
 */
function give(records: StepRecords, grading: GradingPlan, member: string | undefined, scored: number, onlyChange: boolean): void {
  const flags = records.context.flags[subjectSlot(member)] ?? [];
  const vetoed = grading.veto !== undefined && grading.veto.flags.some((f) => flags.includes(f));
  const index = vetoed ? Math.max(scored, grading.veto?.cap ?? scored) : scored;
  const band = grading.bands[index] as GradeBandPlan;
  const before = gradeOf(records.context, grading.id, member);
  if (onlyChange && before === band.grade) return;
  const grades = records.context.grades ?? {};
  records.patch({ grades: withKey(grades, grading.id, withSlot(ownValue(grades, grading.id), member, band.grade)) });
  if (before !== undefined && before !== band.grade) {
    const left = grading.bands.find((b) => b.grade === before);
    if (left) removeFlags(records, member, left.flags.filter((f) => !band.flags.includes(f)));
    const who = memberIdOf(records.context.members, member);
    records.emit(effectDraft('grade-changed', `${grading.title}：${before} → ${band.grade}`, `grade:${grading.id}:${before}→${band.grade}`, undefined, who));
  }
  records.outcome({ actions: band.actions, flags: band.flags }, member, `grade:${grading.id}:${band.grade}`);
}

/** Takes flags off a subject's record (a pass lost takes its 达标 away). */
function removeFlags(records: StepRecords, member: string | undefined, gone: readonly string[]): void {
  if (gone.length === 0) return;
  const { flags } = records.context;
  const current = flags[subjectSlot(member)] ?? [];
  if (!current.some((f) => gone.includes(f))) return;
  const kept = current.filter((f) => !gone.includes(f));
  records.patch({ flags: withSlot(flags, member, kept.length > 0 ? kept : null) });
}
