import type { ScenarioFile } from '../model/scenario.js';
import type { MonteCarloResult } from '../monte-carlo-result.js';
import type { ScenarioComparison } from '../compare/compare-scenarios.js';
import { assumptionsInWords } from './assumptions.js';
import { comparisonSection } from './comparison-section.js';
import { escapeHtml } from './escape-html.js';
import { chunks, htmlSection, htmlTable, note, numbers } from './html-parts.js';
import { REPORT_CSS, TABLE_SCRIPT } from './page-assets.js';
import {
  deadlinesSection,
  extensionsSection,
  flagsEffectsSection,
  gradesSection,
  itemsSection,
  laddersSection,
  lightsSection,
  overdueSection,
  phasesSection,
  rankingsSection,
  type SectionContext,
} from './report-sections.js';
import { svgGantt } from './svg-gantt.js';
import { unitsSection } from './units-section.js';

/** How `renderReport` renders. */
export interface RenderReportOptions {
  /** The scenario that was run: its title goes in the header and its assumptions into a table. */
  readonly scenario?: ScenarioFile;
  /** The language of the page; default Chinese when the campaign's title is Chinese, else English. */
  readonly lang?: 'zh' | 'en';
  /** Rankings with more subjects than this show the best and the worst half of it; default 80. */
  readonly maxStrips?: number;
  /**
   * 情景对比 — scenarios compared with this one (`compareScenarios`, this result its baseline): a
   * comparison table follows the header; the rest of the report is the baseline's.
   */
  readonly comparison?: ScenarioComparison;
}

/**
 * The Monte Carlo result as one self-contained HTML page: inline CSS, charts as inline SVG drawn on
 * the server by ECharts (`chartFigure`) and the Gantt by `svgGantt`, one small inline script that
 * sorts and searches tables, no external resource and no URL; every text from the result or the
 * scenario escaped. Every figure of the text summary is in it. The language is `options.lang`, else
 * Chinese when the campaign's title is Chinese, else English.
 */
