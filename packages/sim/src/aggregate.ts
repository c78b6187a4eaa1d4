import type { LightMonth } from './light-board.js';
import type { DeadlineOutcome, SimulationResult } from './simulation-result.js';
import type { ExtensionCounts } from './extension-flow.js';
import type { DeadlineSpread, ExtensionCountsSpread, ExtensionsSpread, MonteCarloResult, MonthSpread, RankingSpread, Spread } from './monte-carlo-result.js';
import { round4, sortKeys } from './stable-order.js';
import { ownValue, setOwn } from './own-keys.js';
import { spread } from './spread.js';
import { aggregateUnits } from './unit-spread.js';

export { spread };

/*
 * 汇总 — many runs' results of one scenario as one `MonteCarloResult`: every figure a spread over the
 * runs (mean and nearest-rank percentiles), in run order, so the thread count never shows.
 */

/** The runs' results as one `MonteCarloResult` (what `monteCarlo` returns for them). */
export function aggregate(results: readonly SimulationResult[], seed: number, seeds: readonly number[]): MonteCarloResult {
  const first = results[0] as SimulationResult;
  const n = results.length;
  const records = (pick: (r: SimulationResult) => Readonly<Record<string, number>>): Record<string, Spread> => {
    const keys = new Set(results.flatMap((r) => Object.keys(pick(r))));
    return Object.fromEntries([...keys].map((k) => [k, spread(results.map((r) => ownValue(pick(r), k) ?? 0))]));
  };

  const deadlines: Record<string, DeadlineSpread> = {};
  for (const item of new Set(results.flatMap((r) => Object.keys(r.deadlines)))) {
    const present = results.flatMap((r) => ownValue(r.deadlines, item) ?? []);
    const of = (field: 'total' | 'onTime' | 'late' | 'overdue' | 'open') => spread(results.map((r) => ownValue(r.deadlines, item)?.[field] ?? 0));
    const head = present[0];
    setOwn(deadlines, item, {
      title: head?.title ?? item,
      phase: head?.phase ?? '',
      runs: present.length,
      total: of('total'),
      onTime: of('onTime'),
      late: of('late'),
      overdue: of('overdue'),
      open: of('open'),
      onTimeRate: spread(present.map((d) => d.onTimeRate)),
      ...daysLateOf(present, results.map((r) => ownValue(r.deadlines, item)?.daysLate ?? 0)),
    });
  }

  const ladders: Record<string, Record<string, Spread>> = {};
  for (const ladder of new Set(results.flatMap((r) => Object.keys(r.ladders)))) setOwn(ladders, ladder, records((r) => ownValue(r.ladders, ladder) ?? {}));

  const rankings: Record<string, RankingSpread> = {};
  for (const id of new Set(results.flatMap((r) => Object.keys(r.rankings)))) {
    const present = results.flatMap((r) => ownValue(r.rankings, id) ?? []);
    const share = (band: 'top' | 'bottom') => {
      const counts = new Map<string, number>();
      for (const r of present) for (const s of r[band]) counts.set(s, (counts.get(s) ?? 0) + 1);
      return Object.fromEntries([...counts].map(([s, c]) => [s, round4(c / n)]));
    };
    const placed = new Map<string, { ranks: number[]; deciles: number[] }>();
    for (const r of present) {
      for (const s of r.standings) {
        const p = placed.get(s.subject) ?? { ranks: [], deciles: new Array<number>(10).fill(0) };
        p.ranks.push(s.rank);
        const tenth = Math.min(9, Math.max(0, Math.floor(((s.rank - 1) * 10) / Math.max(1, r.ranked))));
        p.deciles[tenth] = (p.deciles[tenth] ?? 0) + 1;
        placed.set(s.subject, p);
      }
    }
    setOwn(rankings, id, {
      subject: present[0]?.subject ?? 'unit',
      ranked: spread(results.map((r) => ownValue(r.rankings, id)?.ranked ?? 0)),
      bottom: share('bottom'),
      top: share('top'),
      ranks: Object.fromEntries([...placed].map(([s, p]) => [s, { ...spread(p.ranks), deciles: p.deciles.map((c) => round4(c / n)) }])),
    });
  }

  let grades: Record<string, Record<string, Spread>> | undefined;
  if (first.grades !== undefined) {
    grades = {};
    for (const id of Object.keys(first.grades)) setOwn(grades, id, records((r) => ownValue(r.grades, id) ?? {}));
  }

  const monthly: MonthSpread[] = first.monthly.map((m, i) => {
    const at = (pick: (s: SimulationResult['monthly'][number]) => Readonly<Record<string, number>>) =>
      records((r) => {
        const sample = r.monthly[i];
        return sample ? pick(sample) : {};
      });
    const spreads = {
      month: m.month,
      at: m.at,
      phases: at((s) => s.phases),
      ladderClimbs: at((s) => s.ladderClimbs),
      effects: at((s) => s.effects),
      ...(m.flags ? { flags: at((s) => s.flags ?? {}) } : {}),
    };
    return m.items ? { ...spreads, items: at((s) => ({ ...(s.items ?? {}) })) } : spreads;
  });

  const lights = first.lights && {
    months: first.lights.months.map((m, i) => {
      const at = (pick: (s: LightMonth) => Readonly<Record<string, number>>) =>
        records((r) => {
          const sample = r.lights?.months[i];
          return sample ? pick(sample) : {};
        });
      const counts = { month: m.month, at: m.at, units: at((s) => ({ ...s.units })), tasks: at((s) => ({ ...s.tasks })) };
      return m.items ? { ...counts, items: at((s) => ({ ...(s.items ?? {}) })) } : counts;
    }),
    board: first.lights.board,
  };

  // 申请延期: each count over the runs, a refusal code missing from a run counting 0 there.
  const extensionCounts = (pick: (r: SimulationResult) => ExtensionCounts | undefined): ExtensionCountsSpread => ({
    requested: spread(results.map((r) => pick(r)?.requested ?? 0)),
    granted: spread(results.map((r) => pick(r)?.granted ?? 0)),
    refused: spread(results.map((r) => pick(r)?.refused ?? 0)),
    rejected: records((r) => pick(r)?.rejected ?? {}),
  });
  const extensions: ExtensionsSpread | undefined = first.extensions && {
    ...extensionCounts((r) => r.extensions),
    months: first.extensions.months.map((m, i) => ({ month: m.month, ...extensionCounts((r) => r.extensions?.months[i]) })),
  };

  const units = aggregateUnits(results);
  const result: MonteCarloResult = {
    scenario: first.scenario,
    processId: first.processId,
    seed,
    runs: n,
    seeds,
    period: first.period,
    ...(first.continuedFrom ? { continuedFrom: first.continuedFrom } : {}),
    organisation: first.organisation,
    events: { sent: records((r) => r.events.sent), rejected: records((r) => r.events.rejected) },
    deadlines,
    ...(units ? { units } : {}),
    overdueByPhase: records((r) => r.overdueByPhase),
    ladders,
    flags: records((r) => r.flags),
    effects: records((r) => r.effects),
    commended: spread(results.map((r) => r.commended.length)),
    questioned: spread(results.map((r) => r.questioned.length)),
    rankings,
    ...(grades !== undefined ? { grades } : {}),
    timeline: first.timeline,
    monthly,
    ...(lights ? { lights } : {}),
    ...(first.items !== undefined ? { items: records((r) => ({ ...(r.items ?? {}) })) } : {}),
    ...(extensions ? { extensions } : {}),
  };
  return sortKeys(result) as MonteCarloResult;
}

/**
 * A deadline's days late over the runs, from results that record them: per run, and pooled — per
 * late completion and per task, each the sum over all runs over the count over all runs.
 */
function daysLateOf(present: readonly DeadlineOutcome[], perRun: readonly number[]): Pick<DeadlineSpread, 'daysLate' | 'daysLatePerLate' | 'daysLatePerTask'> {
  if (!present.some((d) => d.daysLate !== undefined)) return {};
  const sum = (pick: (d: DeadlineOutcome) => number) => present.reduce((a, d) => a + pick(d), 0);
  const days = sum((d) => d.daysLate ?? 0);
  const late = sum((d) => d.late);
  const total = sum((d) => d.total);
  return { daysLate: spread(perRun), daysLatePerLate: late > 0 ? round4(days / late) : 0, daysLatePerTask: total > 0 ? round4(days / total) : 0 };
}
