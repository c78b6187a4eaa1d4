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

/**
 * An upper estimate of the width of `text` drawn at `fontSize` px, without a browser to measure it.
 * The report names no web font, so the reader's own fonts draw it: CJK ideographs and punctuation
 * are one em in every CJK font, and ASCII stays under these shares of an em in the common sans
 * fonts (DejaVu Sans, the widest of them, Segoe UI, Helvetica, Noto Sans). Any other character
 * counts as a full em, so the estimate errs on the wide side and a label fitted to it never
 * overflows.
 */
export function estimateTextWidth(text: string, fontSize: number): number {
  let ems = 0;
  for (const char of text) ems += charEms(char);
  return ems * fontSize;
}

/**
 * `text` if its estimated width fits in `maxWidth` px at `fontSize` px, else its longest prefix
 * that fits with `…` after it (code points, so a surrogate pair is never split).
 */
export function fitText(text: string, maxWidth: number, fontSize: number): string {
  if (estimateTextWidth(text, fontSize) <= maxWidth) return text;
  const budget = maxWidth - estimateTextWidth(ELLIPSIS, fontSize);
  let out = '';
  let width = 0;
  for (const char of text) {
    const w = charEms(char) * fontSize;
    if (width + w > budget) break;
    out += char;
    width += w;
  }
  // A prefix ending in a space or an opening bracket reads as cut mid-thought; drop it.
  return `${out.replace(/[\s(（《“‘[]+$/u, '')}${ELLIPSIS}`;
}

const ELLIPSIS = '…';

function charEms(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (code > 0x7e) return 1;
  if (char === ' ') return 0.35;
  // DejaVu Sans is the widest: M m W w @ % nearly an em, its maths signs 0.84, other capitals under 0.8.
  if (/[MWmw@%]/.test(char)) return 1;
  if (/[#&+=<>~^]/.test(char)) return 0.84;
  if (/[A-Z]/.test(char)) return 0.8;
  if (/[ijl.,:;'|!]/.test(char)) return 0.4;
  return 0.64;
}
