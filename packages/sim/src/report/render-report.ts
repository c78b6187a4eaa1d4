import type { ScenarioFile } from '../model/scenario.js';
import type { MonteCarloResult, Spread } from '../monte-carlo.js';
import type { ScenarioComparison } from '../compare/compare-scenarios.js';
import { COMPARISON_CSS, comparisonSection } from './comparison-section.js';
import { escapeHtml } from './escape-html.js';
import { svgGantt } from './svg-gantt.js';
import { svgHeatStrips } from './svg-heat-strips.js';
import { svgStackedBars } from './svg-stacked-bars.js';

/** How `renderReport` renders. */
export interface RenderReportOptions {
  /** The scenario that was run: its title goes in the header and its assumptions into a table. */
  readonly scenario?: ScenarioFile;
  /** The language of the headings; default `zh`. */
  readonly lang?: 'zh' | 'en';
  /** Rankings with more subjects than this show the best and the worst half of it; default 80. */
  readonly maxStrips?: number;
  /**
   * 情景对比 — scenarios compared with this one (`compareScenarios`, this result its baseline): a
   * comparison table follows the header; the rest of the report is the baseline's.
   */
  readonly comparison?: ScenarioComparison;
}

const CSS = `body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:960px;color:#222;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}dt{color:#666}dd{margin:0}
svg{display:block;max-width:100%;height:auto;font-family:inherit}.note{color:#666;font-size:.85rem}td.num{text-align:right;font-variant-numeric:tabular-nums}`;

/**
 * The Monte Carlo result as one self-contained HTML page: inline CSS, charts as inline SVG drawn
 * here (no scripts, no external resources, no URLs), every text from the result or the scenario
 * escaped. Sections: header, timeline of phases and deadlines, units per phase by month, ladder
 * climbs by month, deadlines, year-end rank distribution per ranking, and the scenario's assumptions.
 */
