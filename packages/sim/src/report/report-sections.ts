import type { MonteCarloResult } from '../monte-carlo-result.js';
import { bandChart, decileHeatmap, monthlyStackChart, spreadBarChart, type SpreadRow } from './charts.js';
import { chunks, htmlSection, htmlTable, note, numCell, type HtmlCell, type Numbers, ZERO } from './html-parts.js';
import { deadlineRisks } from './report-tables.js';
import { escapeHtml } from './escape-html.js';
import { EFFECT_WORDS, LIGHTS } from './words.js';

/*
 * The sections of the report that show one Monte Carlo result: every figure the text summary of
 * `luoshi simulate` prints, in a table, with a chart where a chart reads better.
 */

/** What every section needs: the result, the language and the number formats. */
export interface SectionContext {
  readonly r: MonteCarloResult;
  readonly t: (zh: string, en: string) => string;
  readonly lang: 'zh' | 'en';
  readonly n: Numbers;
  readonly phaseTitle: ReadonlyMap<string, string>;
}

/** The most rows one horizontal chart holds, so it fits on a printed A4 page; more go in further charts. */
const ROWS_PER_CHART = 36;

/** The most units whose board (三色图) the report draws. */
const BOARD_UNITS = 200;

/** The most rows of the per-unit table (and of a ranking's table); the CSV export always has every unit. */
export const UNIT_ROWS = 2000;

function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Spread bar charts of `rows`, ROWS_PER_CHART at a time. */
function barCharts(id: string, title: string, rows: readonly SpreadRow[], c: SectionContext, scale: 'count' | 'share' = 'count', colour?: string): string {
  const parts = chunks(rows, ROWS_PER_CHART);
  return parts
    .map((part, i) => spreadBarChart(parts.length === 1 ? id : `${id}-${i + 1}`, parts.length === 1 ? title : `${title} (${i + 1}/${parts.length})`, part, c.n.many, scale, colour))
    .join('');
}

/** 每月初各阶段单位数: how the units are spread over the phases at each month's start. */
export function phasesSection(c: SectionContext): string {
  const { r, t } = c;
  const ids = [...r.timeline.phases.map((p) => p.id)];
  for (const m of r.monthly) for (const id of Object.keys(m.phases)) if (!ids.includes(id)) ids.push(id);
  const name = (id: string) => c.phaseTitle.get(id) ?? (id === 'ended' ? t('已结束', 'ended') : id);
  const series = ids.map((id) => ({ name: name(id), values: r.monthly.map((m) => own(m.phases, id)?.mean ?? 0) }));
  const table = htmlTable(
    [t('月份', 'month'), ...ids.map(name)],
    r.monthly.map((m) => [m.month, ...ids.map((id) => c.n.spreadCell(own(m.phases, id) ?? ZERO))]),
    { scroll: true },
  );
  const lockstep = r.monthly.every((m) => Object.values(m.phases).filter((s) => s.mean > 0).length <= 1);
  return htmlSection(
    'phases',
    t('每月初各阶段单位数', 'Units per phase at the start of each month'),
    `${monthlyStackChart('phases', t('各阶段单位数（平均）', 'Units per phase (mean)'), r.monthly.map((m) => m.month), series)}${
      lockstep ? note(t('每个月初所有单位都在同一阶段：各阶段按时间窗口统一推进。', 'At every month start all units are in the same phase: the phases move on by their windows, for every unit alike.')) : ''
    }${table}`,
  );
}

