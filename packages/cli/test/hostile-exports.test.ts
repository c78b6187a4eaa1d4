import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { resultRows, toCsv, type MonteCarloResult } from '@luoshi/sim';
import { EXIT } from '../src/run-cli.js';
import { writeWorkbook } from '../src/simulation-exports.js';
import { root } from '../../../test/support/campaign-harness.js';
import { runLuoshi } from '../../../test/support/run-luoshi.js';

/*
 * CSV and workbook exports of names chosen by someone hostile (OWASP "CSV injection"): a cell a
 * spreadsheet would run as a formula must reach it as text. In CSV a leading apostrophe says so;
 * in a workbook a cell is text or formula by its type, so text is written as text.
 */

const campaign = join(root, 'processes/002-jiguan-zuofeng.yaml');

describe('given text cells that a spreadsheet would read as a formula or a command', () => {
  it('when a cell starts with = + - @, a tab, CR, LF or NUL, or their full-width forms ＝ ＋ － ＠ (which Excel takes as formulas in East Asian input), then the CSV cell starts with an apostrophe', () => {
    const risky = ['=1+1', '+1', '-1+2', '@SUM(A1)', '\t=1', '\r=1', '\n=1', '\u0000=1', '＝1+1', '＋1', '－1', '＠SUM(A1)'];
    // Each cell alone after the header line, its opening quote (when quoted) left out.
    const written = risky.map((cell) => toCsv(['c'], [[cell]]).slice('\uFEFFc\r\n'.length).replace(/^"/, ''));
    expect(written.map((cell) => cell.startsWith("'"))).toEqual(risky.map(() => true));
    // Numbers stay numbers, and text that merely contains the signs is left alone.
    expect(toCsv(['a', 'b', 'c'], [[-2, 'a=b', '1-2']])).toBe('\uFEFFa,b,c\r\n-2,a=b,1-2\r\n');
  });

  it('when a scenario id and unit ids are formulas, then the workbook holds them as text cells, never formulas, and units.csv prefixes them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-hostile-exports-'));
    const ids = ['=1+1', '+cmd|x!A0', '-2+3', '=HYPERLINK("x")'];
    writeFileSync(join(dir, 'org.json'), JSON.stringify({ id: 'office', kind: 'office', units: ids.map((id) => ({ id, members: [{ id: `${id}-m1` }] })) }));
    const base = readFileSync(join(root, 'examples/scenarios/002-lax.yaml'), 'utf8');
    const scenario = join(dir, 'hostile.yaml');
    writeFileSync(scenario, base.replace('id: 002-lax', 'id: "=WEBSERVICE(\\"x\\")"').replace(/organisation:\n {2}units: \d+\n {2}membersPerUnit: \d+\n/, 'organisationFile: org.json\n'));
    const out = join(dir, 'out');
    const xlsx = join(dir, 'r.xlsx');
    const run = await runLuoshi(['simulate', campaign, '--scenario', scenario, '--out', out, '--xlsx', xlsx]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(EXIT.ok);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    const texts: string[] = [];
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type, `${sheet.name}!${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
          if (typeof cell.value === 'string') texts.push(cell.value);
        }),
      ),
    );
    expect(texts).toContain('=WEBSERVICE("x")');
    // A unit has a row where it was ranked (a unit the ranking's condition left out in every run has none).
    const listed = ids.filter((id) => texts.includes(id));
    expect(listed.length).toBeGreaterThan(0);

    const units = readFileSync(join(out, 'units.csv'), 'utf8');
    for (const id of listed) expect(units).toContain(`'${id.replace(/"/g, '""')}`);
    expect(readFileSync(join(out, 'results.csv'), 'utf8')).toContain(`"'=WEBSERVICE(""x"")"`);
  }, 60_000);

  it('when a table has more rows than a worksheet holds, then it goes on in further sheets (results, results (2)…), each with the heading, no row lost or repeated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-hostile-sheets-'));
    const run = await runLuoshi(['simulate', campaign, '--scenario', join(root, 'examples/scenarios/002-lax.yaml'), '--format', 'json', '--runs', '1']);
    expect(run.code).toBe(EXIT.ok);
    const result = JSON.parse(run.stdout) as MonteCarloResult;
    const rows = resultRows(result);
    // A worksheet of 10 rows stands for Excel's 1,048,576: 9 rows of data under each heading.
    const xlsx = join(dir, 'split.xlsx');
    await writeWorkbook(xlsx, [result], 'office', undefined, 10);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const parts = book.worksheets.filter((sheet) => /^results( \(\d+\))?$/.test(sheet.name));
    expect(parts.map((sheet) => sheet.name)).toEqual(Array.from({ length: Math.ceil(rows.length / 9) }, (_, i) => (i === 0 ? 'results' : `results (${i + 1})`)));
    const read: unknown[][] = [];
    for (const sheet of parts) {
      expect(sheet.rowCount).toBeLessThanOrEqual(10);
      expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['scenario', 'metric', 'scope', 'mean', 'p5', 'p95']);
      sheet.eachRow((row, n) => {
        if (n > 1) read.push((row.values as unknown[]).slice(1));
      });
    }
    expect(read.length).toBe(rows.length);
    expect(read.map((r) => r.slice(0, 3).join('|'))).toEqual(rows.map((r) => r.slice(0, 3).map((c) => c ?? '').join('|')));
  }, 60_000);
});
