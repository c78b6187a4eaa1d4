import { escapeHtml } from './escape-html.js';

/** Colours for series, in order; chosen to stay apart in print and for common colour blindness. */
export const PALETTE: readonly string[] = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** The colour of the `i`-th series (the palette repeats). */
export function colour(i: number): string {
  return PALETTE[i % PALETTE.length] as string;
}

/** A number with at most two decimals, for coordinates and labels. */
export function num(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** An inline `<svg>` element (HTML5 needs no namespace, so the report holds no URL) with a title for screen readers. */
export function svg(width: number, height: number, title: string, body: string): string {
  return `<svg viewBox="0 0 ${num(width)} ${num(height)}" width="${num(width)}" height="${num(height)}" role="img"><title>${escapeHtml(title)}</title>${body}</svg>`;
}

/** A legend row: a swatch and a label per series, drawn as SVG at (x, y). */
export function legend(labels: readonly string[], x: number, y: number): string {
  let at = x;
  return labels
    .map((label, i) => {
      const out = `<rect x="${num(at)}" y="${num(y - 9)}" width="10" height="10" fill="${colour(i)}"/><text x="${num(at + 14)}" y="${num(y)}" font-size="11">${escapeHtml(label)}</text>`;
      at += 24 + label.length * 11;
      return out;
    })
    .join('');
}