/** 时限执行: the deadlines, their on-time rates, and the same deadlines sorted by risk. */
export function deadlinesSection(c: SectionContext): string {
  const { r, t, n } = c;
  const entries = Object.entries(r.deadlines);
  const title = (item: string, d: { title: string }) => (d.title === item ? item : `${d.title} (${item})`);
  const table = htmlTable(
    [t('事项', 'item'), t('阶段', 'phase'), t('任务', 'tasks'), t('按时办结', 'on time'), t('逾期办结', 'late'), t('逾期未办', 'never done'), t('未到期', 'open'), t('按时率', 'on-time rate')],
    entries.map(([item, d]) => [title(item, d), c.phaseTitle.get(d.phase) ?? d.phase, n.spreadCell(d.total), n.spreadCell(d.onTime), n.spreadCell(d.late), n.spreadCell(d.overdue), n.spreadCell(d.open), n.spreadCell(d.onTimeRate, n.percent)]),
    { id: 'deadlines-table', sortable: true },
  );
  const chart = barCharts('on-time', t('按时率', 'On-time rate'), entries.map(([item, d]) => ({ label: d.title === item ? item : d.title, spread: d.onTimeRate })), c, 'share');
  const risks = deadlineRisks(r);
  // Results written before days late were recorded have no such columns.
  const days = risks.some((d) => d.daysLatePerTask !== undefined);
  const dayCell = (x: number | undefined) => (x === undefined ? numCell('-', null) : numCell(String(round1(x)), x));
  const riskTable = htmlTable(
    [
      t('事项', 'item'),
      t('阶段', 'phase'),
      t('任务（平均）', 'tasks (mean)'),
      t('逾期概率', 'P(overdue)'),
      t('逾期未办概率', 'P(never done)'),
      ...(days ? [t('预计逾期天数（每个逾期完成的任务，天）', 'expected days late (per late completion, days)'), t('预计逾期天数（每个任务，天）', 'expected days late (per task, days)')] : []),
      t('按时率', 'on-time rate'),
    ],
    risks.map((d) => [
      title(d.item, d),
      c.phaseTitle.get(d.phase) ?? d.phase,
      numCell(String(d.tasks), d.tasks),
      numCell(n.percent(d.overdueShare), d.overdueShare),
      numCell(n.percent(d.neverShare), d.neverShare),
      ...(days ? [dayCell(d.daysLatePerLate), dayCell(d.daysLatePerTask)] : []),
      n.spreadCell(d.onTimeRate, n.percent),
    ]),
    { id: 'risk-table', sortable: true },
  );
  return `${htmlSection('deadlines', t('时限执行', 'Deadlines'), `${chart}${table}`)}${htmlSection(
    'deadline-risk',
    t('时限风险（按逾期概率排序）', 'Deadlines by risk (most often overdue first)'),
    `${note(
      days
        ? t(
            '逾期概率 = 平均逾期办结与逾期未办任务数之和 ÷ 平均任务数；逾期未办概率只计从未办结的任务。预计逾期天数：逾期完成的任务平均晚几天（完成时间减时限），以及摊到每个任务（含按时完成和从未办结的，各计 0 天）。',
            'P(overdue) = mean tasks done late plus never done ÷ mean tasks; P(never done) counts only the tasks never done. Expected days late: how many days after the due a late completion came, on average, and the same spread over every task (one on time or never done counts 0 days).',
          )
        : t(
            '逾期概率 = 平均逾期办结与逾期未办任务数之和 ÷ 平均任务数；逾期未办概率只计从未办结的任务。该结果不记录逾期天数，故不列预计逾期天数。',
            'P(overdue) = mean tasks done late plus never done ÷ mean tasks; P(never done) counts only the tasks never done. This result does not record days late, so no expected days late is shown.',
          ),
    )}${riskTable}`,
  )}`;
}

/** 各阶段逾期任务. */
export function overdueSection(c: SectionContext): string {
  const { r, t } = c;
  const rows = Object.entries(r.overdueByPhase).map(([p, s]) => ({ label: c.phaseTitle.get(p) ?? p, spread: s }));
  return htmlSection(
    'overdue',
    t('各阶段逾期任务', 'Overdue tasks by phase'),
    `${barCharts('overdue', t('逾期任务数（逾期办结或未办）', 'Tasks overdue (done late or never done)'), rows, c, 'count', '#e15759')}${htmlTable(
      [t('阶段', 'phase'), t('任务', 'tasks')],
      rows.map((row) => [row.label, c.n.spreadCell(row.spread)]),
    )}`,
  );
}

