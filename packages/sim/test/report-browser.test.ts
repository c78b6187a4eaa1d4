import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateProcessPaths } from '@luoshi/dsl';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compareScenarios, loadScenarioFile, monteCarlo, renderReport, type MonteCarloResult, type ScenarioComparison, type ScenarioFile } from '@luoshi/sim';

/*
 * The report in a real browser: Debian's headless Chromium driven by playwright-core. The string
 * tests (render-report.test.ts) cannot see what only layout shows: a chart drawn with zero size,
 * labels drawn over each other, Chinese drawn as tofu, a chart cut in two by a page break.
 * `test/support/ensure-chromium.sh` installs the browser and the CJK font; without them this file
 * fails, it never skips. Seed 002 with lights declared (so the three-colour sections are drawn),
 * on 8 units of 2 members.
 */

const root = new URL('../../../', import.meta.url).pathname;
const PROCESS = '机关作风建设年';
const CHROMIUM = process.env['LUOSHI_CHROMIUM'] ?? '/usr/bin/chromium';
/** MACHINE.md's flags: no sandbox (root in a container), and nothing that would reach the network. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** A4 in PDF points (1/72 inch): 210 × 297 mm. */
const A4 = { width: 595.28, height: 841.89 };

function definitions() {
  const dir = mkdtempSync(join(tmpdir(), 'luoshi-report-browser-'));
  cpSync(`${root}processes`, dir, { recursive: true });
  const path = join(dir, '002-jiguan-zuofeng.yaml');
  writeFileSync(path, readFileSync(path, 'utf8').replace('subjects: [unit, member]\n', 'subjects: [unit, member]\nlights: { yellowBefore: 3个工作日, blue: true }\n'));
  return validateProcessPaths([dir]);
}

function scenario(name: 'lax' | 'diligent'): ScenarioFile {
  const loaded = loadScenarioFile(`${root}examples/scenarios/002-${name}.yaml`);
  if (!loaded.scenario?.organisation) throw new Error(JSON.stringify(loaded.diagnostics));
  return { ...loaded.scenario, organisation: { ...loaded.scenario.organisation, units: 8, membersPerUnit: 2 } };
}

/** A box in page or viewBox coordinates. */
interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A chart as laid out: its id, its svg's box, and every text drawn in it with its box (page coordinates). */
interface LaidOutChart {
  readonly id: string;
  readonly box: Box;
  readonly texts: readonly (Box & { readonly text: string })[];
}

function laidOutCharts(page: Page, scope = 'body'): Promise<LaidOutChart[]> {
  return page.locator(`${scope} figure.chart`).evaluateAll((figures) =>
    figures.map((figure) => {
      const svg = figure.querySelector('svg') as SVGSVGElement;
      const box = (e: Element) => {
        const b = e.getBoundingClientRect();
        return { x: b.x, y: b.y, width: b.width, height: b.height };
      };
      return {
        id: figure.getAttribute('data-chart') ?? '',
        box: box(svg),
        texts: [...svg.querySelectorAll('text')].filter((t) => (t.textContent ?? '').trim() !== '').map((t) => ({ text: t.textContent ?? '', ...box(t) })),
      };
    }),
  );
}

/** Two boxes overlap by more than a pixel each way. */
const overlap = (a: Box, b: Box) => a.x + 1 < b.x + b.width && b.x + 1 < a.x + a.width && a.y + 1 < b.y + b.height && b.y + 1 < a.y + a.height;

