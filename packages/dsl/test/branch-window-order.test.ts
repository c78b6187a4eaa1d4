import { describe, expect, it } from 'vitest';
import { validateProcessText } from '../src/validate/validate-processes.js';
import { positionOf } from './fixtures.js';

/*
 * Issue 18, "Validation messages found confusing": DSL_WINDOW_ORDER compares a phase with the phase
 * it follows in the campaign's flow, not with the one written above it. 巩固提高 and 限期整改 are
 * alternatives after 评估 (one or the other, by decision): 限期整改 follows 评估, never 巩固提高.
 */
function campaign(rectifyWindow: string): string {
  return `kind: campaign
id: 评估整改
title: 评估整改
source: { title: 测试 }
year: 2024
end: 2024-12-31
subjects: [unit]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位 }
phases:
  - id: 评估
    title: 评估
    window: 1月至3月
    exit: decision
    decisions:
      - id: 是否达标
        title: 是否达标
        by: 办公室
        options:
          - { id: 达标, next: 巩固提高 }
          - { id: 未达标, next: 限期整改 }
  - id: 巩固提高
    title: 巩固提高
    window: 4月至6月
    next: end
  - id: 限期整改
    title: 限期整改
    window: ${rectifyWindow}
    next: end
`;
}

const validate = (text: string) => validateProcessText(text, { file: 'campaign.yaml' });
const errors = (text: string) => validate(text).diagnostics.filter((d) => d.severity === 'error');

describe('phases that are alternatives after a decision', () => {
  it('may have overlapping windows: the branch 限期整改 (4月至8月) follows 评估, not 巩固提高 written above it', () => {
    expect(errors(campaign('4月至8月'))).toEqual([]);
  });

  it('a branch that starts before the phase it follows ends is reported naming that phase (评估), not the alternative above it', () => {
    const text = campaign('3月至5月');
    const found = errors(text);
    expect(found.map((d) => d.code)).toEqual(['DSL_WINDOW_ORDER']);
    const d = found[0];
    expect({ line: d?.line, column: d?.column }).toEqual(positionOf(text, '3月至5月'));
    expect(d?.message.en).toBe('Phase "限期整改" starts (2024-03-01) before the previous phase "评估" ends (2024-03-31)');
    expect(d?.message.zh).toBe('阶段「限期整改」的开始日期（2024-03-01）早于上一阶段「评估」的结束日期（2024-03-31）');
  });
});

describe('phases in a line', () => {
  it('still compare with the phase before them', () => {
    const text = campaign('5月至8月').replace('    next: end\n  - id: 限期整改', '  - id: 限期整改').replace('          - { id: 未达标, next: 限期整改 }\n', '');
    const found = errors(text);
    expect(found.map((d) => d.code)).toEqual(['DSL_WINDOW_ORDER']);
    expect(found[0]?.message.en).toBe('Phase "限期整改" starts (2024-05-01) before the previous phase "巩固提高" ends (2024-06-30)');
  });
});