/** 问责阶梯: rungs climbed per month and subjects reaching each rung. */
export function laddersSection(c: SectionContext): string {
  const { r, t } = c;
  const ids = [...new Set([...Object.keys(r.ladders), ...r.monthly.flatMap((m) => Object.keys(m.ladderClimbs))])].sort();
  if (ids.length === 0) return htmlSection('ladders', t('问责阶梯', 'Ladders'), note(t('本活动没有问责阶梯。', 'The campaign has no ladder.')));
  const series = ids.map((id) => ({ name: id, values: r.monthly.map((m) => own(m.ladderClimbs, id)?.mean ?? 0) }));
  const rungs = Object.entries(r.ladders).flatMap(([ladder, levels]) => Object.entries(levels).map(([rung, s]) => ({ ladder, rung, s })));
  return htmlSection(
    'ladders',
    t('问责阶梯', 'Ladders'),
    `${monthlyStackChart('ladder-climbs', t('每月升级次数（平均）', 'Rungs climbed per month (mean)'), r.monthly.map((m) => m.month), series)}${barCharts(
      'ladder-rungs',
      t('到达各级的对象', 'Subjects reaching each rung'),
      rungs.map((x) => ({ label: `${x.ladder} ${t(`第${x.rung}级`, `rung ${x.rung}`)}`, spread: x.s })),
      c,
      'count',
      '#f28e2b',
    )}${htmlTable([t('阶梯', 'ladder'), t('级', 'rung'), t('到达该级的对象', 'subjects reaching it')], rungs.map((x) => [x.ladder, x.rung, c.n.spreadCell(x.s)]))}`,
  );
}

/** 标记与处理: flags held at the end and effects delivered, with commended and questioned. */
export function flagsEffectsSection(c: SectionContext): string {
  const { r, t } = c;
  const flags = Object.entries(r.flags).map(([f, s]) => ({ label: f, spread: s }));
  const effectName = (kind: string) => {
    const words = EFFECT_WORDS.get(kind);
    return words ? `${words[c.lang]} (${kind})` : kind;
  };
  const effects = Object.entries(r.effects).map(([k, s]) => ({ label: effectName(k), spread: s }));
  const months = r.monthly.map((m) => m.month);
  // 每月: flags held at each month's start (a continued campaign's months before the cut as rebuilt from its history) and effects delivered in each month.
  const flagIds = [...new Set(r.monthly.flatMap((m) => Object.keys(m.flags ?? {})))].sort();
  const flagMonths =
    flagIds.length === 0
      ? ''
      : monthlyStackChart('flags-monthly', t('每月初持有标记的对象（平均）', "Subjects holding each flag at each month's start (mean)"), months, flagIds.map((id) => ({ name: id, values: r.monthly.map((m) => own(m.flags ?? {}, id)?.mean ?? 0) })), '', false);
  const effectKinds = [...new Set(r.monthly.flatMap((m) => Object.keys(m.effects ?? {})))].sort();
  const effectMonths =
    effectKinds.length === 0
      ? ''
      : monthlyStackChart('effects-monthly', t('每月发出的处理（平均）', 'Effects delivered per month (mean)'), months, effectKinds.map((k) => ({ name: effectName(k), values: r.monthly.map((m) => own(m.effects ?? {}, k)?.mean ?? 0) })));
  const flagPart = flags.length === 0 ? note(t('本活动没有标记。', 'The campaign sets no flag.')) : `${flagMonths}${barCharts('flags', t('年末持有标记的对象', 'Subjects holding each flag at the end'), flags, c, 'count', '#b07aa1')}${htmlTable([t('标记', 'flag'), t('对象', 'subjects')], flags.map((f) => [f.label, c.n.spreadCell(f.spread)]))}`;
  const effectPart = effects.length === 0 ? note(t('没有发出处理。', 'No effect was delivered.')) : `${effectMonths}${barCharts('effects', t('发出的处理（次）', 'Effects delivered'), effects, c, 'count', '#76b7b2')}${htmlTable([t('处理', 'effect'), t('次数', 'count')], effects.map((e) => [e.label, c.n.spreadCell(e.spread)]))}`;
  const people = htmlTable([t('对象', 'subjects'), t('人/单位数', 'count')], [
    [t('被表彰', 'commended'), c.n.spreadCell(r.commended)],
    [t('被质询', 'questioned'), c.n.spreadCell(r.questioned)],
  ]);
  return `${htmlSection('flags', t('标记', 'Flags'), flagPart)}${htmlSection('effects', t('处理', 'Effects'), `${effectPart}<h3>${t('被表彰、被质询', 'Commended and questioned')}</h3>${people}`)}`;
}

