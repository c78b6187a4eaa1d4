// Regenerates the pictures of the report in docs/img/, photographed by the same headless Chromium
// the browser test uses, so docs/simulation.md shows what the code draws today:
// - simulation-report.png: the top of the HTML report of seed 002's baseline scenario (10 runs):
//   header, timeline, units per phase, deadlines;
// - simulation-comparison.png: the comparison view of seed 000's lax and diligent scenarios (10 runs each).
// Run after `npx tsc -b`:
//   node packages/sim/scripts/screenshot-report.mjs [out-dir]
// Needs /usr/bin/chromium and fonts-noto-cjk (test/support/ensure-chromium.sh), or LUOSHI_CHROMIUM.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateProcessPaths } from '@luoshi/dsl';
import { compareScenarios, loadScenarioFile, monteCarlo, renderReport } from '@luoshi/sim';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const out = process.argv[2] ?? `${root}docs/img`;
const executablePath = process.env.LUOSHI_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`Chromium is missing at ${executablePath}: run \`bash test/support/ensure-chromium.sh\` as root`);
  process.exit(1);
}

const definitions = validateProcessPaths([`${root}processes/`]);
const load = (file) => {
  const loaded = loadScenarioFile(`${root}examples/scenarios/${file}`);
  if (!loaded.ok || !loaded.scenario) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded;
};
const baseline = load('002-baseline.yaml');
const result = await monteCarlo({ definitions, processId: baseline.scenario.process, scenario: baseline.scenario, runs: 10, threads: 2 });
// maxStrips 20 keeps the 73-unit ranking short; the page is otherwise the CLI's.
const report = renderReport(result, { scenario: baseline.scenario, maxStrips: 20 });
const [lax, diligent] = [load('000-lax.yaml'), load('000-diligent.yaml')];
const comparison = await compareScenarios({
  definitions,
  processId: lax.scenario.process,
  scenarios: [lax, diligent].map((l) => ({ scenario: l.scenario, ...(l.organisation ? { organisation: l.organisation } : {}) })),
  runs: 10,
  threads: 2,
});
const compared = renderReport(comparison.results[0], { scenario: lax.scenario, comparison });

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
mkdirSync(out, { recursive: true });
/** Photographs `html` from its top to the end of the element `until` (a CSS selector). */
async function photograph(html, until, file) {
  const page = await browser.newPage({ viewport: { width: 1040, height: 800 } });
  await page.setContent(html, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
  const bottom = await page.locator(until).first().evaluate((e) => e.getBoundingClientRect().bottom + window.scrollY);
  await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width: 1040, height: Math.ceil(bottom) + 16 } });
  await page.close();
  console.log(`wrote ${file} (${Math.round(statSync(file).size / 1024)} KB)`);
}
try {
  await photograph(report, '#chart-on-time', join(out, 'simulation-report.png'));
  await photograph(compared, 'figure[data-chart^="difference-on-time"]', join(out, 'simulation-comparison.png'));
} finally {
  await browser.close();
}
