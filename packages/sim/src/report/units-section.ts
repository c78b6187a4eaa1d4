import { chunks, htmlSection, htmlTable, note, numCell, type HtmlCell } from './html-parts.js';
import { unitsByRisk, unitTable } from './report-tables.js';
import { UNIT_ROWS, type SectionContext } from './report-sections.js';

/*
 * 各单位一览 — the report's unit table: what happened to each unit over the runs, one row per unit,
 * sortable and searchable in the page, printed in parts that fit the width of A4.
 */

/**
 * 各单位一览: one row per unit, sortable and searchable in the page, the units most at risk first
 * (`unitsByRisk`; by id for a result written before units were recorded).
 */
export function unitsSection(c: SectionContext, office: string): string {
  const { r, t } = c;
  const table = unitTable(r, c.lang, office);
  if (table.rows.length === 0) return '';
  const order = new Map(unitsByRisk(r).map((unit, i) => [unit, i]));
  const ranked = [...table.rows].sort((a, b) => (order.get(String(a[0])) ?? Infinity) - (order.get(String(b[0])) ?? Infinity));
  const rows = ranked.slice(0, UNIT_ROWS).map((row) =>
    row.map((cell, i): HtmlCell => {
      if (typeof cell === 'number') return numCell(table.formats[i] === 'share' ? c.n.percent(cell) : String(round1(cell)), cell);
      return cell === null ? numCell('-', null) : cell;
    }),
  );
  const shown = r.units === undefined ? '' : t('按风险排列：有任务逾期未完成的概率最高的在前。', 'Most at risk first: the likeliest to leave a task undone by the end. ');
  return htmlSection(
    'units',
    t('各单位一览', 'Every unit'),
    `${note(`${shown}${t('点击列标题排序；在框中输入可筛选。完整数据见 units.csv。', 'Click a heading to sort; type in the box to filter. units.csv has the same data.')}`)}${
      r.units === undefined
        ? ''
        : note(
            t(
              '任务数含单位及其成员的全部任务（每次常态任务各计一次），为各次运行的平均；概率为出现该情形的运行所占比例；逾期天数只计逾期完成的任务（完成时间减时限），从未完成的计入“逾期未完成”。',
              'Tasks are the unit\'s and its members\', every occurrence counted, as the mean over the runs; a chance is the share of runs in which it happened; days late count late completions only (completion minus the due); tasks never done are counted as never done.',
            ),
          )
    }${table.rows.length > UNIT_ROWS ? note(t(`只列出风险最高的 ${UNIT_ROWS} 个单位。`, `The ${UNIT_ROWS} units most at risk are listed.`)) : ''}${printedInParts(
      htmlTable(table.labels, rows, { id: 'units-table', sortable: true, search: t('查找单位', 'Find a unit'), scroll: true }),
      table.labels,
      rows,
    )}`,
  );
}

/** The most columns besides the unit one printed table holds: more would not fit the width of A4. */
const PRINTED_COLUMNS = 6;

/**
 * A wide table for the screen (it scrolls there) and, on paper, the same rows in several tables of
 * `PRINTED_COLUMNS` columns each, the first column (the unit) repeated: a table wider than the page
 * would make Chromium shrink every page of the report. A narrow table is printed as it is.
 */
function printedInParts(screen: string, labels: readonly string[], rows: readonly (readonly HtmlCell[])[]): string {
  if (labels.length <= PRINTED_COLUMNS + 1) return screen;
  const groups = chunks(
    labels.slice(1).map((_, i) => i + 1),
    PRINTED_COLUMNS,
  );
  const printed = groups
    .map((columns) =>
      htmlTable(
        [labels[0] ?? '', ...columns.map((c) => labels[c] ?? '')],
        rows.map((row) => [row[0] ?? '', ...columns.map((c) => row[c] ?? '')]),
      ),
    )
    .join('');
  return `<div class="screen-only">${screen}</div><div class="print-only">${printed}</div>`;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
