import { escapeHtml } from './escape-html.js';
import { colour, estimateTextWidth, fitText, num, svg } from './svg-common.js';

/** A bar of the Gantt chart: a labelled window in ms since the epoch. */
export interface GanttBar {
  readonly label: string;
  /** Drawn after the label and never shortened, e.g. the dates. */
  readonly note?: string;
  readonly start: number;
  readonly end: number;
}

/** A milestone of the Gantt chart: a labelled instant, drawn as a diamond on its own row. */
export interface GanttMilestone {
  readonly label: string;
  /** Drawn after the label and never shortened, e.g. the due day. */
  readonly note?: string;
  readonly at: number;
}

/** A tick on the time axis. */
export interface TimeTick {
  readonly at: number;
  readonly label: string;
}

/** The label column grows from MIN_LABEL to fit the longest label, up to MAX_LABEL so the plot keeps most of the width. */
const MIN_LABEL = 220;
const MAX_LABEL = 360;
const WIDTH = 900;
const ROW = 18;
/** Space between a label's end and the plot, and before a label at the left edge. */
const GAP = 6;
const MARGIN = 4;
const BAR_FONT = 11;
const MILESTONE_FONT = 10;

/**
 * A Gantt-style timeline as inline SVG: one row per bar, then one row per milestone, over a time
 * axis from `from` to `to` with vertical lines at the ticks. The label column is as wide as the
 * longest label needs, within bounds; a label still too long is cut with `…` before its note, and
 * the whole text stays in a tooltip. Labels are escaped.
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
  const texts = [...bars.map((b) => ({ full: joinNote(b), size: BAR_FONT })), ...milestones.map((m) => ({ full: joinNote(m), size: MILESTONE_FONT }))];
  const widest = Math.max(0, ...texts.map((r) => estimateTextWidth(r.full, r.size)));
  const column = Math.ceil(Math.min(MAX_LABEL, Math.max(MIN_LABEL, widest + GAP + MARGIN)));
  const room = column - GAP - MARGIN;
  const span = Math.max(1, to - from);
  const x = (t: number) => column + ((Math.min(Math.max(t, from), to) - from) / span) * (WIDTH - column - 10);
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
    parts.push(labelText(bar, room, BAR_FONT, `x="${column - GAP}" y="${num(y + 11)}" font-size="${BAR_FONT}" text-anchor="end"`));
    parts.push(`<rect x="${num(x(bar.start))}" y="${num(y)}" width="${num(w)}" height="${ROW - 4}" fill="${colour(i)}" rx="2"><title>${escapeHtml(joinNote(bar))}</title></rect>`);
  });
  milestones.forEach((m, i) => {
    const y = 24 + (bars.length + i) * ROW + 7;
    const cx = x(m.at);
    parts.push(labelText(m, room, MILESTONE_FONT, `x="${column - GAP}" y="${num(y + 4)}" font-size="${MILESTONE_FONT}" text-anchor="end" fill="#333"`));
    parts.push(`<line x1="${column}" y1="${num(y)}" x2="${num(cx)}" y2="${num(y)}" stroke="#eee"/>`);
    parts.push(`<path d="M${num(cx)} ${num(y - 5)}L${num(cx + 5)} ${num(y)}L${num(cx)} ${num(y + 5)}L${num(cx - 5)} ${num(y)}Z" fill="#c0392b"><title>${escapeHtml(joinNote(m))}</title></path>`);
  });
  return svg(WIDTH, height, options.title, parts.join(''));
}

function joinNote(row: { readonly label: string; readonly note?: string }): string {
  return row.note === undefined ? row.label : `${row.label} ${row.note}`;
}

/**
 * A row's `<text>` fitted into `room` px: whole if it fits, else the label cut before the note
 * (the note, such as a date, is what the diamond's position alone does not say exactly), else
 * the whole text cut. A cut text is wrapped in a group whose `<title>` holds all of it.
 */
function labelText(row: { readonly label: string; readonly note?: string }, room: number, size: number, attributes: string): string {
  const full = joinNote(row);
  let shown = fitText(full, room, size);
  if (shown !== full && row.note !== undefined) {
    const labelRoom = room - estimateTextWidth(` ${row.note}`, size);
    // Keep the note only if a few characters of the label still fit before it.
    if (labelRoom >= 4 * size) shown = `${fitText(row.label, labelRoom, size)} ${row.note}`;
  }
  const text = `<text ${attributes}>${escapeHtml(shown)}</text>`;
  return shown === full ? text : `<g><title>${escapeHtml(full)}</title>${text}</g>`;
}
