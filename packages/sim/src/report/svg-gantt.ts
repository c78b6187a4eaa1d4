import { escapeHtml } from './escape-html.js';
import { colour, num, svg } from './svg-common.js';

/** A bar of the Gantt chart: a labelled window in ms since the epoch. */
export interface GanttBar {
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

/** A milestone of the Gantt chart: a labelled instant, drawn as a diamond on its own row. */
export interface GanttMilestone {
  readonly label: string;
  readonly at: number;
}

/** A tick on the time axis. */
export interface TimeTick {
  readonly at: number;
  readonly label: string;
}

const LABEL = 220;
const WIDTH = 900;
const ROW = 18;

/**
 * A Gantt-style timeline as inline SVG: one row per bar, then one row per milestone, over a time
 * axis from `from` to `to` with vertical lines at the ticks. Labels are escaped.
 */
export function svgGantt(options: {
  readonly title: string;
  readonly from: number;
  readonly to: number;
  readonly bars: readonly GanttBar[];
  readonly milestones: readonly GanttMilestone[];
  readonly ticks: readonly TimeTick[];
}): string {
  const { from, to, bars, milestones, ticks } = options;
  const span = Math.max(1, to - from);
  const x = (t: number) => LABEL + ((Math.min(Math.max(t, from), to) - from) / span) * (WIDTH - LABEL - 10);
  const rows = bars.length + milestones.length;
  const height = 30 + rows * ROW + 10;
  const parts: string[] = [];
  for (const tick of ticks) {
    parts.push(`<line x1="${num(x(tick.at))}" y1="20" x2="${num(x(tick.at))}" y2="${num(height - 10)}" stroke="#ddd"/>`);
    parts.push(`<text x="${num(x(tick.at) + 2)}" y="14" font-size="10" fill="#555">${escapeHtml(tick.label)}</text>`);
  }
  bars.forEach((bar, i) => {
    const y = 24 + i * ROW;
    const w = Math.max(1, x(bar.end) - x(bar.start));
    parts.push(`<text x="${LABEL - 6}" y="${num(y + 11)}" font-size="11" text-anchor="end">${escapeHtml(bar.label)}</text>`);
    parts.push(`<rect x="${num(x(bar.start))}" y="${num(y)}" width="${num(w)}" height="${ROW - 4}" fill="${colour(i)}" rx="2"><title>${escapeHtml(bar.label)}</title></rect>`);
  });
  milestones.forEach((m, i) => {
    const y = 24 + (bars.length + i) * ROW + 7;
    const cx = x(m.at);
    parts.push(`<text x="${LABEL - 6}" y="${num(y + 4)}" font-size="10" text-anchor="end" fill="#333">${escapeHtml(m.label)}</text>`);
    parts.push(`<line x1="${LABEL}" y1="${num(y)}" x2="${num(cx)}" y2="${num(y)}" stroke="#eee"/>`);
    parts.push(`<path d="M${num(cx)} ${num(y - 5)}L${num(cx + 5)} ${num(y)}L${num(cx)} ${num(y + 5)}L${num(cx - 5)} ${num(y)}Z" fill="#c0392b"><title>${escapeHtml(m.label)}</title></path>`);
  });
  return svg(WIDTH, height, options.title, parts.join(''));
}
