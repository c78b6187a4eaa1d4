import type { MonteCarloResult, Spread } from '../monte-carlo-result.js';
import { ownValue } from '../own-keys.js';
import { cmp } from '../stable-order.js';
import { EFFECT_WORDS, LIGHTS } from './words.js';

/*
 * The report's tables as data, shared by the HTML report and the exports (`results.csv`,
 * `units.csv`, the workbook): one row per metric and scope, one row per unit, deadlines by risk.
 * Keys from the process are outside input: read with `Object.entries` and `Object.hasOwn`, never
 * by indexing a plain object with them.
 */

/** A cell of an exported table: text, a number, or nothing. */
export type Cell = string | number | null;

/** A table: column keys (stable, English, for machines), column labels (for readers) and rows. */
export interface DataTable {
  readonly columns: readonly string[];
  readonly labels: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

/** The columns of `results.csv`. */
export const RESULT_COLUMNS = ['scenario', 'metric', 'scope', 'mean', 'p5', 'p95'] as const;

/**
 * Every figure of a Monte Carlo result as rows `scenario, metric, scope, mean, p5, p95`: a metric
 * (`deadlines.onTimeRate`, `flags`, `lights.units`…) and its scope (the item, flag, `month/light`,
 * `ranking/subject`…). A share of runs (a subject in a band) has its mean only.
 */
export function resultRows(r: MonteCarloResult): Cell[][] {
  const rows: Cell[][] = [];
  const add = (metric: string, scope: string, s: Spread) => rows.push([r.scenario, metric, scope, s.mean, s.p5, s.p95]);
  for (const [type, s] of Object.entries(r.events.sent)) add('events.sent', type, s);
  for (const [code, s] of Object.entries(r.events.rejected)) add('events.rejected', code, s);
  for (const [item, d] of Object.entries(r.deadlines)) {
    for (const field of ['total', 'onTime', 'late', 'overdue', 'open', 'onTimeRate'] as const) add(`deadlines.${field}`, item, d[field]);
    // Days late, in results that record them: per run, then pooled over the runs (a mean only).
    if (d.daysLate) add('deadlines.daysLate', item, d.daysLate);
    if (d.daysLatePerLate !== undefined) rows.push([r.scenario, 'deadlines.daysLatePerLate', item, d.daysLatePerLate, null, null]);
    if (d.daysLatePerTask !== undefined) rows.push([r.scenario, 'deadlines.daysLatePerTask', item, d.daysLatePerTask, null, null]);
  }
  for (const [phase, s] of Object.entries(r.overdueByPhase)) add('overdueByPhase', phase, s);
  for (const [ladder, rungs] of Object.entries(r.ladders)) for (const [rung, s] of Object.entries(rungs)) add('ladders', `${ladder}/${rung}`, s);
  for (const [flag, s] of Object.entries(r.flags)) add('flags', flag, s);
  for (const [kind, s] of Object.entries(r.effects)) add('effects', kind, s);
  add('commended', '', r.commended);
  add('questioned', '', r.questioned);
  for (const [id, ranking] of Object.entries(r.rankings)) {
    add('rankings.ranked', id, ranking.ranked);
    for (const [subject, rank] of Object.entries(ranking.ranks)) add('rankings.rank', `${id}/${subject}`, rank);
    for (const band of ['top', 'bottom'] as const) {
      for (const [subject, share] of Object.entries(ranking[band])) rows.push([r.scenario, `rankings.${band}`, `${id}/${subject}`, share, null, null]);
    }
  }
  for (const [grading, bands] of Object.entries(r.grades ?? {})) for (const [grade, s] of Object.entries(bands)) add('grades', `${grading}/${grade}`, s);
  for (const [key, s] of Object.entries(r.items ?? {})) add('items', key, s);
  const x = r.extensions;
  if (x) {
    for (const field of ['requested', 'granted', 'refused'] as const) add(`extensions.${field}`, '', x[field]);
    for (const [code, s] of Object.entries(x.rejected)) add('extensions.rejected', code, s);
  }
  for (const m of r.monthly) {
    for (const [phase, s] of Object.entries(m.phases)) add('monthly.phases', `${m.month}/${phase}`, s);
    for (const [ladder, s] of Object.entries(m.ladderClimbs)) add('monthly.ladderClimbs', `${m.month}/${ladder}`, s);
    for (const [key, s] of Object.entries(m.items ?? {})) add('monthly.items', `${m.month}/${key}`, s);
    // Results written before months carried effects have none: nothing to list.
    for (const [kind, s] of Object.entries(m.effects ?? {})) add('monthly.effects', `${m.month}/${kind}`, s);
    for (const [flag, s] of Object.entries(m.flags ?? {})) add('monthly.flags', `${m.month}/${flag}`, s);
  }
  for (const m of x?.months ?? []) {
    for (const field of ['requested', 'granted', 'refused'] as const) add(`monthly.extensions.${field}`, m.month, m[field]);
    for (const [code, s] of Object.entries(m.rejected)) add('monthly.extensions.rejected', `${m.month}/${code}`, s);
  }
  for (const m of r.lights?.months ?? []) {
    for (const [light, s] of Object.entries(m.units)) add('lights.units', `${m.month}/${light}`, s);
    for (const [light, s] of Object.entries(m.tasks)) add('lights.tasks', `${m.month}/${light}`, s);
    for (const [light, s] of Object.entries(m.items ?? {})) add('lights.items', `${m.month}/${light}`, s);
  }
  return rows;
}

type Lang = 'zh' | 'en';

/** How a column of a `DataTable` reads: text, a number, or a share of runs (0–1, shown as a percentage). */
export type ColumnFormat = 'text' | 'number' | 'share';

/** A column of the unit table: its key, its label, how it reads, its cell for a unit. */
interface Column {
  readonly key: string;
  readonly label: string;
  readonly format: ColumnFormat;
  readonly cell: (unit: string) => Cell;
}

/**
 * One row per unit (`MonteCarloResult.units`, the office left out), in id order: what happened to
 * it over the runs — its tasks by how they ended (means), its chances of leaving a task undone and
 * of missing a deadline, its days late (sum and longest, means), for each ranking of units its mean
 * rank, p5, p95, mean score and chances of the top and bottom bands, for each ranking of members the
 * expected number of its members in each band, its chance of each grade, of holding each flag at
 * the end, of each kind of effect and of each ladder rung, its items by light at the end (means),
 * and in a campaign with lights the first run's red month ends and its light at the last. A result
 * written before units were recorded has the rankings' and lights' columns only. `formats` says
 * how each column reads.
 */
export function unitTable(r: MonteCarloResult, lang: Lang, office = 'office'): DataTable & { readonly formats: readonly ColumnFormat[] } {
  const t = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  const units = new Set<string>(Object.keys(r.units ?? {}));
  for (const ranking of Object.values(r.rankings)) for (const subject of Object.keys(ranking.ranks)) units.add(unitOf(subject));
  for (const unit of Object.keys(r.lights?.board ?? {})) if (unit !== office) units.add(unit);
  const ids = [...units].sort(compareIds);
  const columns: Column[] = [{ key: 'unit', label: t('单位', 'unit'), format: 'text', cell: (unit) => unit }];
  const add = (key: string, label: string, format: ColumnFormat, cell: (unit: string) => Cell) => columns.push({ key, label, format, cell });
  const outcomes = r.units;
  const of = (unit: string) => (outcomes !== undefined && Object.hasOwn(outcomes, unit) ? outcomes[unit] : undefined);
  if (outcomes !== undefined) {
    add('tasks:onTime', t('按时完成任务（平均，个）', 'tasks done on time (mean, tasks)'), 'number', (u) => of(u)?.onTime.mean ?? null);
    add('tasks:late', t('逾期完成任务（平均，个）', 'tasks done late (mean, tasks)'), 'number', (u) => of(u)?.late.mean ?? null);
    add('tasks:overdue', t('逾期未完成任务（平均，个）', 'tasks never done by the end (mean, tasks)'), 'number', (u) => of(u)?.overdue.mean ?? null);
    add('tasks:open', t('期末未到期任务（平均，个）', 'tasks not yet due at the end (mean, tasks)'), 'number', (u) => of(u)?.open.mean ?? null);
    add('overdueChance', t('有任务逾期未完成的概率', 'P(a task never done by the end)'), 'share', (u) => of(u)?.overdueChance ?? null);
    add('missedChance', t('有任务逾期的概率（含逾期完成）', 'P(a deadline missed, done late or never)'), 'share', (u) => of(u)?.missedChance ?? null);
    add('daysLate', t('逾期完成天数合计（平均，天）', 'days late of late completions, in total (mean, days)'), 'number', (u) => of(u)?.daysLate.mean ?? null);
    add('maxDaysLate', t('最长逾期完成天数（平均，天）', 'longest delay of a late completion (mean, days)'), 'number', (u) => of(u)?.maxDaysLate.mean ?? null);
  }
  for (const [id, ranking] of Object.entries(r.rankings)) {
    if (ranking.subject === 'unit') {
      const rank = (unit: string) => (Object.hasOwn(ranking.ranks, unit) ? ranking.ranks[unit] : undefined);
      add(`${id}:meanRank`, `${id} ${t('平均名次', 'mean rank')}`, 'number', (u) => rank(u)?.mean ?? null);
      add(`${id}:p5`, `${id} ${t('名次 p5', 'rank p5')}`, 'number', (u) => rank(u)?.p5 ?? null);
      add(`${id}:p95`, `${id} ${t('名次 p95', 'rank p95')}`, 'number', (u) => rank(u)?.p95 ?? null);
      if (outcomes !== undefined) add(`${id}:meanScore`, `${id} ${t('平均得分（分）', 'mean score (points)')}`, 'number', (u) => ownValue(of(u)?.scores, id)?.mean ?? null);
      add(`${id}:top`, `${id} ${t('前列概率', 'P(top band)')}`, 'share', (u) => share(ranking.top, u));
      add(`${id}:bottom`, `${id} ${t('末位概率', 'P(bottom band)')}`, 'share', (u) => share(ranking.bottom, u));
    } else {
      const sum = (band: Readonly<Record<string, number>>) => {
        const byUnit = new Map<string, number>();
        for (const [subject, s] of Object.entries(band)) byUnit.set(unitOf(subject), (byUnit.get(unitOf(subject)) ?? 0) + s);
        return (u: string) => Math.round((byUnit.get(u) ?? 0) * 10000) / 10000;
      };
      add(`${id}:membersTop`, `${id} ${t('前列人数（期望，人）', 'members in top band (expected, people)')}`, 'number', sum(ranking.top));
      add(`${id}:membersBottom`, `${id} ${t('末位人数（期望，人）', 'members in bottom band (expected, people)')}`, 'number', sum(ranking.bottom));
    }
  }
  if (outcomes !== undefined) {
    const all = Object.values(outcomes);
    for (const [grading, bands] of Object.entries(r.grades ?? {})) {
      for (const grade of Object.keys(bands)) add(`grade:${grading}:${grade}`, t(`${grading}：评为${grade}的概率`, `P(${grading}: ${grade})`), 'share', (u) => ownValue(ownValue(of(u)?.grades, grading), grade) ?? 0);
    }
    for (const flag of Object.keys(r.flags)) add(`flag:${flag}`, t(`期末被标记“${flag}”的概率`, `P(flagged ${flag} at the end)`), 'share', (u) => ownValue(of(u)?.flags, flag) ?? 0);
    for (const kind of [...new Set(all.flatMap((u) => Object.keys(u.effects)))].sort(cmp)) {
      const words = EFFECT_WORDS.get(kind);
      add(`effect:${kind}`, t(`受到${words?.zh ?? kind}的概率`, `P(${words?.en ?? kind})`), 'share', (u) => ownValue(of(u)?.effects, kind)?.chance ?? 0);
    }
    for (const [ladder, rungs] of Object.entries(r.ladders)) {
      for (const level of Object.keys(rungs)) add(`ladder:${ladder}:${level}`, t(`${ladder}：到达第 ${level} 级的概率`, `P(${ladder}: rung ${level} reached)`), 'share', (u) => ownValue(ownValue(of(u)?.ladders, ladder), level) ?? 0);
    }
    if (all.some((u) => u.items !== undefined)) {
      for (const light of LIGHTS) add(`items:${light.id}`, t(`期末${light.zh}督办事项（平均，件）`, `items ${light.en} at the end (mean, items)`), 'number', (u) => ownValue(of(u)?.items, light.id)?.mean ?? 0);
    }
  }
  const board = r.lights?.board;
  if (board !== undefined && Object.keys(board).length > 0) {
    const row = (u: string) => (Object.hasOwn(board, u) ? board[u] : undefined);
    add('lights:redMonths', t('红灯月数（第一次运行，月）', 'red month ends (first run, months)'), 'number', (u) => row(u)?.filter((l) => l === 'red').length ?? null);
    add('lights:last', t('最后灯色（第一次运行）', 'last light (first run)'), 'text', (u) => row(u)?.at(-1) ?? null);
  }
  return {
    columns: columns.map((c) => c.key),
    labels: columns.map((c) => c.label),
    formats: columns.map((c) => c.format),
    rows: ids.map((unit) => columns.map((c) => c.cell(unit))),
  };
}

/**
 * The units most at risk first (`MonteCarloResult.units`): the likeliest to leave a task undone by
 * the end, then the most such tasks, the likeliest to miss a deadline at all, the most days late;
 * then by id. Empty for a result written before units were recorded.
 */
export function unitsByRisk(r: MonteCarloResult): string[] {
  const units = Object.entries(r.units ?? {});
  return units
    .sort(
      ([a, x], [b, y]) =>
        y.overdueChance - x.overdueChance || y.overdue.mean - x.overdue.mean || y.missedChance - x.missedChance || y.daysLate.mean - x.daysLate.mean || compareIds(a, b),
    )
    .map(([unit]) => unit);
}

/** A deadline's risk over the runs: the shares of its tasks done late or never, and never. */
export interface DeadlineRisk {
  readonly item: string;
  readonly title: string;
  readonly phase: string;
  readonly tasks: number;
  /** Mean share of tasks that went overdue (done late or never done): (late + overdue) / total of the means. */
  readonly overdueShare: number;
  /** Mean share never done. */
  readonly neverShare: number;
  readonly onTimeRate: Spread;
  /** Expected days late of one late completion (over every run's late completions); absent for results that do not record days late. */
  readonly daysLatePerLate?: number;
  /** Expected days late of one task (of every unit that had it; on time or never done counts 0). */
  readonly daysLatePerTask?: number;
}

/** The deadlines by risk, most overdue first (then never done, then most days late per task, then item id). */
export function deadlineRisks(r: MonteCarloResult): DeadlineRisk[] {
  return Object.entries(r.deadlines)
    .map(([item, d]): DeadlineRisk => {
      const total = d.total.mean;
      const share = (x: number) => (total > 0 ? Math.round((x / total) * 10000) / 10000 : 0);
      const days = d.daysLatePerLate === undefined || d.daysLatePerTask === undefined ? {} : { daysLatePerLate: d.daysLatePerLate, daysLatePerTask: d.daysLatePerTask };
      return { item, title: d.title, phase: d.phase, tasks: total, overdueShare: share(d.late.mean + d.overdue.mean), neverShare: share(d.overdue.mean), onTimeRate: d.onTimeRate, ...days };
    })
    .sort((a, b) => b.overdueShare - a.overdueShare || b.neverShare - a.neverShare || (b.daysLatePerTask ?? 0) - (a.daysLatePerTask ?? 0) || compareIds(a.item, b.item));
}

/** A table as CSV (RFC 4180, CRLF, UTF-8 with a byte-order mark so spreadsheet programs read the Chinese). */
export function toCsv(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const line = (cells: readonly Cell[]) => cells.map(csvCell).join(',');
  return `\uFEFF${[line(columns), ...rows.map(line)].join('\r\n')}\r\n`;
}

/**
 * One CSV cell: numbers as written, text quoted when it must be; text that a spreadsheet would
 * read as a formula (`=`, `+`, `-`, `@`, a tab, CR, LF or NUL first, or the full-width `＝` `＋` `－` `＠`)
 * gets a leading `'`, since ids come from outside.
 */
function csvCell(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  // OWASP's list and ASVS 1.2.10's NUL, with LF, and the full-width signs an East Asian Excel also takes as a formula's start.
  const safe = /^[=+\-@\t\r\n\0＝＋－＠]/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The unit of a subject: `u07/u07-m2` → `u07`. */
function unitOf(subject: string): string {
  const slash = subject.indexOf('/');
  return slash < 0 ? subject : subject.slice(0, slash);
}

function share(band: Readonly<Record<string, number>>, unit: string): number {
  return Object.hasOwn(band, unit) ? (band[unit] ?? 0) : 0;
}

/** Ids in a stable order that reads naturally: `u2` before `u10`. */
export function compareIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true }) || (a < b ? -1 : a > b ? 1 : 0);
}
