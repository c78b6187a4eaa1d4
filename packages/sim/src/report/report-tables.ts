import type { MonteCarloResult, Spread } from '../monte-carlo-result.js';

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

/**
 * One row per unit: for each ranking of units its mean rank, p5 and p95 and the shares of runs in
 * the top and bottom bands; for each ranking of members the expected number of its members in each
 * band (the sum of their shares); and, in a campaign with lights, the first run's red month ends
 * and its light at the last. The office (`office`, unless the scenario names it) is left out.
 */
export function unitTable(r: MonteCarloResult, lang: Lang, office = 'office'): DataTable {
  const t = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  const units = new Set<string>();
  for (const ranking of Object.values(r.rankings)) for (const subject of Object.keys(ranking.ranks)) units.add(unitOf(subject));
  for (const unit of Object.keys(r.lights?.board ?? {})) if (unit !== office) units.add(unit);
  const ids = [...units].sort(compareIds);
  const columns: string[] = ['unit'];
  const labels: string[] = [t('单位', 'unit')];
  const cells: ((unit: string) => Cell)[] = [(unit) => unit];
  for (const [id, ranking] of Object.entries(r.rankings)) {
    if (ranking.subject === 'unit') {
      const rank = (unit: string) => (Object.hasOwn(ranking.ranks, unit) ? ranking.ranks[unit] : undefined);
      columns.push(`${id}:meanRank`, `${id}:p5`, `${id}:p95`, `${id}:top`, `${id}:bottom`);
      labels.push(`${id} ${t('平均名次', 'mean rank')}`, `${id} ${t('名次 p5', 'rank p5')}`, `${id} ${t('名次 p95', 'rank p95')}`, `${id} ${t('前列概率', 'P(top band)')}`, `${id} ${t('末位概率', 'P(bottom band)')}`);
      cells.push(
        (u) => rank(u)?.mean ?? null,
        (u) => rank(u)?.p5 ?? null,
        (u) => rank(u)?.p95 ?? null,
        (u) => share(ranking.top, u),
        (u) => share(ranking.bottom, u),
      );
    } else {
      const sum = (band: Readonly<Record<string, number>>) => {
        const byUnit = new Map<string, number>();
        for (const [subject, s] of Object.entries(band)) byUnit.set(unitOf(subject), (byUnit.get(unitOf(subject)) ?? 0) + s);
        return (u: string) => Math.round((byUnit.get(u) ?? 0) * 10000) / 10000;
      };
      columns.push(`${id}:membersTop`, `${id}:membersBottom`);
      labels.push(`${id} ${t('前列人数（期望）', 'members in top band (expected)')}`, `${id} ${t('末位人数（期望）', 'members in bottom band (expected)')}`);
      cells.push(sum(ranking.top), sum(ranking.bottom));
    }
  }
  const board = r.lights?.board;
  if (board !== undefined && Object.keys(board).length > 0) {
    const row = (u: string) => (Object.hasOwn(board, u) ? board[u] : undefined);
    columns.push('lights:redMonths', 'lights:last');
    labels.push(t('红灯月数（第一次运行）', 'red month ends (first run)'), t('最后灯色（第一次运行）', 'last light (first run)'));
    cells.push(
      (u) => row(u)?.filter((l) => l === 'red').length ?? null,
      (u) => row(u)?.at(-1) ?? null,
    );
  }
  return { columns, labels, rows: ids.map((unit) => cells.map((cell) => cell(unit))) };
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
}

/** The deadlines by risk, most overdue first (then never done, then item id). */
export function deadlineRisks(r: MonteCarloResult): DeadlineRisk[] {
  return Object.entries(r.deadlines)
    .map(([item, d]) => {
      const total = d.total.mean;
      const share = (x: number) => (total > 0 ? Math.round((x / total) * 10000) / 10000 : 0);
      return { item, title: d.title, phase: d.phase, tasks: total, overdueShare: share(d.late.mean + d.overdue.mean), neverShare: share(d.overdue.mean), onTimeRate: d.onTimeRate };
    })
    .sort((a, b) => b.overdueShare - a.overdueShare || b.neverShare - a.neverShare || compareIds(a.item, b.item));
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
