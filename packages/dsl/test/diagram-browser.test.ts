import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMermaid } from '../src/diagram/render-mermaid.js';
import { validateProcessPaths } from '../src/validate/validate-processes.js';

/*
 * The diagrams as Mermaid itself lays them out, in Debian's headless Chromium (see
 * test/support/ensure-chromium.sh; without the browser this file fails, it never skips). What a
 * reader sees depends on the layout, not on the text: Mermaid shrinks a drawing wider than the page
 * to fit it, so a drawing several pages wide is unreadable at the size a page or an editor preview
 * shows it. The bound is a 1,024-px page: at that width the drawing is shown at its own size.
 */

const result = validateProcessPaths([fileURLToPath(new URL('../../../processes/', import.meta.url))]);
const MERMAID = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
const CHROMIUM = process.env['LUOSHI_CHROMIUM'] ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PAGE_WIDTH = 1024;

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  page = await browser.newPage();
  await page.setContent('<html><body></body></html>');
  await page.addScriptTag({ path: MERMAID });
  await page.evaluate(() => (window as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({ startOnLoad: false }));
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

/** The drawing's own size (its viewBox) and how many states it drew, as Mermaid renders the text. */
async function layout(text: string): Promise<{ width: number; height: number; states: number }> {
  return page.evaluate(async (source) => {
    const mermaid = (window as unknown as { mermaid: { render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
    const { svg } = await mermaid.render(`d${Math.random().toString(36).slice(2)}`, source);
    const holder = document.createElement('div');
    holder.innerHTML = svg;
    document.body.appendChild(holder);
    const element = holder.querySelector('svg') as SVGSVGElement;
    const box = element.viewBox.baseVal;
    const states = element.querySelectorAll('g.node, g.cluster').length;
    holder.remove();
    return { width: box.width, height: box.height, states };
  }, text);
}

describe('diagrams as Mermaid lays them out', () => {
  const campaigns = [...result.campaigns.values()];

  it('every bundled campaign’s default diagram fits a 1,024-px page at its own size, in both languages', async () => {
    expect(campaigns.length).toBe(3);
    for (const campaign of campaigns) {
      for (const lang of ['zh', 'en'] as const) {
        const drawn = await layout(renderMermaid(campaign, result.subprocesses, { lang }));
        expect({ campaign: campaign.id, lang, fits: drawn.width <= PAGE_WIDTH }).toEqual({ campaign: campaign.id, lang, fits: true });
        expect(drawn.states).toBeGreaterThan(campaign.phases.length);
      }
    }
  }, 120_000);

  it('seed 002 in full is several pages wide, which is why the overview is the default; each phase alone still renders', async () => {
    const campaign = result.campaigns.get('机关作风建设年');
    if (!campaign) throw new Error('seed 002 missing');
    const full = await layout(renderMermaid(campaign, result.subprocesses, { view: 'full' }));
    const overview = await layout(renderMermaid(campaign, result.subprocesses));
    expect(full.width).toBeGreaterThan(3 * PAGE_WIDTH);
    // The full drawing holds every state of the overview and the loops and nested parts besides.
    expect(full.states).toBeGreaterThan(overview.states);
    for (const phase of campaign.phases) {
      const one = await layout(renderMermaid(campaign, result.subprocesses, { phase: phase.id }));
      expect(one.states).toBeGreaterThan(0);
    }
  }, 120_000);
});
