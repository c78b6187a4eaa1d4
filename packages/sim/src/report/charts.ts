import type { Spread } from '../monte-carlo-result.js';
import { chartFigure, type ChartOption } from './echarts-svg.js';
import { PALETTE } from './svg-common.js';

/*
 * The report's kinds of chart, each an ECharts option drawn to SVG by `chartFigure`. Axis ticks are
 * ECharts' "nice" steps (1, 2, 5 × 10ⁿ; whole numbers only for counts), month labels are written
 * in full (`2025-01`) and thinned by ECharts when they would overlap, and category labels are
 * never cut: the grid gives way to the longest (`outerBounds`).
 */


/** The width every chart is drawn at (the page's column; a printed A4 page scales it down). */
export const CHART_WIDTH = 880;

/** One series of a chart over categories (months, phases…): a value per category, null where it has none. */
export interface Series {
  readonly name: string;
  readonly values: readonly (number | null)[];
  readonly colour?: string;
}

/** A category and its spread over the runs. */
export interface SpreadRow {
  readonly label: string;
  readonly spread: Spread;
}

/** How a number is printed in labels and ticks: a count or a share shown as a percentage. */
export type Scale = 'count' | 'share';

const format = (scale: Scale) => (x: number) => (scale === 'share' ? `${round(x * 100, 1)}%` : String(round(x, 2)));

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function valueAxis(scale: Scale): Record<string, unknown> {
  return {
    type: 'value',
    // Counts tick on whole numbers (no 23.4 subjects); shares as percentages.
    ...(scale === 'count' ? { minInterval: 1 } : { max: 1 }),
    axisLabel: { formatter: format(scale), hideOverlap: true },
    splitLine: { lineStyle: { color: '#e4e4e4' } },
  };
}

const LEGEND = { bottom: 0, left: 'center', itemWidth: 12, itemHeight: 10, type: 'plain' } as const;

/**
 * Bars over months (`YYYY-MM`, every one labelled in full where it fits, thinned where not):
 * stacked, one segment per series, for parts of a whole (units per phase, lights at month ends, rungs
 * climbed); side by side with `stacked` false, for counts that are not parts of one whole (items
 * opened, struck off and escalated).
 */
export function monthlyStackChart(id: string, title: string, months: readonly string[], series: readonly Series[], note = '', stacked = true): string {
  const legendRows = Math.ceil(series.reduce((w, s) => w + 40 + labelWidth(s.name), 0) / (CHART_WIDTH - 40));
  const option: ChartOption = {
    color: [...PALETTE],
    legend: { ...LEGEND, data: series.map((s) => s.name) },
    grid: { left: 8, right: 16, top: 16, bottom: 28 + 20 * legendRows },
    xAxis: { type: 'category', data: [...months], axisLabel: { interval: 'auto', hideOverlap: true }, axisTick: { alignWithLabel: true } },
    yAxis: valueAxis('count'),
    series: series.map((s) => ({
      type: 'bar',
      ...(stacked ? { stack: 'all' } : {}),
      name: s.name,
      data: [...s.values],
      barMaxWidth: stacked ? 36 : 14,
      silent: true,
      ...(s.colour ? { itemStyle: { color: s.colour } } : {}),
    })),
  };
  return chartFigure({ id, title, width: CHART_WIDTH, height: 300 + 20 * legendRows }, option, note);
}

/**
 * Horizontal bars of the means, one per category, each labelled `mean [p5, p95]` at its end (or
 * the mean alone for one run): flags, effects, overdue tasks by phase, rungs, grades, items.
 */
export function spreadBarChart(id: string, title: string, rows: readonly SpreadRow[], many: boolean, scale: Scale = 'count', colour: string = PALETTE[0] as string): string {
  const show = format(scale);
  const label = (s: Spread) => (many ? `${show(s.mean)} [${show(s.p5)}, ${show(s.p95)}]` : show(s.mean));
  const widest = Math.max(0, ...rows.map((r) => labelWidth(label(r.spread))));
  const option: ChartOption = {
    grid: { left: 8, right: 16 + widest, top: 8, bottom: 24 },
    xAxis: valueAxis(scale),
    // Best first from the top: the category axis runs upwards, so the rows go in reversed.
    yAxis: { type: 'category', data: rows.map((r) => r.label).reverse(), axisLabel: { interval: 0 }, axisTick: { show: false } },
    series: [
      {
        type: 'bar',
        data: rows.map((r) => ({ value: r.spread.mean, label: { formatter: label(r.spread) } })).reverse(),
        barMaxWidth: 18,
        silent: true,
        itemStyle: { color: colour },
        label: { show: true, position: 'right', color: '#333' },
      },
    ],
  };
  return chartFigure({ id, title, width: CHART_WIDTH, height: 40 + 26 * Math.max(1, rows.length) }, option);
}

/**
 * Grouped horizontal bars, a bar per series in each category: the comparison view (one series per
 * scenario), so scenarios are read side by side on the same axis.
 */
export function groupedBarChart(id: string, title: string, categories: readonly string[], series: readonly Series[], scale: Scale = 'count'): string {
  const option: ChartOption = {
    color: [...PALETTE],
    legend: { ...LEGEND, data: series.map((s) => s.name) },
    grid: { left: 8, right: 56, top: 8, bottom: 48 },
    xAxis: valueAxis(scale),
    yAxis: { type: 'category', data: [...categories].reverse(), axisLabel: { interval: 0 }, axisTick: { show: false } },
    series: series.map((s) => ({
      type: 'bar',
      name: s.name,
      data: [...s.values].reverse(),
      // Bars 18 px apart, so the values at their ends (10 px type) never touch.
      barWidth: 10,
      barGap: '80%',
      silent: true,
      label: { show: true, position: 'right', fontSize: 10, formatter: (p: { value: number | null }) => (p.value === null ? '' : format(scale)(p.value)) },
    })),
  };
  return chartFigure({ id, title, width: CHART_WIDTH, height: 70 + Math.max(1, categories.length) * groupHeight(series.length) }, option);
}

