import { validateProcessTexts, type ValidationResult } from '@luoshi/dsl';
import type { Engine, HistoryEntry, VirtualClock } from '@luoshi/engine';

/*
 * 三年行动 — the plain form of a campaign over several years (issue 18, "Done when"): `year: 2024`,
 * `end: 2026-12-31`, one phase over the three years, a quarterly duty, a yearly assessment due on
 * 20 December and a ranking at the year's end. Read as written: 4 quarters × 3 years = 12
 * occurrences, one assessment per year = 3, one ranking per year = 3, for every unit. Shared by the
 * live tests (memory, SQLite, PostgreSQL, with a restart) and the simulator's.
 */
export const THREE_YEARS = `
kind: campaign
id: 三年行动
title: 三年行动
source: { title: 测试 }
year: 2024
end: 2026-12-31
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 考核办, title: 考核办公室, level: office }
phases:
  - id: 实施
    title: 实施
    window: 2024-01-01..2026-12-31
    recurring:
      - { id: 季度报告, title: 每季度报送进展, owner: 单位, every: 每季度 }
    evaluations:
      - { id: 年度考核, title: 年度考核, by: 考核办, subject: unit, every: 每年, due: 12月20日 }
rankings:
  - id: 年度排名
    title: 年度排名
    subject: unit
    at: 年底
    weights: { 年度考核: 1 }
`;

/**
 * 长效机制 — a standing mechanism with no end date ("建立作风建设长效机制，每半年报告落实情况，每年考核、
 * 年底排名"), closed by the leading group's decision. Over three years: 6 half-yearly reports, 3
 * assessments and 3 rankings per unit.
 */
export const STANDING = `
kind: campaign
id: 长效机制
title: 作风建设长效机制
source: { title: 测试 }
year: 2024
standing: true
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
  - { id: 领导小组, title: 领导小组, level: office }
phases:
  - id: 常态长效
    title: 常态长效
    exit: decision
    recurring:
      - { id: 半年报告, title: 每半年报送落实情况, owner: 单位, every: 每半年 }
    evaluations:
      - { id: 年度考核, title: 年度考核, by: 领导小组, subject: unit, every: 每年, due: 12月20日 }
    decisions:
      - id: 机制调整
        title: 是否终止本机制
        by: 领导小组
        options:
          - { id: 终止, next: end }
rankings:
  - { id: 年度排名, title: 年度排名, subject: unit, at: 年底, weights: { 年度考核: 1 } }
`;

/** The plain form validated, failing loudly if it does not. */
export function threeYearsDefinitions(text = THREE_YEARS): ValidationResult {
  const validation = validateProcessTexts([{ file: 'three-years.yaml', text }]);
  const errors = validation.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !validation.ok) throw new Error(JSON.stringify(errors));
  return validation;
}

/** The units of the test organisation (the office 区委 above them). */
export const THREE_YEAR_UNITS = ['甲', '乙', '丙'] as const;
export const threeYearOrganisation = { id: '区委', units: THREE_YEAR_UNITS.map((id) => ({ id })) };

/**
 * Moves the campaign to `until`: at every stop, each unit's open work is done at once (reports
 * completed, assessments scored with a score fixed by unit and year, so a run that restarts
 * mid-way sends exactly what an uninterrupted one does), then the next timer fires.
 */
export async function driveThreeYears(engine: Engine, clock: VirtualClock, campaignId: string, until: number): Promise<void> {
  for (;;) {
    for (const [index, unit] of THREE_YEAR_UNITS.entries()) {
      const instance = `${campaignId}/${unit}`;
      for (const task of await engine.tasks(instance, { status: ['open', 'overdue'] })) {
        const year = new Date(task.dueAt ?? clock.now()).getUTCFullYear();
        if (task.kind === 'evaluation') await engine.send(instance, { type: 'score.given', evaluation: task.item, score: 70 + index * 5 + (year - 2024) });
        else await engine.send(instance, { type: 'task.completed', task: task.item });
      }
    }
    const next = await engine.nextTimerAt();
    if (next === undefined || next > until) break;
    clock.advanceTo(Math.max(next, clock.now()));
    await engine.runDueTimers();
  }
  if (until > clock.now()) clock.advanceTo(until);
}

/** Every unit's history, by instance id. */
export async function campaignHistories(engine: Engine, campaignId: string): Promise<Record<string, HistoryEntry[]>> {
  const out: Record<string, HistoryEntry[]> = {};
  for (const i of await engine.instances(campaignId)) out[i.instanceId] = await engine.history(i.instanceId);
  return out;
}
