import type { ScenarioComparison } from '../compare/compare-scenarios.js';
import { formatDifference, hiddenNote, metricLabel, shownMetrics } from '../compare/metric-label.js';
import { escapeHtml } from './escape-html.js';

/** Styles of the comparison table: significant differences are bold on a tinted cell. */
export const COMPARISON_CSS = `td.sig{font-weight:600;background:#fff3cd}`;

/**
 * 情景对比 — the comparison view of the report: one row per metric, each scenario's mean and, for
 * every scenario after the first, its paired difference to the first with the 95% interval;
 * significant differences (interval excludes 0) are marked `*` and tinted.
 */
export function comparisonSection(c: ScenarioComparison, lang: 'zh' | 'en'): string {
  const zh = lang === 'zh';
  const t = (zhText: string, en: string) => (zh ? zhText : en);
  const [baseline = '', ...others] = c.scenarios;
  const head = [t('指标', 'metric'), ...c.scenarios.map((s, i) => `${s}${i === 0 ? t('（基准）', ' (baseline)') : ''}`), ...others.map((s) => `${s} − ${baseline} [95%]`)];
  const { shown, hidden } = shownMetrics(c);
  const rows = shown.map((m) => {
    const means = m.means.map((x) => `<td class="num">${x}</td>`).join('');
    const diffs = m.differences
      .slice(1)
      .map((d) => (d === null ? '<td>-</td>' : `<td class="num${d.significant ? ' sig' : ''}">${escapeHtml(formatDifference(d, lang))}</td>`))
      .join('');
    return `<tr><td>${escapeHtml(metricLabel(m.key, lang))}</td>${means}${diffs}</tr>`;
  });
  const note = t(
    `各情景使用相同的 ${c.runs} 个种子（共同随机数），第 i 次运行在各情景中种子相同。差值为逐次配对差的平均值，方括号内为 95% 配对 t 区间；* 表示区间不含 0（显著）。${c.runs < 2 ? '运行少于 2 次，无法给出区间。' : ''}`,
    `Every scenario ran with the same ${c.runs} seed(s) (common random numbers): run i used the same seed in each. A difference is the mean of the run-by-run differences, with its 95% paired t interval in brackets; * marks an interval that excludes 0 (significant).${c.runs < 2 ? ' With fewer than 2 runs there is no interval.' : ''}`,
  );
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.length === 0 ? `<tr><td colspan="${head.length}">-</td></tr>` : rows.join('\n');
  return `<section id="comparison"><h2>${t('情景对比', 'Scenario comparison')}</h2><p class="note">${escapeHtml(note)}</p><table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>${hidden > 0 ? `<p class="note">${escapeHtml(hiddenNote(hidden, lang))}</p>` : ''}</section>`;
}
