// Regenerates docs/img/simulation-report.png: the HTML report of seed 002's baseline scenario
// (10 runs), photographed full page by the same headless Chromium the browser test uses, so the
// picture in docs/simulation.md shows what the code draws today. Run after `npx tsc -b`:
//   node packages/sim/scripts/screenshot-report.mjs [out.png]
// Needs /usr/bin/chromium and fonts-noto-cjk (test/support/ensure-chromium.sh), or LUOSHI_CHROMIUM.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateProcessPaths } from '@luoshi/dsl';
import { loadScenarioFile, monteCarlo, renderReport } from '@luoshi/sim';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const out = process.argv[2] ?? `${root}docs/img/simulation-report.png`;
const executablePath = process.env.LUOSHI_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`Chromium is missing at ${executablePath}: run \`bash test/support/ensure-chromium.sh\` as root`);
  process.exit(1);
}

const definitions = validateProcessPaths([`${root}processes/`]);
const loaded = loadScenarioFile(`${root}examples/scenarios/002-baseline.yaml`);
if (!loaded.ok || !loaded.scenario) throw new Error(JSON.stringify(loaded.diagnostics));
const result = await monteCarlo({ definitions, processId: loaded.scenario.process, scenario: loaded.scenario, ...(loaded.organisation ? { organisation: loaded.organisation } : {}), runs: 10, threads: 2 });
// maxStrips 20 keeps the 73-unit ranking short enough for a picture; the page is otherwise the CLI's.
const html = renderReport(result, { scenario: loaded.scenario, maxStrips: 20 });

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1040, height: 800 } });
  await page.setContent(html, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out, fullPage: true });
} finally {
  await browser.close();
}
console.log(`wrote ${out} (${Math.round(statSync(out).size / 1024)} KB)`);
