import { describe, expect, it } from 'vitest';
import { validateProcessText } from '../src/index.js';

/*
 * 周期被结束日期截断: a cycled campaign repeats its whole flow while a cycle starts before `end`, and
 * a cycle runs whole. When `end` falls inside the last cycle's phases, the file would run past the
 * end it states, so the validator refuses it (DSL_CYCLE_CUT_BY_END) at the `end` key, naming the day
 * the last cycle's phases run to and the day the cycle before ends. Dates counted by hand from the
 * windows (1月, 2月至6月, 11月至12月, shifted a year per cycle).
 */
const YEARLY = `kind: campaign
id: 年度循环
title: 年度循环
source: { title: 测试 }
year: 2024
end: 2026-12-31
cycle: 每年
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 部署
    title: 年度部署
    window: 1月
  - id: 自查
    title: 自查自纠
    window: 2月至6月
  - id: 考核
    title: 年度考核
    window: 11月至12月
`;

function cut(text: string) {
  const result = validateProcessText(text, { file: 'cycle.yaml' });
  return result.diagnostics.filter((d) => d.code === 'DSL_CYCLE_CUT_BY_END');
}

describe('given a yearly cycle (1月, 2月至6月, 11月至12月) from 2024 (周期被结束日期截断)', () => {
  it('when the campaign ends on 2026-12-31, a cycle’s end, then nothing is said', () => {
    expect(cut(YEARLY)).toEqual([]);
  });

  it('when it ends on 2026-06-30, then the 2026 cycle (it starts before the end) would run its 考核 to 2026-12-31: refused at end:, line 6 column 6, in both languages', () => {
    const [d, ...more] = cut(YEARLY.replace('end: 2026-12-31', 'end: 2026-06-30'));
    expect(more).toEqual([]);
    expect(d).toMatchObject({ severity: 'error', file: 'cycle.yaml', line: 6, column: 6 });
    expect(d?.params).toEqual({ cycle: '2026', phase: '考核', runsTo: '2026-12-31', end: '2026-06-30', previous: '2025-12-31' });
    expect(d?.message.en).toContain('2026-12-31');
    expect(d?.message.en).toContain('2025-12-31');
    expect(d?.message.zh).toContain('周期');
    expect(d?.message.zh).toContain('2026-06-30');
  });

  it('when it ends on 2026-01-15, then even the 2026 cycle’s 部署 (to 2026-01-31) is cut, and the last phase named is the latest, 考核', () => {
    expect(cut(YEARLY.replace('end: 2026-12-31', 'end: 2026-01-15')).map((d) => d.params)).toEqual([
      { cycle: '2026', phase: '考核', runsTo: '2026-12-31', end: '2026-01-15', previous: '2025-12-31' },
    ]);
  });

  it('when it ends on 2025-12-31 with no 2026 cycle, then nothing is said', () => {
    expect(cut(YEARLY.replace('end: 2026-12-31', 'end: 2025-12-31'))).toEqual([]);
  });

  it('when the cycle is half-yearly (1月至2月, 3月至6月) and ends on 2025-03-31, then the cycle of 2025-01 runs to 2025-06-30, the cycle before ends 2024-12-31 (a month’s last day stays the last)', () => {
    const half = YEARLY.replace('cycle: 每年', 'cycle: 每半年')
      .replace('end: 2026-12-31', 'end: 2025-03-31')
      .replace('window: 1月\n', 'window: 1月至2月\n')
      .replace('window: 2月至6月', 'window: 3月至6月')
      .replace(/ {2}- id: 考核\n.*\n.*\n/, '');
    expect(cut(half).map((d) => d.params)).toEqual([{ cycle: '2025-01', phase: '自查', runsTo: '2025-06-30', end: '2025-03-31', previous: '2024-12-31' }]);
  });

  it('when the campaign is a standing mechanism (no end written), then nothing is said', () => {
    expect(cut(YEARLY.replace('end: 2026-12-31', 'standing: true'))).toEqual([]);
  });
});