/** 月末亮灯: units and tasks by light at each month end, and the first run's board. */
export function lightsSection(c: SectionContext): string {
  const { r, t } = c;
  const lights = r.lights;
  if (!lights) return '';
  const months = lights.months.map((m) => m.month);
  const series = (pick: 'units' | 'tasks') => LIGHTS.map((l) => ({ name: t(l.zh, l.en), colour: l.colour, values: lights.months.map((m) => own(m[pick], l.id)?.mean ?? 0) }));
  const table = htmlTable(
    [t('月份', 'month'), ...LIGHTS.map((l) => t(l.zh, l.en))],
    lights.months.map((m) => [m.month, ...LIGHTS.map((l) => c.n.spreadCell(own(m.units, l.id) ?? ZERO))]),
    { scroll: true },
  );
  // A campaign with items but no lights samples only its items' lights (drawn with the items).
  if (!lights.months.some((m) => Object.values(m.units).some((x) => x.mean > 0))) return '';
  const units = Object.entries(lights.board);
  const mark = new Map<string, string>(LIGHTS.map((l) => [l.id, t(l.mark, l.en.slice(0, 1).toUpperCase())]));
  const board =
    units.length === 0 || units.length > BOARD_UNITS
      ? ''
      : `<h3>${t('三色图（第一次运行）', 'Three-colour board (first run)')}</h3><div class="scroll">${htmlTable(
          [t('单位', 'unit'), ...months],
          units.map(([unit, row]) => [unit, ...row.map((l) => mark.get(l) ?? l)]),
        )}</div>`;
  // A campaign continued from where it stood (续推): a light at a month end before the cut is not in its history.
  const first = months[0];
  const late =
    first !== undefined && first !== r.monthly[0]?.month
      ? note(t(`月末亮灯自 ${first} 起：活动自当前状态续推，此前各月末的灯色不在其记录中，未重建。`, `Lights from ${first} on: the campaign was continued from where it stood, and the lights of earlier month ends are not in its history, so they are not rebuilt.`))
      : '';
  return htmlSection(
    'lights',
    t('每月末红黄绿灯', 'Traffic lights at each month end'),
    `${late}${monthlyStackChart('lights-units', t('月末亮灯单位数（平均）', 'Units by light at each month end (mean)'), months, series('units'))}${monthlyStackChart(
      'lights-tasks',
      t('月末亮灯任务数（平均）', 'Tasks by light at each month end (mean)'),
      months,
      series('tasks'),
    )}${table}${board}`,
  );
}

/** 督办事项: every count the result has at the end, each month's openings, strikings-off and escalations, and the items by light. */
export function itemsSection(c: SectionContext): string {
  const { r, t } = c;
  if (r.items === undefined) return '';
  const words: ReadonlyMap<string, string> = new Map([
    ['opened', t('交办', 'opened')],
    ['closed', t('销号', 'closed')],
    ['escalated', t('升级挂牌督办', 'escalated')],
    ['open', t('未销号', 'still open')],
  ]);
  const order = ['opened', 'closed', 'escalated', 'open'];
  const keys = [...order.filter((k) => Object.hasOwn(r.items ?? {}, k)), ...Object.keys(r.items).filter((k) => !order.includes(k)).sort()];
  const rows = keys.map((k) => ({ label: words.get(k) ?? k, spread: own(r.items ?? {}, k) ?? ZERO }));
  const parts = [`${barCharts('items', t('督办事项数（期末）', 'Items at the end'), rows, c, 'count', '#9c755f')}${htmlTable([t('项目', 'count'), t('数量', 'items')], rows.map((x) => [x.label, c.n.spreadCell(x.spread)]))}`];
  const monthly = r.monthly.filter((m) => m.items !== undefined);
  if (monthly.length > 0) {
    const flows = ['opened', 'closed', 'escalated'];
    parts.push(
      monthlyStackChart(
        'items-monthly',
        t('每月交办、销号、升级的督办事项（平均）', 'Items opened, struck off and escalated each month (mean)'),
        monthly.map((m) => m.month),
        flows.map((k) => ({ name: words.get(k) ?? k, values: monthly.map((m) => own(m.items ?? {}, k)?.mean ?? 0) })),
        '',
        false,
      ),
      htmlTable([t('月份', 'month'), ...flows.map((k) => words.get(k) ?? k)], monthly.map((m) => [m.month, ...flows.map((k) => c.n.spreadCell(own(m.items ?? {}, k) ?? ZERO))]), { scroll: true }),
    );
  }
  const lit = (r.lights?.months ?? []).filter((m) => m.items !== undefined);
  if (lit.length > 0) {
    parts.push(
      monthlyStackChart(
        'items-lights',
        t('月末督办事项灯色（平均）', 'Items by light at each month end (mean)'),
        lit.map((m) => m.month),
        LIGHTS.map((l) => ({ name: t(l.zh, l.en), colour: l.colour, values: lit.map((m) => own(m.items ?? {}, l.id)?.mean ?? 0) })),
        t('只计有灯色的事项：有目标的按进度亮灯，有办理期限的按期限亮灯。', 'Only items with a light count: those with a target, lit by their progress, or with a due day.'),
      ),
      htmlTable([t('月份', 'month'), ...LIGHTS.map((l) => t(l.zh, l.en))], lit.map((m) => [m.month, ...LIGHTS.map((l) => c.n.spreadCell(own(m.items ?? {}, l.id) ?? ZERO))]), { scroll: true }),
    );
  }
  return htmlSection('items', t('督办事项', 'Items tracked to closure'), parts.join(''));
}

