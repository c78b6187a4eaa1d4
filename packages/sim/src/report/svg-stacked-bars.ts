import { escapeHtml } from './escape-html.js';
import { colour, legend, num, svg } from './svg-common.js';
import { ownValue } from '../own-keys.js';

/** One column of a stacked bar chart: its axis label and a value per series (missing = 0). */
export interface StackedColumn {
  readonly label: string;
  readonly values: Readonly<Record<string, number>>;
}

const WIDTH = 900;
const HEIGHT = 260;
const LEFT = 44;
const TOP = 30;
const BOTTOM = 30;

/**
 * A stacked bar chart as inline SVG: one column per entry, the series stacked in the given order
 * and coloured by position, with a value axis, a legend of `seriesLabels` and a tooltip per segment.
 */
export function svgStackedBars(options: {
  readonly title: string;
  readonly series: readonly string[];
  readonly seriesLabels?: readonly string[];
  readonly columns: readonly StackedColumn[];
  /** A colour per series where the colour is the meaning (红黄绿灯); default the palette's by position. */
  readonly colours?: readonly string[];
}): string {
  const { series, columns } = options;
  const labels = options.seriesLabels ?? series;
  const totals = columns.map((c) => series.reduce((a, s) => a + (ownValue(c.values, s) ?? 0), 0));
  const max = Math.max(1, ...totals);
  const plotH = HEIGHT - TOP - BOTTOM;
  const slot = (WIDTH - LEFT - 10) / Math.max(1, columns.length);
  const parts: string[] = [legend(labels, LEFT, 14, options.colours)];
  parts.push(`<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${TOP + plotH}" stroke="#888"/>`);
  parts.push(`<line x1="${LEFT}" y1="${TOP + plotH}" x2="${WIDTH - 10}" y2="${TOP + plotH}" stroke="#888"/>`);
  for (const f of [0.5, 1]) {
    const y = TOP + plotH - f * plotH;
    parts.push(`<line x1="${LEFT}" y1="${num(y)}" x2="${WIDTH - 10}" y2="${num(y)}" stroke="#eee"/>`);
    parts.push(`<text x="${LEFT - 4}" y="${num(y + 4)}" font-size="10" text-anchor="end">${num(max * f)}</text>`);
  }
  columns.forEach((column, i) => {
    const x = LEFT + i * slot + slot * 0.15;
    let y = TOP + plotH;
    series.forEach((s, k) => {
      const v = ownValue(column.values, s) ?? 0;
      if (v <= 0) return;
      const h = (v / max) * plotH;
      y -= h;
      parts.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(slot * 0.7)}" height="${num(h)}" fill="${options.colours?.[k] ?? colour(k)}"><title>${escapeHtml(`${column.label} ${labels[k] ?? s}: ${num(v)}`)}</title></rect>`);
    });
    parts.push(`<text x="${num(x + slot * 0.35)}" y="${HEIGHT - 12}" font-size="10" text-anchor="middle">${escapeHtml(column.label)}</text>`);
  });
  return svg(WIDTH, HEIGHT, options.title, parts.join(''));
}
