import { describe, expect, it } from 'vitest';
import { validateProcessText } from '../src/validate/validate-processes.js';
import { positionOf } from './fixtures.js';

/*
 * 按月亮牌 (D6: "每月根据1月1日至上月末累计完成投资情况亮牌"): an item kind's `every` says its cards are
 * given every month whether or not the unit reported. Only the month of the campaign year is a
 * cycle the cards keep (`每月`, `monthly`); an item opened by a finding has no target, so a kind
 * opened by findings is never carded.
 */
function campaign(kind: string): string {
  return `# yaml-language-server: $schema=process.schema.json
kind: campaign
id: 亮牌督办
title: 亮牌督办
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 投资办, title: 投资办, level: office }
  - { id: 片区, title: 各片区 }
items:
${kind}
phases:
  - id: 亮牌
    title: 亮牌
    window: 1月1日至12月31日
    inspections:
      - { id: 专项督查, title: 专项督查, by: 投资办, rectifyWithin: 10个工作日 }
`;
}

describe('an item kind carded every month (every)', () => {
  it('when it says 每月 or monthly, then the file validates with no diagnostic', () => {
    for (const every of ['每月', 'monthly']) {
      const result = validateProcessText(campaign(`  - { id: 片区投资任务, title: 片区投资任务, by: 投资办, redAfterMisses: 2, every: ${every} }`), { file: 'd6.yaml' });
      expect(result.diagnostics).toEqual([]);
    }
  });

  it('when it says 每季度, 每月5日前 or 每月底, then DSL_ITEM_EVERY_NOT_MONTHLY at the value, in both languages', () => {
    for (const every of ['每季度', '每月5日前', '每月底']) {
      const text = campaign(`  - { id: 片区投资任务, title: 片区投资任务, by: 投资办, every: ${every} }`);
      const result = validateProcessText(text, { file: 'd6.yaml' });
      expect(result.diagnostics.map((d) => [d.code, d.severity, d.file, d.line, d.column])).toEqual([
        ['DSL_ITEM_EVERY_NOT_MONTHLY', 'error', 'd6.yaml', positionOf(text, every).line, positionOf(text, every).column],
      ]);
      expect(result.diagnostics[0]?.message.en).toContain(`"${every}"`);
      expect(result.diagnostics[0]?.message.zh).toContain('every: 每月');
    }
  });

  it('when its items are opened by the findings of an inspection (from), then DSL_ITEM_EVERY_NO_TARGET at the value', () => {
    const text = campaign('  - { id: 问题, title: 问题, by: 投资办, from: 专项督查, every: 每月 }');
    const result = validateProcessText(text, { file: 'd6.yaml' });
    expect(result.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['DSL_ITEM_EVERY_NO_TARGET', ...Object.values(positionOf(text, '每月 }'))]]);
    expect(result.diagnostics[0]?.message.zh).toContain('专项督查');
  });
});