/** 申请延期: requests accepted, granted and refused by the office, refused by the engine by code, in total and per month. */
export function extensionsSection(c: SectionContext): string {
  const { r, t } = c;
  const x = r.extensions;
  if (x === undefined) return '';
  const fields = [
    { key: 'requested', label: t('已受理', 'accepted') },
    { key: 'granted', label: t('批准', 'granted') },
    { key: 'refused', label: t('不批准', 'refused by the office') },
  ] as const;
  const rejected = Object.entries(x.rejected);
  const totals = htmlTable(
    [t('项目', 'count'), t('申请数', 'requests')],
    [...fields.map((f) => [f.label, c.n.spreadCell(x[f.key])]), ...rejected.map(([code, s]) => [`${t('被引擎拒绝', 'refused by the engine')} ${code}`, c.n.spreadCell(s)])],
  );
  const months = x.months.map((m) => m.month);
  const chart = monthlyStackChart(
    'extensions-monthly',
    t('每月申请延期（平均）', 'Extension requests each month (mean)'),
    months,
    fields.map((f) => ({ name: f.label, values: x.months.map((m) => m[f.key].mean) })),
    '',
    false,
  );
  const table = htmlTable([t('月份', 'month'), ...fields.map((f) => f.label)], x.months.map((m) => [m.month, ...fields.map((f) => c.n.spreadCell(m[f.key]))]), { scroll: true });
  return htmlSection('extensions', t('申请延期', 'Extension requests'), `${totals}${chart}${table}`);
}

/** 等次评定: subjects per grade band at the end, a chart per grading. */
export function gradesSection(c: SectionContext): string {
  const { r, t } = c;
  if (r.grades === undefined) return '';
  const parts = Object.entries(r.grades).map(([grading, bands], i) => {
    const rows = Object.entries(bands).map(([grade, s]) => ({ label: grade, spread: s }));
    return `<h3>${escapeHtml(grading)}</h3>${barCharts(`grades-${i + 1}`, `${t('各等次对象数', 'Subjects per grade')}: ${grading}`, rows, c, 'count', '#59a14f')}${htmlTable([t('等次', 'grade'), t('获评对象', 'subjects')], rows.map((x) => [x.label, c.n.spreadCell(x.spread)]))}`;
  });
  return htmlSection('grades', t('等次评定', 'Grades'), parts.join(''));
}

/**
 * 年终排名: per ranking, each subject's chance of landing in the top band, in between, the bottom
 * band or unranked (a chart), where in the ranking it ended (a heat map of tenths), and a table
 * with the same numbers that never cuts a label.
 */
