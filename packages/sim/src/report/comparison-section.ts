import type { MetricComparison, ScenarioComparison } from '../compare/compare-scenarios.js';
import { formatDifference, hiddenNote, metricLabel, shownMetrics } from '../compare/metric-label.js';
import { differenceChart, groupedBarChart, groupsPerChart, type DifferenceRow } from './charts.js';
import { escapeHtml } from './escape-html.js';
import { chunks } from './html-parts.js';

/** The most differences one chart holds. */
const DIFFERENCES_PER_CHART = 30;

/** The chart groups of the comparison view, as the summary groups its figures. */
const CHARTS: readonly { readonly id: string; readonly zh: string; readonly en: string; readonly pick: (key: readonly string[]) => string | undefined; readonly scale: 'count' | 'share' }[] = [
  { id: 'on-time', zh: '按时率', en: 'On-time rate', pick: (k) => (k[0] === 'deadlines' && k[2] === 'onTimeRate' ? k[1] : undefined), scale: 'share' },
  { id: 'never-done', zh: '逾期未办任务', en: 'Tasks never done', pick: (k) => (k[0] === 'deadlines' && k[2] === 'overdue' ? k[1] : undefined), scale: 'count' },
  { id: 'overdue', zh: '各阶段逾期任务', en: 'Overdue tasks by phase', pick: (k) => (k[0] === 'overdueByPhase' ? k[1] : undefined), scale: 'count' },
  { id: 'ladders', zh: '到达各级的对象', en: 'Subjects reaching each rung', pick: (k) => (k[0] === 'ladders' ? `${k[1]} ${k[2]}` : undefined), scale: 'count' },
  { id: 'flags', zh: '标记', en: 'Flags', pick: (k) => (k[0] === 'flags' ? k[1] : undefined), scale: 'count' },
  { id: 'effects', zh: '处理', en: 'Effects', pick: (k) => (k[0] === 'effects' ? k[1] : undefined), scale: 'count' },
  { id: 'people', zh: '被表彰、被质询', en: 'Commended and questioned', pick: (k) => (k[0] === 'commended' || k[0] === 'questioned' ? k[0] : undefined), scale: 'count' },
  { id: 'items', zh: '督办事项', en: 'Items', pick: (k) => (k[0] === 'items' ? k[1] : undefined), scale: 'count' },
  { id: 'extensions', zh: '申请延期', en: 'Extension requests', pick: (k) => (k[0] === 'extensions' ? k.slice(1).join(' ') : undefined), scale: 'count' },
  { id: 'grades', zh: '等次', en: 'Grades', pick: (k) => (k[0] === 'grades' ? `${k[1]} ${k[2]}` : undefined), scale: 'count' },
];

/**
 * 情景对比 — the comparison view of the report: each kind of figure drawn with the report's own
 * charts, every scenario's mean side by side; the significant differences to the baseline with
 * their 95% intervals; then the table of every metric (significant differences starred and tinted).
 */
export function comparisonSection(c: ScenarioComparison, lang: 'zh' | 'en'): string {
  const zh = lang === 'zh';
  const t = (zhText: string, en: string) => (zh ? zhText : en);
  const [baseline = '', ...others] = c.scenarios;
  const names = c.scenarios.map((s, i) => `${s}${i === 0 ? t('（基准）', ' (baseline)') : ''}`);
  // Per kind of figure: the scenarios' means side by side, then the significant differences to the
  // baseline with their intervals (a kind at a time, so rates and counts never share an axis).
  const charts = CHARTS.flatMap((chart) => {
    const rows = c.metrics.flatMap((m) => {
      const label = chart.pick(m.key);
      return label === undefined ? [] : [{ label, m }];
    });
    if (rows.length === 0) return [];
    const heading = t(chart.zh, chart.en);
    const parts = chunks(rows, groupsPerChart(c.scenarios.length));
    const means = parts.map((part, i) =>
      groupedBarChart(
        `compare-${chart.id}${parts.length === 1 ? '' : `-${i + 1}`}`,
        `${t('情景对比', 'Compared')}: ${heading}${parts.length === 1 ? '' : ` (${i + 1}/${parts.length})`}`,
        part.map((x) => x.label),
        c.scenarios.map((_, s) => ({ name: names[s] ?? '', values: part.map((x) => x.m.means[s] ?? null) })),
        chart.scale,
      ),
    );
    const differences = others.flatMap((other, o) => {
      const significant: DifferenceRow[] = rows.flatMap(({ label, m }) => {
        const d = m.differences[o + 1];
        return d && d.significant ? [{ label, mean: d.mean, low: d.low, high: d.high, significant: true }] : [];
      });
      const split = significant.length === 0 ? [] : chunks(significant, DIFFERENCES_PER_CHART);
      return split.map((part, i) =>
        differenceChart(
          `difference-${chart.id}-${o + 1}${split.length === 1 ? '' : `-${i + 1}`}`,
          `${t('显著差异', 'Significant differences')}: ${heading}, ${other} − ${baseline} [95%]${split.length === 1 ? '' : ` (${i + 1}/${split.length})`}`,
          part,
          chart.scale,
        ),
      );
    });
    return [...means, ...differences];
  });
  const anySignificant = c.metrics.some((m) => m.differences.some((d) => d?.significant === true));
  const differences = anySignificant ? [] : [`<p class="note">${escapeHtml(t('各情景与基准相比没有显著差异。', 'No scenario differs significantly from the baseline.'))}</p>`];
  const head = [t('指标', 'metric'), ...names, ...others.map((s) => `${s} − ${baseline} [95%]`)];
  const { shown, hidden } = shownMetrics(c);
  const rows = shown.map((m) => {
    const means = m.means.map((x) => `<td class="num" data-v="${x}">${x}</td>`).join('');
    const diffs = m.differences
      .slice(1)
      .map((d) => (d === null ? '<td>-</td>' : `<td class="num${d.significant ? ' sig' : ''}" data-v="${d.mean}">${escapeHtml(formatDifference(d, lang))}</td>`))
      .join('');
    return `<tr><td>${escapeHtml(metricLabel(m.key, lang))}</td>${means}${diffs}</tr>`;
  });
  const note = t(
    `各情景使用相同的 ${c.runs} 个种子（共同随机数），第 i 次运行在各情景中种子相同。差值为逐次配对差的平均值，方括号内为 95% 配对 t 区间；* 表示区间不含 0（显著）。${c.runs < 2 ? '运行少于 2 次，无法给出区间。' : ''}`,
    `Every scenario ran with the same ${c.runs} seed(s) (common random numbers): run i used the same seed in each. A difference is the mean of the run-by-run differences, with its 95% paired t interval in brackets; * marks an interval that excludes 0 (significant).${c.runs < 2 ? ' With fewer than 2 runs there is no interval.' : ''}`,
  );
  const th = head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows.length === 0 ? `<tr><td colspan="${head.length}">-</td></tr>` : rows.join('\n');
  const table = `<input class="filter" type="search" data-table="comparison-table" placeholder="${escapeHtml(t('查找指标', 'Find a metric'))}" aria-label="${escapeHtml(t('查找指标', 'Find a metric'))}"><div class="scroll"><table id="comparison-table" class="sortable"><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
  return `<section id="comparison"><h2>${t('情景对比', 'Scenario comparison')}</h2><p class="note">${escapeHtml(note)}</p>${differences.join('')}${charts.join('')}<h3>${t('全部指标', 'Every metric')}</h3>${table}${hidden > 0 ? `<p class="note">${escapeHtml(hiddenNote(hidden, lang))}</p>` : ''}</section>`;
}