/** The height of one category of a grouped bar chart with `series` bars. */
function groupHeight(series: number): number {
  return 14 + 18 * series;
}

/** How many categories of `series` bars one grouped chart holds and still fits on a printed A4 page. */
export function groupsPerChart(series: number): number {
  return Math.max(1, Math.floor(1080 / groupHeight(series)));
}

/** A paired difference to the baseline, as the comparison's difference chart draws it. */
export interface DifferenceRow {
  readonly label: string;
  readonly mean: number;
  readonly low: number | null;
  readonly high: number | null;
  readonly significant: boolean;
}

/**
 * The differences to the baseline as horizontal bars from 0, each labelled with its 95% interval;
 * significant ones (the interval excludes 0) drawn dark and starred, the others pale.
 */
export function differenceChart(id: string, title: string, rows: readonly DifferenceRow[], scale: Scale = 'count'): string {
  const show = (x: number) => (scale === 'share' ? `${round(x * 100, 2)}%` : String(x));
  const text = (r: DifferenceRow) => `${r.mean > 0 ? '+' : ''}${show(r.mean)}${r.low === null || r.high === null ? '' : ` [${show(r.low)}, ${show(r.high)}]`}${r.significant ? ' *' : ''}`;
  const widest = Math.max(0, ...rows.map((r) => labelWidth(text(r))));
  const option: ChartOption = {
    grid: { left: 8, right: 16 + widest, top: 8, bottom: 24 },
    // Differences may be negative: no floor at 0 and, for shares, no cap at 100%.
    xAxis: { ...valueAxis(scale), ...(scale === 'share' ? { max: undefined } : {}) },
    yAxis: { type: 'category', data: rows.map((r) => r.label).reverse(), axisLabel: { interval: 0 }, axisTick: { show: false } },
    series: [
      {
        type: 'bar',
        silent: true,
        barMaxWidth: 16,
        data: rows
          .map((r) => ({ value: r.mean, itemStyle: { color: r.significant ? '#b8860b' : '#d9d9d9' }, label: { formatter: text(r) } }))
          .reverse(),
        label: { show: true, position: 'right', color: '#333' },
        markLine: { silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: '#666', type: 'solid' }, data: [{ xAxis: 0 }] },
      },
    ],
  };
  return chartFigure({ id, title, width: CHART_WIDTH, height: 40 + 26 * Math.max(1, rows.length) }, option);
}

/**
 * Bands of a ranking (评比) per subject: stacked horizontal bars of the share of runs it ended in
 * the top band, in between, in the bottom band, or unranked; subjects in the order given.
 */
export function bandChart(id: string, title: string, subjects: readonly string[], bands: readonly Series[]): string {
  const option: ChartOption = {
    legend: { ...LEGEND, data: bands.map((b) => b.name) },
    grid: { left: 8, right: 24, top: 8, bottom: 48 },
    xAxis: valueAxis('share'),
    yAxis: { type: 'category', data: [...subjects].reverse(), axisLabel: { interval: 0 }, axisTick: { show: false } },
    series: bands.map((b) => ({
      type: 'bar',
      stack: 'bands',
      name: b.name,
      data: [...b.values].reverse(),
      barMaxWidth: 14,
      silent: true,
      itemStyle: { color: b.colour },
    })),
  };
  return chartFigure({ id, title, width: CHART_WIDTH, height: 70 + 18 * Math.max(1, subjects.length) }, option);
}

/**
 * Where each subject ended in a ranking, over the runs: a heat map of subjects × tenths of the
 * ranking (best first), darker where more runs ended there.
 */
export function decileHeatmap(id: string, title: string, subjects: readonly string[], deciles: readonly (readonly number[])[], headings: readonly string[], note = ''): string {
  const data = deciles.flatMap((row, y) => row.map((share, x) => [x, subjects.length - 1 - y, share]));
  const option: ChartOption = {
    grid: { left: 8, right: 16, top: 8, bottom: 24 },
    xAxis: { type: 'category', data: [...headings], axisLabel: { interval: 0, hideOverlap: true }, splitArea: { show: false } },
    yAxis: { type: 'category', data: [...subjects].reverse(), axisLabel: { interval: 0 }, axisTick: { show: false } },
    // The visual map colours the cells; it is not drawn, as its gradient legend would need a URL reference (the note says what darker means).
    visualMap: { show: false, min: 0, max: 1, inRange: { color: [shade(0), shade(1)] } },
    series: [{ type: 'heatmap', data, silent: true, itemStyle: { borderColor: '#fff', borderWidth: 1 } }],
  };
  return chartFigure({ id, title, width: CHART_WIDTH, height: 40 + 18 * Math.max(1, subjects.length) }, option, note);
}

/** A share of runs (0–1) as a blue from nearly white to dark: the darker, the more often. */
export function shade(share: number): string {
  const s = Math.min(1, Math.max(0, share));
  const mix = (from: number, to: number) => Math.round(from + (to - from) * s).toString(16).padStart(2, '0');
  return `#${mix(0xf4, 0x08)}${mix(0xf8, 0x30)}${mix(0xfc, 0x6b)}`;
}

/** Width of a label in px at 11 px, as ECharts measures without a canvas (an em for CJK, less for ASCII). */
function labelWidth(text: string): number {
  let ems = 0;
  for (const char of text) ems += (char.codePointAt(0) ?? 0) > 0x7e ? 1 : 0.62;
  return Math.ceil(ems * 11);
}
