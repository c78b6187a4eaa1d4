import { existsSync } from 'node:fs';
import { validateProcessPaths } from '@luoshi/dsl';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadScenarioFile, monteCarlo, renderReport, type MonteCarloResult, type ScenarioFile } from '@luoshi/sim';

/*
 * The report in a real browser: Debian's headless Chromium driven by playwright-core. The string
 * tests (render-report.test.ts) cannot see what only layout shows: a chart drawn with zero size,
 * a label running out of its column, Chinese drawn as tofu. `test/support/ensure-chromium.sh`
 * installs the browser and the CJK font; without them this file fails, it never skips.
 */

const root = new URL('../../../', import.meta.url).pathname;
const definitions = validateProcessPaths([`${root}processes/`]);
const PROCESS = '机关作风建设年';
const CHROMIUM = process.env['LUOSHI_CHROMIUM'] ?? '/usr/bin/chromium';
/** MACHINE.md's flags: no sandbox (root in a container), and nothing that would reach the network. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function scenario(): ScenarioFile {
  const loaded = loadScenarioFile(`${root}examples/scenarios/002-lax.yaml`);
  if (!loaded.scenario?.organisation) throw new Error(JSON.stringify(loaded.diagnostics));
  return { ...loaded.scenario, organisation: { ...loaded.scenario.organisation, units: 8, membersPerUnit: 2 } };
}

/** A box in the coordinates of its svg's viewBox. */
interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A drawn label: its text and box. */
interface Label extends Box {
  readonly text: string;
}

/** A chart's label column: where it ends (the first bar, guide line or heat cell) and the right-aligned labels in it. */
interface LabelColumn {
  readonly column: number;
  readonly labels: readonly Label[];
}

/** Every chart's label column, measured in the browser in the coordinates of its svg. */
function labelColumns(page: Page): Promise<LabelColumn[]> {
  return page.locator('svg').evaluateAll((svgs) =>
    svgs.map((svg) => ({
      column: Math.min(...[...svg.querySelectorAll('rect, line')].map((e) => (e as SVGGraphicsElement).getBBox().x)),
      labels: [...svg.querySelectorAll('text[text-anchor="end"]')].map((t) => {
        const b = (t as SVGTextElement).getBBox();
        return { text: t.textContent ?? '', x: b.x, y: b.y, width: b.width, height: b.height };
      }),
    })),
  );
}

/** Each label is drawn, starts inside the svg and ends before its column does. */
function expectInside({ column, labels }: LabelColumn): void {
  expect(labels.length).toBeGreaterThan(0);
  for (const label of labels) {
    expect(label.width, label.text).toBeGreaterThan(0);
    expect(label.x, label.text).toBeGreaterThanOrEqual(0);
    expect(label.x + label.width, label.text).toBeLessThanOrEqual(column);
  }
}

