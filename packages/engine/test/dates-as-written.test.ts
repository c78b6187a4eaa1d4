import { describe, expect, it } from 'vitest';
import { validateProcessText, validateProcessTexts } from '@luoshi/dsl';
import { createInProcessEngine, VirtualClock } from '../src/index.js';
import { planOf, shanghai } from './support/records.js';

/*
 * Dates and recurrences as directives write them (issue 18, "Time"), run by the engine: the
 * instants below are worked out by hand from the text. A deadline "on day D" falls due at the end
 * of D, i.e. 00:00 of the next day in Asia/Shanghai.
 */
const TWO_YEARS = `
kind: campaign
id: 两年行动
title: 两年行动
source: { title: 测试 }
year: 2024
end: 2026-01-31
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 实施
    title: 实施
    window: 2024年2月15日至2025年12月31日
    tasks:
      - { id: 年中总结, title: 年中总结, owner: 单位, due: 2024年6月底前 }
      - { id: 次年总结, title: 次年一季度总结, owner: 单位, due: 次年3月 }
      - { id: 第二年总结, title: 第二年年中总结, owner: 单位, due: 第二年上半年 }
    recurring:
      - { id: 季报, title: 每季度末报送进展, owner: 单位, every: 每季度末 }
      - { id: 月报, title: 每月5日前报送上月情况, owner: 单位, every: 每月5日前 }
      - { id: 半年报, title: 每年1月中旬和7月中旬报送, owner: 单位, every: 每年1月中旬和7月中旬 }
      - { id: 年报, title: 每年12月报送, owner: 单位, every: 每年12月 }
  - id: 总结
    title: 总结
    window: 2026年1月
    tasks:
      - { id: 总结报告, title: 总结报告, owner: 单位, due: 第三年1月20日 }
`;

const days = (list: readonly string[]) => list.map((d) => shanghai(`${d}T00:00:00`));

describe('dates and recurrences as directives write them', () => {
  it('validates a campaign that writes them, with nothing said but the editor hint', () => {
    const said = validateProcessText(TWO_YEARS, { file: 'two-years.yaml' }).diagnostics.filter((d) => d.code !== 'DSL_SCHEMA_COMMENT');
    expect(said).toEqual([]);
  });

  it('when a window and deadlines are written with years (2024年…至2025年…, 2024年6月底前, 次年3月, 第二年上半年), then they fall on those days', () => {
    const plan = planOf(TWO_YEARS);
    expect([plan.phases[0]?.start, plan.phases[0]?.end]).toEqual(days(['2024-02-15', '2026-01-01']));
    expect(plan.items.get('年中总结')?.dueAt).toBe(shanghai('2024-07-01T00:00:00'));
    expect(plan.items.get('次年总结')?.dueAt).toBe(shanghai('2025-04-01T00:00:00'));
    expect(plan.items.get('第二年总结')?.dueAt).toBe(shanghai('2025-07-01T00:00:00'));
    // 2026年1月 is all of January 2026; 第三年1月20日 is 20 January of the campaign's third year, 2026.
    expect([plan.phases[1]?.start, plan.phases[1]?.end]).toEqual(days(['2026-01-01', '2026-02-01']));
    expect(plan.items.get('总结报告')?.dueAt).toBe(shanghai('2026-01-21T00:00:00'));
  });

  it('when a duty is 每季度末, then its occurrences are the calendar quarters, the first from the phase start, each due on the quarter’s last day', () => {
    const rec = planOf(TWO_YEARS).items.get('季报')?.recurrence;
    expect(rec?.starts).toEqual(days(['2024-02-15', '2024-04-01', '2024-07-01', '2024-10-01', '2025-01-01', '2025-04-01', '2025-07-01', '2025-10-01']));
    expect(rec?.dues).toEqual(days(['2024-04-01', '2024-07-01', '2024-10-01', '2025-01-01', '2025-04-01', '2025-07-01', '2025-10-01', '2026-01-01']));
  });

  it('when a duty is 每月5日前, then each month’s report is due on the 5th of the month after, the last one after the phase ends', () => {
    const rec = planOf(TWO_YEARS).items.get('月报')?.recurrence;
    // February 2024 (from the 15th) to December 2025: 11 + 12 months.
    expect(rec?.starts).toHaveLength(23);
    expect(rec?.starts.slice(0, 3)).toEqual(days(['2024-02-15', '2024-03-01', '2024-04-01']));
    expect(rec?.dues.slice(0, 3)).toEqual(days(['2024-03-06', '2024-04-06', '2024-05-06']));
    // December 2025's report is due on 5 January 2026, as written, though the phase ends on 31 December.
    expect(rec?.starts.at(-1)).toBe(shanghai('2025-12-01T00:00:00'));
    expect(rec?.dues.at(-1)).toBe(shanghai('2026-01-06T00:00:00'));
  });

  it('when a duty is 每年1月中旬和7月中旬, then it occurs twice a year, due on the 20th of January and July; a January already past at the start has none', () => {
    const rec = planOf(TWO_YEARS).items.get('半年报')?.recurrence;
    expect(rec?.starts).toEqual(days(['2024-07-01', '2025-01-01', '2025-07-01']));
    expect(rec?.dues).toEqual(days(['2024-07-21', '2025-01-21', '2025-07-21']));
  });

  it('when a duty is 每年12月, then it occurs in each December, due at its end', () => {
    const rec = planOf(TWO_YEARS).items.get('年报')?.recurrence;
    expect(rec?.starts).toEqual(days(['2024-12-01', '2025-12-01']));
    expect(rec?.dues).toEqual(days(['2025-01-01', '2026-01-01']));
  });

  it('when the campaign runs, then each unit’s tasks are opened and fall due at those instants', async () => {
    const validation = validateProcessTexts([{ file: 'two-years.yaml', text: TWO_YEARS }]);
    const clock = new VirtualClock(shanghai('2024-02-15T00:00:00'));
    const driver = createInProcessEngine({ clock });
    await driver.deploy(validation);
    const { instances } = await driver.startCampaign({ process: '两年行动', organisation: { id: '区委', units: [{ id: '甲' }] }, campaignId: 'c' });
    const unit = instances.find((i) => i.unitId === '甲')?.instanceId as string;
    // Nothing is done: every timer is run until the campaign is over.
    for (;;) {
      const next = await driver.nextTimerAt();
      if (next === undefined || next > shanghai('2026-02-01T00:00:00')) break;
      clock.advanceTo(Math.max(next, clock.now()));
      await driver.runDueTimers();
    }
    const tasks = await driver.tasks(unit);
    const dues = (item: string) => tasks.filter((t) => t.item === item).map((t) => t.dueAt);
    expect(dues('季报')).toEqual(days(['2024-04-01', '2024-07-01', '2024-10-01', '2025-01-01', '2025-04-01', '2025-07-01', '2025-10-01', '2026-01-01']));
    expect(dues('半年报')).toEqual(days(['2024-07-21', '2025-01-21', '2025-07-21']));
    expect(dues('月报')).toHaveLength(23);
    expect(dues('次年总结')).toEqual(days(['2025-04-01']));
    // Not done by their deadlines: every report is overdue, December 2025's too, at its due on
    // 5 January 2026, after its phase has ended (work due after its phase stays open until then).
    const monthly = tasks.filter((t) => t.item === '月报');
    expect(monthly.every((t) => t.status === 'overdue')).toBe(true);
    expect(tasks.find((t) => t.item === '次年总结')?.status).toBe('overdue');
  });
});

