import type { SimulationResult, UnitOutcome } from './simulation-result.js';
import type { Spread, UnitEffectSpread, UnitSpread } from './monte-carlo-result.js';
import { spread } from './spread.js';
import { cmp, round4 } from './stable-order.js';
import { ownValue, setOwn } from './own-keys.js';

/*
 * 各单位汇总 — each unit over the runs of one scenario (`MonteCarloResult.units`), from each run's
 * `SimulationResult.units`: its task counts and days late as spreads, and as chances (shares of the
 * runs) whether it left a task undone, missed a deadline, held each flag, received each kind of
 * effect, climbed each ladder rung, ended with each grade; its score in each ranking of units.
 */

/** Every unit over the runs that record units, or undefined when none does (results written before units were). */
export function aggregateUnits(results: readonly SimulationResult[]): Record<string, UnitSpread> | undefined {
  const recorded = results.filter((r) => r.units !== undefined);
  if (recorded.length === 0) return undefined;
  // Each unit's outcome in each run it was in, and its weighted score in each ranking of units.
  const byUnit = new Map<string, UnitOutcome[]>();
  const scores = new Map<string, Map<string, number[]>>();
  for (const r of recorded) {
    for (const [unit, outcome] of Object.entries(r.units ?? {})) {
      const runs = byUnit.get(unit);
      if (runs) runs.push(outcome);
      else byUnit.set(unit, [outcome]);
    }
    for (const [id, ranking] of Object.entries(r.rankings)) {
      if (ranking.subject !== 'unit') continue;
      for (const standing of ranking.standings) {
        let mine = scores.get(standing.subject);
        if (mine === undefined) scores.set(standing.subject, (mine = new Map()));
        const values = mine.get(id);
        if (values) values.push(standing.score);
        else mine.set(id, [standing.score]);
      }
    }
  }
  // The rung levels each ladder has, as the runs' results name them.
  const levels = new Map<string, string[]>();
  for (const r of recorded) for (const [ladder, rungs] of Object.entries(r.ladders)) if (!levels.has(ladder)) levels.set(ladder, Object.keys(rungs));
  const graded = recorded.some((r) => r.grades !== undefined);
  const withItems = recorded.some((r) => Object.values(r.units ?? {}).some((u) => u.items !== undefined));

  const out: Record<string, UnitSpread> = {};
  for (const unit of [...byUnit.keys()].sort(cmp)) {
    const runs = byUnit.get(unit) as UnitOutcome[];
    const n = runs.length;
    const share = (count: number) => round4(count / n);
    const of = (pick: (u: UnitOutcome) => number) => spread(runs.map(pick));
    const unitScores: Record<string, Spread> = {};
    for (const [id, values] of [...(scores.get(unit) ?? [])].sort(([a], [b]) => cmp(a, b))) setOwn(unitScores, id, spread(values));
    setOwn(out, unit, {
      runs: n,
      onTime: of((u) => u.tasks.onTime),
      late: of((u) => u.tasks.late),
      overdue: of((u) => u.tasks.overdue),
      open: of((u) => u.tasks.open),
      overdueChance: share(runs.filter((u) => u.tasks.overdue > 0).length),
      missedChance: share(runs.filter((u) => u.tasks.overdue + u.tasks.late > 0).length),
      daysLate: of((u) => u.daysLate.sum),
      maxDaysLate: of((u) => u.daysLate.max),
      flags: shares(runs.map((u) => Object.keys(u.flags).filter((f) => (ownValue(u.flags, f) ?? 0) > 0)), n),
      effects: effectsOf(runs),
      ladders: laddersOf(runs, levels),
      ...(graded ? { grades: gradesOf(runs) } : {}),
      scores: unitScores,
      ...(withItems ? { items: countsOf(runs.map((u) => u.items ?? {})) } : {}),
    });
  }
  return out;
}

/** Each name → the share of runs whose list holds it (names in no run left out), names in code-unit order. */
function shares(lists: readonly (readonly string[])[], n: number): Record<string, number> {
  const counts = new Map<string, number>();
  for (const list of lists) for (const name of new Set(list)) counts.set(name, (counts.get(name) ?? 0) + 1);
  const out: Record<string, number> = {};
  for (const [name, c] of [...counts].sort(([a], [b]) => cmp(a, b))) setOwn(out, name, round4(c / n));
  return out;
}

/** Per key, a spread over the runs, a key missing from a run counting 0 there. */
function countsOf(records: readonly Readonly<Record<string, number>>[]): Record<string, Spread> {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r)))].sort(cmp);
  const out: Record<string, Spread> = {};
  for (const key of keys) setOwn(out, key, spread(records.map((r) => ownValue(r, key) ?? 0)));
  return out;
}

function effectsOf(runs: readonly UnitOutcome[]): Record<string, UnitEffectSpread> {
  const counts = countsOf(runs.map((u) => u.effects));
  const chances = shares(runs.map((u) => Object.keys(u.effects).filter((k) => (ownValue(u.effects, k) ?? 0) > 0)), runs.length);
  const out: Record<string, UnitEffectSpread> = {};
  for (const [kind, count] of Object.entries(counts)) setOwn(out, kind, { chance: ownValue(chances, kind) ?? 0, count });
  return out;
}

/** Ladder → rung level → share of runs whose highest rung climbed is at least that level. */
function laddersOf(runs: readonly UnitOutcome[], levels: ReadonlyMap<string, readonly string[]>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const climbed = [...new Set(runs.flatMap((u) => Object.keys(u.ladders)))].sort(cmp);
  for (const ladder of climbed) {
    const rungs: Record<string, number> = {};
    for (const level of levels.get(ladder) ?? []) {
      const reached = runs.filter((u) => (ownValue(u.ladders, ladder) ?? 0) >= Number(level)).length;
      if (reached > 0) setOwn(rungs, level, round4(reached / runs.length));
    }
    setOwn(out, ladder, rungs);
  }
  return out;
}

/** Grading → grade → share of runs the unit ended with it; grades never given left out. */
function gradesOf(runs: readonly UnitOutcome[]): Record<string, Record<string, number>> {
  const byGrading = new Map<string, string[][]>();
  for (const [i, u] of runs.entries()) {
    for (const [grading, grade] of Object.entries(u.grades ?? {})) {
      let lists = byGrading.get(grading);
      if (lists === undefined) byGrading.set(grading, (lists = runs.map(() => [])));
      lists[i]?.push(grade);
    }
  }
  const out: Record<string, Record<string, number>> = {};
  for (const [grading, lists] of [...byGrading].sort(([a], [b]) => cmp(a, b))) setOwn(out, grading, shares(lists, runs.length));
  return out;
}
