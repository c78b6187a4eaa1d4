import type { Language } from '@luoshi/dsl';
import { formatDifference, hiddenNote, metricLabel, shownMetrics, type ScenarioComparison } from '@luoshi/sim';
import { textTable } from './text-table.js';

/**
 * 情景对比 as text: what was run, then one table — a row per metric, each scenario's mean, and
 * each later scenario's paired difference to the first with its 95% interval (`*` significant).
 */
export function comparisonText(c: ScenarioComparison, lang: Language): string {
  const zh = lang === 'zh';
  const [baseline = '', ...others] = c.scenarios;
  const out: string[] = [];
  out.push(
    zh
      ? `情景对比：活动 ${c.processId}，${c.scenarios.length} 个情景，各运行 ${c.runs} 次，种子相同（${c.seed}，共同随机数）；基准 ${baseline}`
      : `Scenario comparison: campaign ${c.processId}, ${c.scenarios.length} scenarios, ${c.runs} run(s) each with the same seeds (${c.seed}, common random numbers); baseline ${baseline}`,
  );
  for (const [i, r] of c.results.entries()) {
    const id = c.scenarios[i] ?? '';
    out.push(zh ? `  ${id}：${r.organisation.units} 个单位 ${r.organisation.members} 人` : `  ${id}: ${r.organisation.units} units with ${r.organisation.members} members`);
  }
  out.push(
    c.runs < 2
      ? zh
        ? '数值为平均值；运行少于 2 次，差值无区间'
        : 'Values are means; with fewer than 2 runs a difference has no interval'
      : zh
        ? '数值为平均值；差值为逐次配对差的平均值 [95% 区间]，* 表示显著（区间不含 0）'
        : 'Values are means; a difference is the mean paired difference [95% interval], * where significant (the interval excludes 0)',
  );
  out.push('');
  const head = [zh ? '指标' : 'metric', ...c.scenarios, ...others.map((s) => `${s} − ${baseline}`)];
  const { shown, hidden } = shownMetrics(c);
  const rows = shown.map((m) => [
    metricLabel(m.key, lang),
    ...m.means.map(String),
    ...m.differences.slice(1).map((d) => (d === null ? '-' : formatDifference(d, lang))),
  ]);
  out.push(textTable(head, rows));
  if (hidden > 0) out.push(hiddenNote(hidden, lang));
  return `${out.join('\n')}\n`;
}