export function rankingsSection(c: SectionContext, maxStrips: number): string {
  const { r, t, n } = c;
  const headings = Array.from({ length: 10 }, (_, i) => `${i * 10}–${(i + 1) * 10}%`);
  const parts = Object.entries(r.rankings).map(([id, ranking], index) => {
    const subjects = Object.entries(ranking.ranks).sort((a, b) => a[1].mean - b[1].mean || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const half = Math.floor(maxStrips / 2);
    const cut = subjects.length > maxStrips;
    const shown = cut ? [...subjects.slice(0, half), ...subjects.slice(subjects.length - half)] : subjects;
    const bandsOf = (subject: string, deciles: readonly number[]) => {
      const top = own(ranking.top, subject) ?? 0;
      const bottom = own(ranking.bottom, subject) ?? 0;
      const ranked = Math.min(1, deciles.reduce((a, x) => a + x, 0));
      return { top, bottom, middle: Math.max(0, round4(ranked - top - bottom)), unranked: Math.max(0, round4(1 - ranked)) };
    };
    const charts = chunks(shown, ROWS_PER_CHART)
      .map((part, i, all) => {
        const suffix = all.length === 1 ? '' : ` (${i + 1}/${all.length})`;
        const names = part.map(([s]) => s);
        const b = part.map(([s, d]) => bandsOf(s, d.deciles));
        return `${bandChart(`bands-${index + 1}-${i + 1}`, `${t('落入各区间的概率', 'Chance of each band')}: ${id}${suffix}`, names, [
          { name: t('前列', 'top band'), colour: '#2ca02c', values: b.map((x) => x.top) },
          { name: t('中间', 'in between'), colour: '#c7c7c7', values: b.map((x) => x.middle) },
          { name: t('末位', 'bottom band'), colour: '#d62728', values: b.map((x) => x.bottom) },
          { name: t('未参评', 'not ranked'), colour: '#f0f0f0', values: b.map((x) => x.unranked) },
        ])}${decileHeatmap(`deciles-${index + 1}-${i + 1}`, `${t('年终名次分布（十分位）', 'Year-end rank by tenth of the ranking')}: ${id}${suffix}`, names, part.map(([, d]) => d.deciles), headings, t('颜色越深，落在该段的运行越多。', 'Darker: more runs ended in that tenth.'))}`;
      })
      .join('');
    // A ranking of tens of thousands of members would make the page tens of megabytes: the table keeps
    // the best and the worst, results.csv every subject.
    const listed = subjects.length > UNIT_ROWS ? [...subjects.slice(0, UNIT_ROWS / 2), ...subjects.slice(subjects.length - UNIT_ROWS / 2)] : subjects;
    const rows: HtmlCell[][] = listed.map(([subject, d]) => {
      const b = bandsOf(subject, d.deciles);
      return [subject, numCell(n.show(d, (x) => String(round1(x))), d.mean), numCell(n.percent(b.top), b.top), numCell(n.percent(b.middle), b.middle), numCell(n.percent(b.bottom), b.bottom), numCell(n.percent(b.unranked), b.unranked)];
    });
    const tableId = `ranking-table-${index + 1}`;
    return `<h3>${escapeHtml(id)}</h3>${note(
      `${t('参评', 'Ranked')} ${n.show(ranking.ranked)}${cut ? t(`；共 ${subjects.length} 个对象，图中只画最好和最差的各 ${half} 个`, `; ${subjects.length} subjects: the charts draw the best and worst ${half}`) : ''}${
        listed.length < subjects.length ? t(`，表中列出最好和最差的各 ${UNIT_ROWS / 2} 个（results.csv 中有全部）。`, `, the table the best and worst ${UNIT_ROWS / 2} (results.csv has all).`) : cut ? t('，表中列出全部。', ', the table lists all.') : ''
      }`,
    )}${charts}${htmlTable([t('对象', 'subject'), t('名次', 'rank'), t('前列', 'top band'), t('中间', 'in between'), t('末位', 'bottom band'), t('未参评', 'not ranked')], rows, { id: tableId, sortable: true, search: t('查找对象', 'Find a subject'), scroll: true })}`;
  });
  if (parts.length === 0) return '';
  return htmlSection('rankings', t('年终排名', 'Year-end rankings'), parts.join(''));
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
