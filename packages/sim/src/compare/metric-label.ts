import type { MetricComparison, MetricGroup, ScenarioComparison } from './compare-scenarios.js';
import type { PairedDifference } from './paired-interval.js';

type Words = { readonly zh: string; readonly en: string };

/** The groups' names, as the summary's headings call them. */
const GROUP_WORDS: ReadonlyMap<MetricGroup, Words> = new Map<MetricGroup, Words>([
  ['deadlines', { zh: '时限', en: 'deadline' }],
  ['overdueByPhase', { zh: '阶段逾期任务', en: 'overdue tasks in phase' }],
  ['ladders', { zh: '问责阶梯', en: 'ladder' }],
  ['flags', { zh: '标记', en: 'flag' }],
  ['effects', { zh: '处理', en: 'effect' }],
  ['items', { zh: '督办事项', en: 'items' }],
  ['extensions', { zh: '申请延期', en: 'extension requests' }],
  ['commended', { zh: '被表彰', en: 'commended' }],
  ['questioned', { zh: '被质询', en: 'questioned' }],
  ['rankings', { zh: '评比', en: 'ranking' }],
  ['grades', { zh: '等次', en: 'grade' }],
  ['lights', { zh: '月末亮灯', en: 'lights at month end' }],
]);

/** Field names inside a group (deadline counts, ranking figures, light colours, ladder rungs). */
const FIELD_WORDS: ReadonlyMap<string, Words> = new Map<string, Words>([
  ['total', { zh: '任务数', en: 'tasks' }],
  ['onTime', { zh: '按时办结', en: 'done on time' }],
  ['late', { zh: '逾期办结', en: 'done late' }],
  ['overdue', { zh: '逾期未办', en: 'never done' }],
  ['open', { zh: '未结', en: 'open' }],
  ['onTimeRate', { zh: '按时率', en: 'on-time rate' }],
  ['daysLate', { zh: '逾期完成天数', en: 'days late' }],
  ['opened', { zh: '交办', en: 'opened' }],
  ['closed', { zh: '销号', en: 'closed' }],
  ['escalated', { zh: '升级挂牌督办', en: 'escalated' }],
  ['requested', { zh: '已受理', en: 'accepted' }],
  ['granted', { zh: '批准', en: 'granted' }],
  ['refused', { zh: '不批准', en: 'refused by the office' }],
  ['rejected', { zh: '被引擎拒绝', en: 'refused by the engine' }],
  ['ranked', { zh: '参评', en: 'ranked' }],
  ['rank', { zh: '名次', en: 'rank of' }],
  ['bottom', { zh: '末位占比', en: 'share in bottom band' }],
  ['top', { zh: '前列占比', en: 'share in top band' }],
  ['red', { zh: '红灯', en: 'red' }],
  ['yellow', { zh: '黄灯', en: 'yellow' }],
  ['green', { zh: '绿灯', en: 'green' }],
  ['blue', { zh: '蓝灯', en: 'blue' }],
]);

/**
 * A metric's key in words, e.g. `时限 plan 按时办结` / `deadline plan done on time`. Ids from the
 * process stay as written; only the fixed field names are translated (Map lookups: ids are outside input).
 */
export function metricLabel(key: readonly string[], lang: 'zh' | 'en'): string {
  const [group, ...rest] = key;
  const head = GROUP_WORDS.get(group as MetricGroup)?.[lang] ?? group ?? '';
  // Only the position that holds a fixed field (deadline count, ranking figure, light, item count) is
  // translated: an item, phase or unit id that happens to read `total` stays `total`.
  const fixed = group === 'deadlines' || group === 'rankings' || group === 'lights' ? 1 : group === 'items' || group === 'extensions' ? 0 : -1;
  const words = rest.map((part, i) => (i === fixed ? (FIELD_WORDS.get(part)?.[lang] ?? part) : part));
  return [head, ...words].join(' ');
}

/** A paired difference as text: `+1.75 [0.2265, 3.2735] *` (`*` significant); `n/a` for the interval with fewer than 2 pairs. */
export function formatDifference(d: PairedDifference, lang: 'zh' | 'en'): string {
  const signed = (x: number) => (x > 0 ? `+${x}` : String(x));
  const interval = d.low === null || d.high === null ? (lang === 'zh' ? '[无区间]' : '[n/a]') : `[${d.low}, ${d.high}]`;
  return `${signed(d.mean)} ${interval}${d.significant ? ' *' : ''}`;
}

/**
 * The rows a table of the comparison shows: every metric except a ranking's per-subject rows (a
 * subject's rank, bottom or top share) with no significant difference, which would bury the rest
 * under hundreds of rows for a ranking of members. `hidden` counts those left out; the JSON keeps all.
 */
export function shownMetrics(c: ScenarioComparison): { readonly shown: readonly MetricComparison[]; readonly hidden: number } {
  const shown = c.metrics.filter((m) => !(m.key[0] === 'rankings' && m.key.length === 4) || m.differences.some((d) => d?.significant === true));
  return { shown, hidden: c.metrics.length - shown.length };
}

/** The note under a table that left rows out (`shownMetrics`); empty when none was. */
export function hiddenNote(hidden: number, lang: 'zh' | 'en'): string {
  if (hidden === 0) return '';
  return lang === 'zh'
    ? `另有 ${hidden} 行评比对象（名次、末位或前列占比）差异不显著，未列出；JSON 中有全部指标。`
    : `${hidden} per-subject ranking rows (rank, bottom or top share) with no significant difference are left out; the JSON has every metric.`;
}