export function renderReport(result: MonteCarloResult, options: RenderReportOptions = {}): string {
  const zh = (options.lang ?? 'zh') === 'zh';
  const t = (zhText: string, en: string) => (zh ? zhText : en);
  const { timeline } = result;
  const day = dayFormatter(timeline.zone);
  const ms = (iso: string) => Date.parse(iso);
  const many = result.runs > 1;
  const show = (s: Spread, as: (x: number) => string = String) => (many ? `${as(s.mean)} [${as(s.p5)}, ${as(s.p95)}]` : as(s.mean));
  const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
  const phaseTitle = new Map(timeline.phases.map((p) => [p.id, p.title]));
  const sections: string[] = [];

  // Header.
  const scenarioName = options.scenario?.title === undefined ? result.scenario : `${result.scenario} — ${options.scenario.title}`;
  const endDay = day(ms(result.period.end) - 1);
  sections.push(`<header><h1>${escapeHtml(timeline.campaign)}</h1><dl>
<dt>${t('情景', 'Scenario')}</dt><dd>${escapeHtml(scenarioName)}</dd>
<dt>${t('活动', 'Campaign')}</dt><dd>${escapeHtml(result.processId)}</dd>
<dt>${t('运行次数', 'Runs')}</dt><dd>${result.runs}</dd>
<dt>${t('种子', 'Seed')}</dt><dd>${result.seed}</dd>
<dt>${t('期间', 'Period')}</dt><dd>${escapeHtml(day(ms(result.period.start)))} – ${escapeHtml(endDay)} (${escapeHtml(timeline.zone)})</dd>
<dt>${t('组织', 'Organisation')}</dt><dd>${t(`${result.organisation.units} 个单位，${result.organisation.members} 人`, `${result.organisation.units} units, ${result.organisation.members} members`)}</dd>
</dl>${many ? `<p class="note">${t('数值为平均值 [第5百分位, 第95百分位]', 'Values are mean [p5, p95]')}</p>` : ''}</header>`);

  if (options.comparison) sections.push(comparisonSection(options.comparison, zh ? 'zh' : 'en'));

  // Timeline.
  const ticks = result.monthly.map((m) => ({ at: ms(m.at), label: m.month.slice(5) }));
  sections.push(
    `<section><h2>${t('阶段与时限', 'Phases and deadlines')}</h2>${svgGantt({
      title: t('阶段与时限', 'Phases and deadlines'),
      from: ms(result.period.start),
      to: ms(result.period.end),
      bars: timeline.phases.map((p) => ({ label: p.title, note: `(${day(ms(p.start))} – ${day(ms(p.end) - 1)})`, start: ms(p.start), end: ms(p.end) })),
      milestones: timeline.deadlines.map((d) => ({ label: d.title, note: `${day(ms(d.due) - 1)}${d.occurrences === undefined ? '' : ` ×${d.occurrences}`}`, at: ms(d.due) })),
      ticks,
    })}</section>`,
  );

  // Units per phase by month.
  const phaseIds = [...timeline.phases.map((p) => p.id)];
  for (const m of result.monthly) for (const id of Object.keys(m.phases)) if (!phaseIds.includes(id)) phaseIds.push(id);
  sections.push(
    `<section><h2>${t('每月初各阶段单位数（平均）', 'Units per phase at the start of each month (mean)')}</h2>${svgStackedBars({
      title: t('各阶段单位数', 'Units per phase'),
      series: phaseIds,
      seriesLabels: phaseIds.map((id) => phaseTitle.get(id) ?? (id === 'ended' ? t('已结束', 'ended') : id)),
      columns: result.monthly.map((m) => ({ label: m.month, values: Object.fromEntries(Object.entries(m.phases).map(([k, s]) => [k, s.mean])) })),
    })}</section>`,
  );

  // Ladder climbs by month.
  const ladderIds = [...new Set([...Object.keys(result.ladders), ...result.monthly.flatMap((m) => Object.keys(m.ladderClimbs))])].sort();
  sections.push(
    `<section><h2>${t('每月问责阶梯升级次数（平均）', 'Ladder rungs climbed per month (mean)')}</h2>${svgStackedBars({
      title: t('问责阶梯升级', 'Ladder climbs'),
      series: ladderIds,
      columns: result.monthly.map((m) => ({ label: m.month, values: Object.fromEntries(Object.entries(m.ladderClimbs).map(([k, s]) => [k, s.mean])) })),
    })}${table(
      [t('阶梯', 'ladder'), t('级', 'rung'), t('到达该级的对象', 'subjects reaching it')],
      Object.entries(result.ladders).flatMap(([ladder, rungs]) => Object.entries(rungs).map(([rung, s]) => [ladder, rung, show(s)])),
    )}</section>`,
  );

  // 红黄绿灯: units by light at each month end, and the first run's board.
  if (result.lights) sections.push(lightsSection(result.lights, t));

  // Deadlines.
  sections.push(
    `<section><h2>${t('时限执行', 'Deadlines')}</h2>${table(
      [t('事项', 'item'), t('阶段', 'phase'), t('任务', 'tasks'), t('按时率', 'on time'), t('逾期未办', 'never done')],
      Object.entries(result.deadlines).map(([item, d]) => [d.title === item ? item : `${d.title} (${item})`, phaseTitle.get(d.phase) ?? d.phase, show(d.total), show(d.onTimeRate, percent), show(d.overdue)]),
    )}</section>`,
  );

  // Rankings.
  const maxStrips = Math.max(2, options.maxStrips ?? 80);
  const headings = Array.from({ length: 10 }, (_, i) => `${i * 10}–${(i + 1) * 10}%`);
  for (const [id, ranking] of Object.entries(result.rankings)) {
    const subjects = Object.entries(ranking.ranks).sort((a, b) => a[1].mean - b[1].mean || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const cut = subjects.length > maxStrips;
    const shown = cut ? [...subjects.slice(0, Math.floor(maxStrips / 2)), ...subjects.slice(subjects.length - Math.floor(maxStrips / 2))] : subjects;
    const strips = shown.map(([subject, r]) => ({ label: subject, shares: r.deciles, note: `${t('名次', 'rank')} ${show(r)}` }));
    sections.push(
      `<section><h2>${t('年终排名分布', 'Year-end rank distribution')}: ${escapeHtml(id)}</h2><p class="note">${t(
        `参评 ${show(ranking.ranked)}；每格为落在该十分位段的运行占比，颜色越深越常见，按平均名次排列。`,
        `Ranked ${show(ranking.ranked)}; each cell is the share of runs the subject ended in that tenth of the ranking, darker is more often; ordered by mean rank.`,
      )}${cut ? escapeHtml(t(` 共 ${subjects.length} 个对象，只显示最好和最差的各 ${Math.floor(maxStrips / 2)} 个。`, ` ${subjects.length} subjects: the best and worst ${Math.floor(maxStrips / 2)} are shown.`)) : ''}</p>${svgHeatStrips({
        title: id,
        headings,
        strips: strips.length > 0 ? strips : [{ label: '-', shares: [] }],
      })}</section>`,
    );
  }

  // Grades (等次): subjects per band at the end, over the runs.
  if (result.grades !== undefined) {
    sections.push(
      `<section><h2>${t('等次评定', 'Grades')}</h2>${table(
        [t('评定', 'grading'), t('等次', 'grade'), t('获评对象', 'subjects')],
        Object.entries(result.grades).flatMap(([grading, bands]) => Object.entries(bands).map(([grade, s]) => [grading, grade, show(s)])),
      )}</section>`,
    );
  }

  // 督办事项: items opened, struck off, escalated and still open at the end, over the runs.
  if (result.items !== undefined) {
    const items = result.items;
    const row = (key: string, zh: string, en: string): string[] => [t(zh, en), show(items[key] ?? { mean: 0, p5: 0, p95: 0 } as Spread)];
    sections.push(
      `<section><h2>${t('督办事项', 'Items tracked to closure')}</h2>${table(
        [t('项目', 'count'), t('数量', 'items')],
        [row('opened', '交办', 'opened'), row('closed', '销号', 'closed'), row('escalated', '升级挂牌督办', 'escalated'), row('open', '未销号', 'still open')],
      )}</section>`,
    );
  }

  // Assumptions.
  sections.push(
    `<section><h2>${t('情景假设', 'Assumptions')}</h2>${
      options.scenario
        ? table([t('键', 'key'), t('值', 'value')], flatten(options.scenario))
        : `<p class="note">${t('未提供情景文件。', 'The scenario was not given.')}</p>`
    }<p class="note">${t('各次运行的种子', 'Seeds of the runs')}: ${escapeHtml(result.seeds.join(', '))}</p></section>`,
  );

  const title = `${timeline.campaign} — ${scenarioName}`;
  return `<!DOCTYPE html>
<html lang="${zh ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}${options.comparison ? COMPARISON_CSS : ''}</style>
</head>
<body>
${sections.join('\n')}
</body>
</html>
`;
}

/** `yyyy-MM-dd` of an instant in a time zone, without the host's locale or zone. */
function dayFormatter(zone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (ms) => {
    const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
    return `${parts['year']}-${parts['month']}-${parts['day']}`;
  };
}

/** The most units whose board (三色图) the report draws. */
const BOARD_UNITS = 200;

/** The lights, worst first, with the colours they are named for. */
const LIGHTS = [
  { id: 'red', zh: '红灯', en: 'red', colour: '#d62728', mark: '红' },
  { id: 'yellow', zh: '黄灯', en: 'yellow', colour: '#e5c100', mark: '黄' },
  { id: 'green', zh: '绿灯', en: 'green', colour: '#2ca02c', mark: '绿' },
  { id: 'blue', zh: '蓝灯', en: 'blue', colour: '#1f77b4', mark: '蓝' },
] as const;

/** 月末亮灯: a stacked bar of units by light per month end, and the first run's board as a table. */
function lightsSection(lights: NonNullable<MonteCarloResult['lights']>, t: (zh: string, en: string) => string): string {
  const chart = svgStackedBars({
    title: t('月末亮灯单位数', 'Units by light at each month end'),
    series: LIGHTS.map((l) => l.id),
    seriesLabels: LIGHTS.map((l) => t(l.zh, l.en)),
    colours: LIGHTS.map((l) => l.colour),
    columns: lights.months.map((m) => ({ label: m.month, values: Object.fromEntries(Object.entries(m.units).map(([k, s]) => [k, s.mean])) })),
  });
  const units = Object.entries(lights.board);
  const mark = new Map<string, string>(LIGHTS.map((l) => [l.id, t(l.mark, l.en.slice(0, 1).toUpperCase())]));
  const board =
    units.length === 0 || units.length > BOARD_UNITS
      ? ''
      : `<h3>${t('三色图（第一次运行）', 'Three-colour board (first run)')}</h3>${table(
          [t('单位', 'unit'), ...lights.months.map((m) => m.month)],
          units.map(([unit, row]) => [unit, ...row.map((l) => mark.get(l) ?? l)]),
        )}`;
  return `<section><h2>${t('每月末红黄绿灯（平均）', 'Traffic lights at each month end (mean)')}</h2>${chart}${board}</section>`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.length === 0 ? `<tr><td colspan="${head.length}">-</td></tr>` : rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** The scenario as rows of dotted key paths and values; lists of objects keep their index. */
function flatten(value: unknown, path = ''): string[][] {
  if (value === null || typeof value !== 'object') return [[path, String(value)]];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  if (entries.length === 0) return [[path, Array.isArray(value) ? '[]' : '{}']];
  return entries.flatMap(([k, v]) => flatten(v, path === '' ? k : `${path}.${k}`));
}
