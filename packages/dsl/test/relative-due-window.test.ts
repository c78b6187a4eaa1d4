import { describe, expect, it } from 'vitest';
import { validateProcessText } from '../src/validate/validate-processes.js';

/** An office's 全区动员大会 due 3月8日 and each unit's 本级动员会 counted from it, in a phase of March. */
const campaign = (meeting: string, local: string, window = '3月') => `
kind: campaign
id: 动员
title: 动员
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 动员部署
    title: 动员部署
    window: ${window}
    tasks:
      - { id: 全区动员大会, title: 全区动员大会, owner: 办公室${meeting} }
      - { id: 本级动员会, title: 本级动员会, owner: 单位, due: ${local} }
`;

const codes = (text: string) =>
  validateProcessText(text, { file: 'c.yaml' })
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => d.code);

describe('a due counted from another task must fit its phase when that task is done on its deadline', () => {
  it('when 5 working days after a meeting due 3月8日 ends by 3月31日, then it validates', () => {
    expect(codes(campaign(', due: 3月8日', '全区动员大会后5个工作日内'))).toEqual([]);
  });

  it('when the meeting is due 3月28日, so 5 working days after it end in April, then DSL_RELATIVE_DUE_OUTSIDE_WINDOW at the due, naming both days', () => {
    const text = campaign(', due: 3月28日', '全区动员大会后5个工作日内');
    const result = validateProcessText(text, { file: 'c.yaml' });
    expect(result.ok).toBe(false);
    const found = result.diagnostics.find((d) => d.code === 'DSL_RELATIVE_DUE_OUTSIDE_WINDOW');
    expect(found?.line).toBe(text.split('\n').findIndex((l) => l.includes('全区动员大会后')) + 1);
    // 28 March (a Thursday) plus five working days is 4 April at the earliest.
    expect(found?.message.zh).toContain('2024-03-28');
    expect(found?.message.zh).toContain('2024-04-04');
    expect(found?.message.en).toContain('动员部署');
  });

  it('when the meeting names no day, then its deadline is the phase’s end and a count after it cannot fit', () => {
    expect(codes(campaign('', '全区动员大会后5个工作日内'))).toContain('DSL_RELATIVE_DUE_OUTSIDE_WINDOW');
  });

  it('when the anchor is itself counted from another (a chain), then the chain’s last day is what is checked', () => {
    const text = campaign(', due: 3月8日', '全区动员大会后5个工作日内').replace(
      '      - { id: 本级动员会',
      '      - { id: 方案, title: 方案, owner: 单位, due: 本级动员会后10天内 }\n      - { id: 本级动员会',
    );
    // 8 March + 7 days = 15 March; + 10 days = 25 March: fits. With 20 days: 4 April, does not.
    expect(codes(text)).toEqual([]);
    expect(codes(text.replace('本级动员会后10天内', '本级动员会后20天内'))).toContain('DSL_RELATIVE_DUE_OUTSIDE_WINDOW');
  });
});
