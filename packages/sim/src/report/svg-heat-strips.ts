import { escapeHtml } from './escape-html.js';
import { fitText, num, svg } from './svg-common.js';

/** One strip: a label and shares (0–1) per cell, best first. */
export interface HeatStrip {
  readonly label: string;
  readonly shares: readonly number[];
  /** Shown after the strip, e.g. the mean rank. */
  readonly note?: string;
}

const LABEL = 160;
const CELL = 26;
const ROW = 14;

/**
 * Heat strips as inline SVG: one row per strip, one cell per share, darker for a larger share,
 * with the cell headings on top and a tooltip per cell. Labels are escaped.
 */
export function svgHeatStrips(options: { readonly title: string; readonly headings: readonly string[]; readonly strips: readonly HeatStrip[] }): string {
  const { headings, strips } = options;
  const cells = headings.length;
  const width = LABEL + cells * CELL + 90;
  const height = 22 + strips.length * ROW + 6;
  const parts: string[] = [];
  headings.forEach((h, i) => parts.push(`<text x="${num(LABEL + i * CELL + CELL / 2)}" y="14" font-size="9" text-anchor="middle">${escapeHtml(h)}</text>`));
  strips.forEach((strip, r) => {
    const y = 20 + r * ROW;
    // A subject's title may be longer than the column: cut it, with the whole of it in a tooltip.
    const shown = fitText(strip.label, LABEL - 10, 10);
    const text = `<text x="${LABEL - 6}" y="${num(y + 10)}" font-size="10" text-anchor="end">${escapeHtml(shown)}</text>`;
    parts.push(shown === strip.label ? text : `<g><title>${escapeHtml(strip.label)}</title>${text}</g>`);
    for (let i = 0; i < cells; i++) {
      const share = strip.shares[i] ?? 0;
      // White for never, through to a deep blue for every run.
      const light = Math.round(97 - 62 * Math.min(1, Math.max(0, share)));
      parts.push(
        `<rect x="${num(LABEL + i * CELL)}" y="${num(y)}" width="${CELL - 1}" height="${ROW - 2}" fill="hsl(212,60%,${light}%)" stroke="#eee"><title>${escapeHtml(`${strip.label} ${headings[i] ?? ''}: ${num(share * 100)}%`)}</title></rect>`,
      );
    }
    if (strip.note !== undefined) parts.push(`<text x="${num(LABEL + cells * CELL + 6)}" y="${num(y + 10)}" font-size="10">${escapeHtml(strip.note)}</text>`);
  });
  return svg(width, height, options.title, parts.join(''));
}