describe('given the HTML report of a Monte Carlo run of seed 002 with lights, and a comparison, loaded in headless Chromium', () => {
  let result: MonteCarloResult;
  let comparison: ScenarioComparison;
  let browser: Browser;
  let page: Page;
  let compared: Page;
  const requests: string[] = [];
  const errors: string[] = [];

  // A failed beforeAll only marks the tests skipped, which the run's `N passed, N failed` line does
  // not count: keep its error and fail every test with it in beforeEach.
  let setupError: unknown;
  beforeEach(() => {
    if (setupError !== undefined) throw setupError;
  });

  beforeAll(async () => {
    try {
      await setUp();
    } catch (error) {
      setupError = error;
    }
  });

  async function open(html: string): Promise<Page> {
    const opened = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    // Every request is recorded and refused: the page must not need one.
    await opened.route('**/*', async (route) => {
      requests.push(route.request().url());
      await route.abort();
    });
    opened.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    opened.on('pageerror', (error) => errors.push(error.message));
    await opened.setContent(html, { waitUntil: 'load' });
    await opened.evaluate(() => document.fonts.ready);
    return opened;
  }

  async function setUp(): Promise<void> {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is missing at ${CHROMIUM}: run \`bash test/support/ensure-chromium.sh\` as root, or apt-get install -y chromium fonts-noto-cjk (or set LUOSHI_CHROMIUM)`);
    }
    const defs = definitions();
    const lax = scenario('lax');
    result = await monteCarlo({ definitions: defs, processId: PROCESS, scenario: lax, runs: 3, seed: 5, threads: 1 });
    comparison = await compareScenarios({ definitions: defs, processId: PROCESS, scenarios: [{ scenario: lax }, { scenario: scenario('diligent') }], runs: 3, seed: 5, threads: 1 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await open(renderReport(result, { scenario: lax }));
    compared = await open(renderReport(comparison.results[0] as MonteCarloResult, { scenario: lax, comparison }));
  }

  afterAll(async () => {
    await browser?.close();
  });

  it('when loaded, then neither page makes a network request or logs a console error', async () => {
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.title()).toContain(result.timeline.campaign);
  });

  it('when laid out, then every section of the summary is there and every chart has a size: timeline, phases, deadlines, overdue, rungs, flags, effects, lights, rankings', async () => {
    const charts = await laidOutCharts(page);
    const ids = charts.map((c) => c.id);
    for (const id of ['gantt', 'phases', 'on-time', 'overdue', 'ladder-climbs', 'ladder-rungs', 'flags', 'effects', 'lights-units', 'lights-tasks', 'bands-1-1', 'deciles-1-1']) expect(ids).toContain(id);
    for (const chart of charts) {
      expect(chart.box.width, chart.id).toBeGreaterThan(300);
      expect(chart.box.height, chart.id).toBeGreaterThan(60);
      expect(chart.texts.length, chart.id).toBeGreaterThan(0);
    }
    for (const id of ['deadline-risk', 'units', 'assumptions']) expect(await page.locator(`section#${id} table tbody tr`).count(), id).toBeGreaterThan(0);
    // The board (三色图) has a row per instance, the office included.
    expect(await page.locator('section#lights table').last().locator('tbody tr').count()).toBe(9);
  });

  it('when laid out, then no two labels of a chart are drawn over each other, and every label lies inside its chart', async () => {
    for (const chart of [...(await laidOutCharts(page)), ...(await laidOutCharts(compared, '#comparison'))]) {
      const { box, texts } = chart;
      for (const [i, a] of texts.entries()) {
        expect(a.width, `${chart.id} ${a.text}`).toBeGreaterThan(0);
        expect(a.x, `${chart.id} ${a.text}`).toBeGreaterThanOrEqual(box.x - 1);
        expect(a.x + a.width, `${chart.id} ${a.text}`).toBeLessThanOrEqual(box.x + box.width + 1);
        for (const b of texts.slice(i + 1)) expect(overlap(a, b), `${chart.id}: "${a.text}" over "${b.text}"`).toBe(false);
      }
    }
  });

  it('when the months are labelled, then each label is a whole YYYY-MM and they stand left to right without touching', async () => {
    const phases = (await laidOutCharts(page)).find((c) => c.id === 'phases') as LaidOutChart;
    const months = phases.texts.filter((t) => /^\d{4}-\d\d$/.test(t.text)).sort((a, b) => a.x - b.x);
    expect(months.map((m) => m.text)).toEqual(result.monthly.map((m) => m.month));
    for (const [i, m] of months.slice(1).entries()) expect(m.x).toBeGreaterThan((months[i] as Box).x + (months[i] as Box).width);
  });

  it('when the Gantt is laid out, then it draws a bar per phase and a diamond per deadline inside it, right of the label column, and no label leaves the column', async () => {
    const gantt = await page.locator('figure[data-chart="gantt"] svg').evaluate((svg: SVGSVGElement) => {
      const box = (e: SVGGraphicsElement) => {
        const b = e.getBBox();
        return { x: b.x, y: b.y, width: b.width, height: b.height };
      };
      return {
        view: { width: svg.viewBox.baseVal.width, height: svg.viewBox.baseVal.height },
        bars: [...svg.querySelectorAll('rect')].map(box),
        diamonds: [...svg.querySelectorAll('path')].map(box),
        labels: [...svg.querySelectorAll('text[text-anchor="end"]')].map((t) => ({ text: t.textContent ?? '', ...box(t as SVGGraphicsElement) })),
      };
    });
    expect(gantt.bars).toHaveLength(result.timeline.phases.length);
    expect(gantt.diamonds).toHaveLength(result.timeline.deadlines.length);
    const column = Math.min(...gantt.bars.map((b) => b.x));
    expect(column).toBeGreaterThanOrEqual(200);
    for (const b of [...gantt.bars, ...gantt.diamonds]) {
      expect(b.width).toBeGreaterThan(0);
      expect(b.x).toBeGreaterThanOrEqual(column - 5);
      expect(b.x + b.width).toBeLessThanOrEqual(gantt.view.width);
      expect(b.y + b.height).toBeLessThanOrEqual(gantt.view.height);
    }
    expect(gantt.labels).toHaveLength(result.timeline.phases.length + result.timeline.deadlines.length);
    for (const l of gantt.labels) {
      expect(l.x, l.text).toBeGreaterThanOrEqual(0);
      expect(l.x + l.width, l.text).toBeLessThanOrEqual(column);
    }
  });

  it('when a heading of the units table is clicked and a unit is searched, then the rows sort by it and the others hide, without a server', async () => {
    const table = page.locator('#units-table');
    const column = (await table.locator('thead th').allTextContents()).findIndex((h) => h.endsWith('平均名次'));
    expect(column).toBeGreaterThan(0);
    const values = async () => (await table.locator(`tbody tr td:nth-child(${column + 1})`).evaluateAll((cells) => cells.map((c) => c.getAttribute('data-v')))).filter((v) => v !== '').map(Number);
    await table.locator('thead th').nth(column).click();
    const ascending = await values();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    await table.locator('thead th').nth(column).click();
    const descending = await values();
    expect(descending).toEqual([...ascending].sort((a, b) => b - a));
    await page.locator('input.filter[data-table="units-table"]').fill('u03');
    expect(await table.locator('tbody tr:not([hidden])').allTextContents()).toEqual([expect.stringMatching(/^u03/)]);
    await page.locator('input.filter[data-table="units-table"]').fill('');
    expect(await table.locator('tbody tr:not([hidden])').count()).toBe(8);
  });

  it('when the comparison view is laid out, then it draws the scenarios side by side and the significant differences, with the table after them', async () => {
    const charts = await laidOutCharts(compared, '#comparison');
    const ids = charts.map((c) => c.id);
    // Each kind of figure in one chart or, when longer than a printed page holds, several (`compare-on-time-1`, `-2`…).
    for (const kind of ['compare-on-time', 'compare-never-done', 'compare-overdue', 'compare-flags', 'compare-effects']) expect(ids.some((id) => id === kind || id.startsWith(`${kind}-`)), kind).toBe(true);
    // The significant differences of a kind follow its means: on-time rates here (diligent's tasks are done sooner).
    const onTimeDifferences = comparison.metrics.filter((m) => m.key[0] === 'deadlines' && m.key[2] === 'onTimeRate' && m.differences[1]?.significant).length;
    expect(onTimeDifferences).toBeGreaterThan(0);
    expect(ids.filter((id) => id.startsWith('difference-on-time-1')).length).toBe(Math.ceil(onTimeDifferences / 30));
    // Each scenario is a legend entry of the side-by-side charts.
    const onTime = charts.find((c) => c.id.startsWith('compare-on-time')) as LaidOutChart;
    for (const s of comparison.scenarios) expect(onTime.texts.some((t) => t.text.startsWith(s))).toBe(true);
    expect(await compared.locator('#comparison-table tbody tr').count()).toBeGreaterThan(10);
  });

  it('when laid out, then the Chinese text is drawn with a CJK font, not as tofu boxes', async () => {
    // Which fonts Chromium really drew the campaign title with (DevTools protocol): a CJK family, not a fallback.
    const cdp = await page.context().newCDPSession(page);
    const { root: domRoot } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: domRoot.nodeId, selector: 'h1' });
    await cdp.send('CSS.enable');
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    expect(fonts.map((f) => f.familyName)).toContainEqual(expect.stringMatching(/CJK/));
    // Tofu draws every missing glyph as the same box: two different ideographs in the page's font must differ in pixels.
    const glyphs = await page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 48;
      canvas.height = 48;
      const context = canvas.getContext('2d') as CanvasRenderingContext2D;
      context.font = `40px ${getComputedStyle(document.body).fontFamily}`;
      const draw = (text: string) => {
        context.clearRect(0, 0, 48, 48);
        context.fillText(text, 4, 40);
        return Array.from(context.getImageData(0, 0, 48, 48).data).join(',');
      };
      return { 机: draw('机'), 关: draw('关'), blank: draw(' ') };
    });
    expect(glyphs.机).not.toBe(glyphs.blank);
    expect(glyphs.机).not.toBe(glyphs.关);
  });

  it('when printed to PDF on A4, then every page is A4, every chart lies whole on one page (its caption and its lowest label on the same page), and the pages are as many as the content needs', async () => {
    // The English page: its captions (`Figure 7.`) and axis labels are ASCII, which a PDF's text reads back exactly.
    const english = await open(renderReport(comparison.results[0] as MonteCarloResult, { scenario: scenario('lax'), comparison, lang: 'en' }));
    // Each chart's lowest label with an ASCII run of 4 or more characters (an axis tick, a month, a date).
    const charts = await english.locator('figure.chart').evaluateAll((figures) =>
      figures.map((figure) => {
        const caption = figure.querySelector('figcaption')?.textContent ?? '';
        const labels = [...figure.querySelectorAll('svg text')]
          .map((t) => ({ run: (t.textContent ?? '').match(/[\x21-\x7e][\x20-\x7e]{2,}[\x21-\x7e]/)?.[0], bottom: t.getBoundingClientRect().bottom }))
          .filter((l): l is { run: string; bottom: number } => l.run !== undefined)
          .sort((a, b) => b.bottom - a.bottom);
        return { number: caption.match(/^Figure (\d+)\./)?.[1] ?? '', lowest: labels[0]?.run ?? '' };
      }),
    );
    // The print layout as one long page: A4's printable width (210 − 24 mm at 96 px an inch), print styles.
    await english.setViewportSize({ width: Math.round(((210 - 24) / 25.4) * 96), height: 900 });
    await english.emulateMedia({ media: 'print' });
    const contentHeight = await english.evaluate(() => document.documentElement.scrollHeight);
    // Nothing is wider than the page, so Chromium prints it at full size rather than shrinking every page.
    expect(await english.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(Math.round(((210 - 24) / 25.4) * 96));
    const pdf = await english.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    await english.close();
    const pdfDocument = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
    // Each page's text items top to bottom, with their height on the page.
    const pages: { str: string; y: number }[][] = [];
    for (let i = 1; i <= pdfDocument.numPages; i++) {
      const p = await pdfDocument.getPage(i);
      const [, , width = 0, height = 0] = p.view;
      expect(width).toBeCloseTo(A4.width, 0);
      expect(height).toBeCloseTo(A4.height, 0);
      const content = await p.getTextContent();
      pages.push(content.items.flatMap((item) => ('str' in item && item.str.trim() !== '' ? [{ str: item.str, y: height - (item.transform[5] as number) }] : [])).sort((a, b) => a.y - b.y));
    }
    expect(charts.length).toBeGreaterThan(20);
    for (const [i, chart] of charts.entries()) {
      expect(chart.number).toBe(String(i + 1));
      const caption = (item: { str: string }) => item.str.startsWith(`Figure ${chart.number}.`);
      const on = pages.flatMap((items, p) => (items.some(caption) ? [p] : []));
      expect(on, `Figure ${chart.number}`).toHaveLength(1);
      const items = pages[on[0] as number] ?? [];
      const top = items.find(caption)?.y ?? 0;
      // The chart ends before the next caption on the page, if any.
      const next = items.find((item) => item.y > top && /^Figure \d+\./.test(item.str))?.y ?? Infinity;
      expect(chart.lowest, `Figure ${chart.number}`).not.toBe('');
      expect(
        items.some((item) => item.y > top && item.y < next && item.str.includes(chart.lowest)),
        `Figure ${chart.number}: "${chart.lowest}" is not on the caption's page`,
      ).toBe(true);
    }
    // A4's printable height (297 − 28 mm): at least the print layout's height in pages, and no more than
    // one page per chart beyond it (a chart that does not fit a page's rest moves to the next).
    const printable = ((297 - 28) / 25.4) * 96;
    expect(pdfDocument.numPages).toBeGreaterThanOrEqual(Math.floor(contentHeight / printable));
    expect(pdfDocument.numPages).toBeLessThanOrEqual(Math.ceil(contentHeight / printable) + charts.length);
  });
});