export function renderReport(result: MonteCarloResult, options: RenderReportOptions = {}): string {
  const lang = options.lang ?? (/\p{Script=Han}/u.test(result.timeline.campaign) ? 'zh' : 'en');
  const zh = lang === 'zh';
  const t = (zhText: string, en: string) => (zh ? zhText : en);
  const { timeline } = result;
  const day = dayFormatter(timeline.zone);
  const ms = (iso: string) => Date.parse(iso);
  const n = numbers(result.runs);
  const phaseTitle = new Map(timeline.phases.map((p) => [p.id, p.title]));
  const context: SectionContext = { r: result, t, lang, n, phaseTitle };
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
${continued(result, timeline.zone, t)}<dt>${t('组织', 'Organisation')}</dt><dd>${t(`${result.organisation.units} 个单位，${result.organisation.members} 人`, `${result.organisation.units} units, ${result.organisation.members} members`)}</dd>
</dl>${n.many ? `<p class="note">${t('数值为平均值 [第5百分位, 第95百分位]', 'Values are mean [p5, p95]')}</p>` : ''}</header>`);

  if (options.comparison) sections.push(comparisonSection(options.comparison, lang));

  // Timeline: month lines, labelled in full (2025-01) as often as the labels fit.
  const months = result.monthly.map((m) => ({ at: ms(m.at), label: m.month }));
  const every = TICK_STEPS.find((step) => Math.ceil(months.length / step) <= GANTT_LABELS) ?? 12;
  // A timeline taller than a printed page is drawn in parts, each with every phase and its share of the deadlines.
  const deadlineParts = chunks(timeline.deadlines, GANTT_DEADLINES);
  const gantts = deadlineParts.map((part, i) => {
    const title = `${t('阶段与时限', 'Phases and deadlines')}${deadlineParts.length === 1 ? '' : ` (${i + 1}/${deadlineParts.length})`}`;
    return `<figure class="chart" id="chart-gantt${i === 0 ? '' : `-${i + 1}`}" data-chart="gantt${i === 0 ? '' : `-${i + 1}`}"><figcaption>${escapeHtml(title)}</figcaption>${svgGantt({
      title,
      from: ms(result.period.start),
      to: ms(result.period.end),
      bars: timeline.phases.map((p) => ({ label: p.title, note: `(${day(ms(p.start))} – ${day(ms(p.end) - 1)})`, start: ms(p.start), end: ms(p.end) })),
      milestones: part.map((d) => ({ label: d.title, note: `${day(ms(d.due) - 1)}${d.occurrences === undefined ? '' : ` ×${d.occurrences}`}`, at: ms(d.due) })),
      ticks: months.filter((_, m) => m % every === 0),
    })}</figure>`;
  });
  sections.push(`<section id="timeline"><h2>${t('阶段与时限', 'Phases and deadlines')}</h2>${gantts.join('')}</section>`);

  sections.push(phasesSection(context));
  sections.push(deadlinesSection(context));
  sections.push(overdueSection(context));
  sections.push(laddersSection(context));
  sections.push(flagsEffectsSection(context));
  sections.push(lightsSection(context));
  sections.push(itemsSection(context));
  sections.push(extensionsSection(context));
  sections.push(gradesSection(context));
  sections.push(rankingsSection(context, Math.max(2, options.maxStrips ?? 80)));
  sections.push(unitsSection(context, options.scenario?.organisation?.office ?? 'office'));

  // Assumptions, in words with their units.
  const assumptions = options.scenario
    ? htmlTable([t('假设', 'assumption'), t('取值', 'value')], assumptionsInWords(options.scenario, lang).map((a) => [a.topic, a.value]))
    : note(t('未提供情景文件。', 'The scenario was not given.'));
  sections.push(htmlSection('assumptions', t('情景假设', 'Assumptions'), `${assumptions}${note(`${t('各次运行的种子', 'Seeds of the runs')}: ${result.seeds.join(', ')}`)}`));

  const title = `${timeline.campaign} — ${scenarioName}`;
  return `<!DOCTYPE html>
<html lang="${zh ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${numberFigures(sections.filter((s) => s !== '').join('\n'), zh)}
<script>${TABLE_SCRIPT}</script>
</body>
</html>
`;
}

/** Deadlines per timeline chart: with the phases, a chart still fits on a printed A4 page. */
const GANTT_DEADLINES = 40;

/** Month steps for the Gantt's labels, and how many labels its plot holds without overlapping (a `2025-01` label is about 45 px). */
const TICK_STEPS = [1, 2, 3, 4, 6, 12] as const;
const GANTT_LABELS = 10;

/** `yyyy-MM-dd` of an instant in a time zone, without the host's locale or zone. */
function dayFormatter(zone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (ms) => {
    const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
    return `${parts['year']}-${parts['month']}-${parts['day']}`;
  };
}

/** 续推: a run continued from a live campaign says where it took over, and that what came before is the record. */
function continued(result: MonteCarloResult, zone: string, t: (zh: string, en: string) => string): string {
  const from = result.continuedFrom;
  if (from === undefined) return '';
  const format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const parts = Object.fromEntries(format.formatToParts(new Date(Date.parse(from.at))).map((p) => [p.type, p.value]));
  const at = `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}`;
  return `<dt>${t('续推自', 'Continued from')}</dt><dd>${escapeHtml(t(`活动 ${from.campaign} 的当前状态：${at}；此前按已记录的历史计，各次运行相同`, `campaign ${from.campaign} where it stood: ${at}; before then, as recorded, the same in every run`))}</dd>
`;
}

/** Numbers the figures in page order (图 1 / Figure 1): a printed report is read by its figure numbers. */
function numberFigures(body: string, zh: boolean): string {
  let n = 0;
  return body.replace(/<figcaption>/g, () => `<figcaption>${zh ? `图 ${++n}　` : `Figure ${++n}. `}`);
}