describe('calendar periods that began before the phase', () => {
  const calendar = planOf(TWO_YEARS).calendar;
  const show = (list: readonly number[] | undefined) => list?.map((ms) => calendar.dateTime(ms).toISODate());

  it('when a phase starts on 3 February, then 每月5日前 has no report on January (it came before the campaign), the first is February’s from the 3rd', () => {
    const periods = calendar.calendarOccurrences('每月5日前', shanghai('2024-02-03T00:00:00'), shanghai('2024-05-01T00:00:00'));
    expect(show(periods?.starts)).toEqual(['2024-02-03', '2024-03-01', '2024-04-01']);
    expect(show(periods?.dues)).toEqual(['2024-03-06', '2024-04-06', '2024-05-06']);
  });

  it('when a phase starts on 10 December, then 每年12月 has that December from the 10th, due on the 31st; one starting in February has no December 2023', () => {
    const december = calendar.calendarOccurrences('每年12月', shanghai('2024-12-10T00:00:00'), shanghai('2026-01-01T00:00:00'));
    expect(show(december?.starts)).toEqual(['2024-12-10', '2025-12-01']);
    expect(show(december?.dues)).toEqual(['2025-01-01', '2026-01-01']);
    const february = calendar.calendarOccurrences('每年12月', shanghai('2024-02-01T00:00:00'), shanghai('2025-01-01T00:00:00'));
    expect(show(february?.starts)).toEqual(['2024-12-01']);
  });

  it('when a recurrence has no deadline rule of its own (每季度), then it is not a calendar form', () => {
    expect(calendar.calendarOccurrences('每季度', shanghai('2024-02-01T00:00:00'), shanghai('2025-01-01T00:00:00'))).toBeUndefined();
  });

  it('when a yearly assessment is due 次年1月10日, then each year’s is due on 10 January of the year after its own', () => {
    const first = calendar.endOfDayFrom('次年1月10日', shanghai('2024-02-15T00:00:00'));
    const second = calendar.endOfDayFrom('次年1月10日', shanghai('2025-02-15T00:00:00'));
    expect(show([first as number, second as number])).toEqual(['2025-01-11', '2026-01-11']);
    // A date in a named later year happens once: no later years of it.
    expect(calendar.laterYears('次年1月10日', shanghai('2025-01-11T00:00:00'), shanghai('2027-01-01T00:00:00'))).toEqual([]);
  });
});
