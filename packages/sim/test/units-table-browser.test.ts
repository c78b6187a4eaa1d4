import { existsSync } from 'node:fs';
import { parseProcessText, validateParsedFiles } from '@luoshi/dsl';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monteCarlo, renderReport, validateScenarioText, type ScenarioFile } from '@luoshi/sim';
import { UNIT_OUTCOMES_CAMPAIGN, UNIT_OUTCOMES_SCENARIO } from '../../../test/support/unit-outcomes-campaign.js';

/*
 * The unit table (各单位一览) in a real browser (Debian's headless Chromium, as report-browser.test.ts;
 * without it this file fails, it never skips), on the campaign of test/support/unit-outcomes-campaign.ts
 * counted by hand: u01 on time, u02 always 5 days late, u03 never done. The page sorts and filters
 * the rows by itself, no server.
 */

const CHROMIUM = process.env['LUOSHI_CHROMIUM'] ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('given the report of three units counted by hand, in a browser', () => {
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: run \`bash test/support/ensure-chromium.sh\` as root (or set LUOSHI_CHROMIUM)`);
    const definitions = validateParsedFiles([parseProcessText(UNIT_OUTCOMES_CAMPAIGN, 'c.yaml')]);
    const scenario = validateScenarioText(UNIT_OUTCOMES_SCENARIO, 's.yaml').scenario as ScenarioFile;
    const result = await monteCarlo({ definitions, processId: '单位结果', scenario, runs: 3, threads: 1 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.route('**/*', (route) => route.abort());
    await page.setContent(renderReport(result, { lang: 'zh' }), { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  const table = () => page.locator('#units-table');
  const rows = async () => (await table().locator('tbody tr:not([hidden])').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''))));

  it('when laid out, then the table has the columns in Chinese with their units, the units most at risk first, with the hand figures', async () => {
    const headings = await table().locator('thead th').allTextContents();
    expect(headings).toEqual([
      '单位',
      '按时完成任务（平均，个）',
      '逾期完成任务（平均，个）',
      '逾期未完成任务（平均，个）',
      '期末未到期任务（平均，个）',
      '有任务逾期未完成的概率',
      '有任务逾期的概率（含逾期完成）',
      '逾期完成天数合计（平均，天）',
      '最长逾期完成天数（平均，天）',
      '期末被标记“通报”的概率',
      '受到诫勉谈话的概率',
      '受到通报批评的概率',
      '逾期：到达第 1 级的概率',
      '逾期：到达第 2 级的概率',
    ]);
    expect(await rows()).toEqual([
      ['u03', '0', '0', '1', '0', '100.0%', '100.0%', '0', '0', '100.0%', '100.0%', '100.0%', '100.0%', '0.0%'],
      ['u02', '0', '1', '0', '0', '0.0%', '100.0%', '5', '5', '100.0%', '100.0%', '100.0%', '100.0%', '0.0%'],
      ['u01', '1', '0', '0', '0', '0.0%', '0.0%', '0', '0', '0.0%', '0.0%', '0.0%', '0.0%', '0.0%'],
    ]);
  });

  it('when the days-late heading is clicked and a unit searched, then the rows sort by it and the others hide', async () => {
    const column = (await table().locator('thead th').allTextContents()).indexOf('逾期完成天数合计（平均，天）');
    await table().locator('thead th').nth(column).click();
    const first = (await rows()).map((r) => r[column]);
    expect(first).toEqual([...first].sort((a, b) => Number(a) - Number(b)));
    await table().locator('thead th').nth(column).click();
    expect((await rows())[0]?.[0]).toBe('u02');
    await page.locator('input.filter[data-table="units-table"]').fill('u01');
    expect((await rows()).map((r) => r[0])).toEqual(['u01']);
  });

  it('when printed, then the wide table gives way to tables of at most 6 columns besides the unit, each with every unit, and nothing is wider than A4', async () => {
    const printable = Math.round(((210 - 24) / 25.4) * 96);
    await page.setViewportSize({ width: printable, height: 900 });
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#units-table').isVisible()).toBe(false);
    const parts = page.locator('section#units .print-only table');
    // 13 columns besides the unit: 6 + 6 + 1.
    expect(await parts.evaluateAll((tables) => tables.map((t) => t.querySelectorAll('thead th').length))).toEqual([7, 7, 2]);
    expect(await parts.evaluateAll((tables) => tables.map((t) => [...t.querySelectorAll('tbody tr td:first-child')].map((td) => td.textContent)))).toEqual([
      ['u03', 'u02', 'u01'],
      ['u03', 'u02', 'u01'],
      ['u03', 'u02', 'u01'],
    ]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(printable);
  });
});
