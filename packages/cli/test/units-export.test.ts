import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { EXIT, runCli } from '../src/run-cli.js';
import { UNIT_OUTCOMES_CAMPAIGN, UNIT_OUTCOMES_SCENARIO } from '../../../test/support/unit-outcomes-campaign.js';

/*
 * units.csv, the workbook's units sheet and the text summary's units most at risk (issue 21), on
 * the campaign of test/support/unit-outcomes-campaign.ts: u01 does its one task on time, u02 always
 * 5 days late, u03 never; the late and the undone are flagged 通报, criticised, admonished and reach
 * the first rung of 逾期 — the same in every run, so every mean and chance is a hand figure.
 */

const dir = mkdtempSync(join(tmpdir(), 'luoshi-units-export-'));
// The campaign alone in its folder: the command reads a process file's neighbours too.
mkdirSync(join(dir, 'process'));
const campaign = join(dir, 'process', 'campaign.yaml');
const scenario = join(dir, 'scenario.yaml');
writeFileSync(campaign, UNIT_OUTCOMES_CAMPAIGN);
writeFileSync(scenario, UNIT_OUTCOMES_SCENARIO);

/** units.csv read back: no cell here needs quoting (checked: no quote in the file). */
function readCsv(path: string): string[][] {
  const text = readFileSync(path, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text).not.toContain('"');
  return text
    .slice(1)
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => line.split(','));
}

describe('given luoshi simulate --out on a campaign counted by hand', () => {
  it('when it runs 3 times, then units.csv and the units sheet have the hand figures per unit, and the summary lists the units most at risk first', async () => {
    const out = join(dir, 'out');
    const xlsx = join(dir, 'units.xlsx');
    let stdout = '';
    let stderr = '';
    const code = await runCli(['simulate', campaign, '--scenario', scenario, '--runs', '3', '--threads', '1', '--out', out, '--xlsx', xlsx], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: { LANG: 'C' },
    });
    expect(stderr).toBe('');
    expect(code).toBe(EXIT.ok);

    const header = ['scenario', 'unit', 'tasks:onTime', 'tasks:late', 'tasks:overdue', 'tasks:open', 'overdueChance', 'missedChance', 'daysLate', 'maxDaysLate', 'flag:通报', 'effect:admonish', 'effect:criticise', 'ladder:逾期:1', 'ladder:逾期:2'];
    const rows = [
      ['三类单位', 'u01', '1', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'],
      ['三类单位', 'u02', '0', '1', '0', '0', '0', '1', '5', '5', '1', '1', '1', '1', '0'],
      ['三类单位', 'u03', '0', '0', '1', '0', '1', '1', '0', '0', '1', '1', '1', '1', '0'],
    ];
    expect(readCsv(join(out, 'units.csv'))).toEqual([header, ...rows]);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const sheet = book.getWorksheet('units');
    expect(sheet?.getRow(1).values).toEqual([undefined, ...header]);
    expect(sheet?.getRow(3).values).toEqual([undefined, '三类单位', 'u02', 0, 1, 0, 0, 0, 1, 5, 5, 1, 1, 1, 1, 0]);

    // results.csv: the deadline's days late, per run and pooled.
    const results = readFileSync(join(out, 'results.csv'), 'utf8');
    expect(results).toContain('\r\n三类单位,deadlines.daysLate,报送方案,5,5,5\r\n');
    expect(results).toContain('\r\n三类单位,deadlines.daysLatePerLate,报送方案,5,,\r\n');
    expect(results).toContain('\r\n三类单位,deadlines.daysLatePerTask,报送方案,1.6667,,\r\n');

    // The summary: never done first, then late, then on time.
    const lines = stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Units most at risk'));
    expect(at).toBeGreaterThan(-1);
    const listed = lines.slice(at + 1).filter((l) => /^u0\d/.test(l.trim())).slice(0, 3);
    expect(listed.map((l) => l.trim().split(/\s{2,}/))).toEqual([
      ['u03', '100.0%', '1 [1, 1]', '100.0%', '0 [0, 0]'],
      ['u02', '0.0%', '0 [0, 0]', '100.0%', '5 [5, 5]'],
      ['u01', '0.0%', '0 [0, 0]', '0.0%', '0 [0, 0]'],
    ]);
  });
});
