import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { escapeHtml } from './escape-html.js';
import { estimateTextWidth } from './svg-common.js';

/*
 * ECharts renders the report's charts on the server, to SVG, with no browser and no canvas
 * (`ssr: true`): the page carries the drawing, never the library, so it shows without scripts.
 * `use` registers what the charts need with ECharts itself; this module keeps no state of its own.
 */
echarts.use([BarChart, HeatmapChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, VisualMapComponent, SVGRenderer]);
// Without a canvas ECharts guesses text widths from a table of its own, narrower than the wide sans
// fonts a reader may have (DejaVu Sans): measured with the report's estimate, which errs wide, the
// space it keeps for labels always holds them.
echarts.setPlatformAPI({
  measureText: (text: string, font?: string) => ({ width: estimateTextWidth(text, Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12)) }),
});

/** An ECharts option, as the report's chart builders write it. */
export type ChartOption = echarts.EChartsCoreOption;

/** How big a chart is drawn and what it is called. */
export interface ChartFrame {
  /** Unique in the page, `[a-z0-9-]`: names the figure and prefixes the SVG's own ids. */
  readonly id: string;
  /** The figure's caption, also the SVG's `<title>` for screen readers. */
  readonly title: string;
  readonly width: number;
  readonly height: number;
}

/** The text style every chart uses: the page's fonts (CJK ideographs are measured as one em by ECharts without a canvas). */
export const CHART_TEXT = { fontFamily: 'sans-serif', fontSize: 11, color: '#333' } as const;

/**
 * One chart as a `<figure>` holding an inline `<svg>` drawn by ECharts' server-side renderer,
 * without animation or hover states. The SVG is made deterministic and URL-free: ECharts numbers
 * its renderers (`zr0-`, `zr1-`…) with a counter of its own, so those prefixes become the chart's
 * id; the namespaces (`xmlns`, not needed inline in HTML5), the hover stylesheet and ECharts' event
 * metadata attributes are dropped. The same option and frame give the same string.
 */
export function chartFigure(frame: ChartFrame, option: ChartOption, note = ''): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: frame.width, height: frame.height });
  let svg: string;
  try {
    chart.setOption({ animation: false, textStyle: CHART_TEXT, ...option });
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  const clean = svg
    .replace(/\s(?:xmlns(?::xlink)?|version|baseProfile)="[^"]*"/g, '')
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/\sclass="zr\d+-cls-\d+"/g, '')
    .replace(/\secmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/\spointer-events="[^"]*"/g, '')
    .replace(/zr\d+-/g, `${frame.id}-`)
    .replace(/^<svg([^>]*)>/, `<svg$1 role="img" aria-label="${escapeHtml(frame.title)}"><title>${escapeHtml(frame.title)}</title>`)
    .replace(/\n+/g, '');
  return `<figure class="chart" id="chart-${frame.id}" data-chart="${frame.id}"><figcaption>${escapeHtml(frame.title)}</figcaption>${clean}${note === '' ? '' : `<p class="note">${escapeHtml(note)}</p>`}</figure>`;
}
