import type { Spread } from '../monte-carlo-result.js';
import { escapeHtml } from './escape-html.js';

/** A table cell: text, or a number shown as `text` and sorted by `value` (null sorts last). */
export type HtmlCell = string | { readonly text: string; readonly value: number | null; readonly className?: string };

/** A numeric cell. */
export function numCell(text: string, value: number | null, className?: string): HtmlCell {
  return className === undefined ? { text, value } : { text, value, className };
}

/** How a table is drawn: sortable by its headings, with a search box, in a scrolling box on screen. */
export interface TableOptions {
  /** An id, needed for a search box. */
  readonly id?: string;
  readonly sortable?: boolean;
  readonly search?: string;
  readonly scroll?: boolean;
}

/** An HTML table, every text escaped; an empty body gets one row of `-`. */
export function htmlTable(head: readonly string[], rows: readonly (readonly HtmlCell[])[], options: TableOptions = {}): string {
  const th = head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const cell = (c: HtmlCell) =>
    typeof c === 'string'
      ? `<td>${escapeHtml(c)}</td>`
      : `<td class="num${c.className ? ` ${c.className}` : ''}" data-v="${c.value === null ? '' : String(c.value)}">${escapeHtml(c.text)}</td>`;
  const body = rows.length === 0 ? `<tr><td colspan="${head.length}">-</td></tr>` : rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n');
  const attributes = `${options.id ? ` id="${escapeHtml(options.id)}"` : ''}${options.sortable ? ' class="sortable"' : ''}`;
  const table = `<table${attributes}><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
  const search =
    options.search !== undefined && options.id !== undefined
      ? `<input class="filter" type="search" data-table="${escapeHtml(options.id)}" placeholder="${escapeHtml(options.search)}" aria-label="${escapeHtml(options.search)}">`
      : '';
  return `${search}${options.scroll ? `<div class="scroll">${table}</div>` : table}`;
}

/** A section with an anchor and a heading. */
export function htmlSection(id: string, heading: string, body: string): string {
  return `<section id="${escapeHtml(id)}"><h2>${escapeHtml(heading)}</h2>${body}</section>`;
}

/** A note paragraph. */
export function note(text: string): string {
  return `<p class="note">${escapeHtml(text)}</p>`;
}

/** How spreads and shares are written: `mean [p5, p95]` over many runs, the mean alone for one. */
export interface Numbers {
  readonly many: boolean;
  readonly show: (s: Spread, as?: (x: number) => string) => string;
  readonly percent: (x: number) => string;
  /** A spread as a numeric cell sorted by its mean. */
  readonly spreadCell: (s: Spread, as?: (x: number) => string) => HtmlCell;
}

/** The number formats of a result of `runs` runs. */
export function numbers(runs: number): Numbers {
  const many = runs > 1;
  const show = (s: Spread, as: (x: number) => string = String) => (many ? `${as(s.mean)} [${as(s.p5)}, ${as(s.p95)}]` : as(s.mean));
  const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
  return { many, show, percent, spreadCell: (s, as) => numCell(show(s, as), s.mean) };
}

/** A zero spread, for a figure a run did not have. */
export const ZERO: Spread = { mean: 0, p5: 0, p95: 0 };

/** Items of a list `size` at a time: a chart taller than a printed page would be split by it. */
export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out.length === 0 ? [[]] : out;
}