describe('given the HTML report of a Monte Carlo run of seed 002, loaded in headless Chromium', () => {
  let result: MonteCarloResult;
  let browser: Browser;
  let page: Page;
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

  async function setUp(): Promise<void> {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is missing at ${CHROMIUM}: run \`bash test/support/ensure-chromium.sh\` as root, or apt-get install -y chromium fonts-noto-cjk (or set LUOSHI_CHROMIUM)`);
    }
    const s = scenario();
    result = await monteCarlo({ definitions, processId: PROCESS, scenario: s, runs: 3, seed: 5, threads: 1 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    // Every request is recorded and refused: the page must not need one.
    await page.route('**/*', async (route) => {
      requests.push(route.request().url());
      await route.abort();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.setContent(renderReport(result, { scenario: s }), { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
  }

  afterAll(async () => {
    await browser?.close();
  });

  it('when loaded, then it makes no network request and logs no console error', async () => {
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.title()).toContain(result.timeline.campaign);
  });

  it('when laid out, then every inline svg (timeline, two bar charts, one per ranking) has a non-zero bounding box', async () => {
    const boxes = await page.locator('svg').evaluateAll((svgs) => svgs.map((svg) => svg.getBoundingClientRect().toJSON() as Box));
    expect(boxes).toHaveLength(3 + Object.keys(result.rankings).length);
    for (const box of boxes) {
      expect(box.width).toBeGreaterThan(100);
      expect(box.height).toBeGreaterThan(20);
    }
  });

  it('when laid out, then the Gantt draws a bar of positive width per phase and a diamond per deadline, all inside the svg and right of the label column', async () => {
    const gantt = await page.locator('svg').first().evaluate((svg) => {
      const box = (e: SVGGraphicsElement) => {
        const b = e.getBBox();
        return { x: b.x, y: b.y, width: b.width, height: b.height };
      };
      return {
        view: { width: svg.viewBox.baseVal.width, height: svg.viewBox.baseVal.height },
        bars: [...svg.querySelectorAll('rect')].map(box),
        diamonds: [...svg.querySelectorAll('path')].map(box),
      };
    });
    expect(gantt.bars).toHaveLength(result.timeline.phases.length);
    expect(gantt.diamonds).toHaveLength(result.timeline.deadlines.length);
    const column = Math.min(...gantt.bars.map((b) => b.x));
    expect(column).toBeGreaterThanOrEqual(200);
    for (const b of gantt.bars) {
      expect(b.width).toBeGreaterThan(1);
      expect(b.height).toBeGreaterThan(0);
      expect(b.x + b.width).toBeLessThanOrEqual(gantt.view.width);
      expect(b.y + b.height).toBeLessThanOrEqual(gantt.view.height);
    }
    for (const d of gantt.diamonds) {
      expect(d.width).toBeGreaterThan(0);
      expect(d.height).toBeGreaterThan(0);
      expect(d.x).toBeGreaterThanOrEqual(column - 5);
      expect(d.x + d.width).toBeLessThanOrEqual(gantt.view.width);
      expect(d.y + d.height).toBeLessThanOrEqual(gantt.view.height);
    }
  });

  it('when laid out, then no Gantt or rank label runs out of its column, and the phase titles are drawn with a width', async () => {
    const charts = await labelColumns(page);
    const gantt = charts[0] as LabelColumn;
    expect(gantt.labels).toHaveLength(result.timeline.phases.length + result.timeline.deadlines.length);
    for (const phase of result.timeline.phases) {
      const label = gantt.labels.find((l) => l.text.startsWith(phase.title));
      expect(label, phase.title).toBeDefined();
      // A CJK character is an em wide: a title drawn at font size 11 takes about 11 px per character.
      expect(label?.width ?? 0).toBeGreaterThan(phase.title.length * 8);
    }
    const rankCharts = charts.slice(3);
    expect(rankCharts).toHaveLength(Object.keys(result.rankings).length);
    for (const chart of [gantt, ...rankCharts]) expectInside(chart);
  });

  it("when the deadlines carry seed 000's longest title and a long Latin one, then their cut labels still fit the column", async () => {
    const titles = ['形成单位对照检查材料，征求上级部门、下级单位、职工群众和服务对象意见', 'Weekly WWW MMM review of the Working Methods Manual with all members and their managers'];
    const long: MonteCarloResult = { ...result, timeline: { ...result.timeline, deadlines: result.timeline.deadlines.map((d, i) => ({ ...d, title: titles[i] ?? d.title })) } };
    const other = await browser.newPage();
    try {
      await other.setContent(renderReport(long), { waitUntil: 'load' });
      await other.evaluate(() => document.fonts.ready);
      const gantt = (await labelColumns(other))[0] as LabelColumn;
      expect(gantt.labels.filter((l) => l.text.includes('…')).length).toBeGreaterThanOrEqual(2);
      expectInside(gantt);
    } finally {
      await other.close();
    }
  });

  it('when laid out, then the units-per-phase chart stacks segments of positive size for every month and the ladder chart draws climbs', async () => {
    const stacks = await page.locator('svg').evaluateAll((svgs) =>
      svgs.slice(1, 3).map((svg) =>
        // Segments carry a tooltip; the legend's swatches do not.
        [...svg.querySelectorAll('rect')]
          .filter((r) => r.querySelector('title') !== null)
          .map((r) => {
            const b = r.getBBox();
            return { x: b.x, y: b.y, width: b.width, height: b.height };
          }),
      ),
    );
    const [phases, ladders] = stacks as [Box[], Box[]];
    const columns = new Set(phases.map((b) => Math.round(b.x)));
    expect(columns.size).toBe(result.monthly.length);
    for (const b of phases) {
      expect(b.width).toBeGreaterThan(1);
      expect(b.height).toBeGreaterThan(0);
    }
    // Stacked, not overlapping: within a column the segments' heights add up to the column's height.
    for (const x of columns) {
      const column = phases.filter((b) => Math.round(b.x) === x);
      const top = Math.min(...column.map((b) => b.y));
      const bottom = Math.max(...column.map((b) => b.y + b.height));
      expect(column.reduce((a, b) => a + b.height, 0)).toBeCloseTo(bottom - top, 0);
    }
    expect(ladders.length).toBeGreaterThan(0);
    for (const b of ladders) expect(b.width * b.height).toBeGreaterThan(0);
  });

  it('when laid out, then the Chinese text is drawn with a CJK font, not as tofu boxes', async () => {
    // Which fonts Chromium really drew the campaign title with (DevTools protocol): a CJK family, not a fallback.
    const cdp = await page.context().newCDPSession(page);
    const { root: document } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: document.nodeId, selector: 'h1' });
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
});
