import { accessSync, constants, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { CliError } from './cli-error.js';
import { RESULT_COLUMNS, resultRows, toCsv, unitTable, type Cell, type MonteCarloResult, type ScenarioComparison } from '@luoshi/sim';

/*
 * 导出 — the simulation's figures for spreadsheets: `results.csv` (one row per metric and scope),
 * `units.csv` (one row per unit) beside the report, and, with `--xlsx`, the same tables (and a
 * comparison's differences) as one workbook written with exceljs.
 */

/** The tables every export holds: rows of every scenario, the scenario first. */
interface ExportTables {
  readonly results: { readonly columns: readonly string[]; readonly rows: readonly (readonly Cell[])[] };
  readonly units: { readonly columns: readonly string[]; readonly rows: readonly (readonly Cell[])[] };
}

function exportTables(results: readonly MonteCarloResult[], office: string): ExportTables {
  // A unit's columns are the union over the scenarios, by key, in the order first seen.
  const tables = results.map((r) => ({ scenario: r.scenario, table: unitTable(r, 'en', office) }));
  const columns: string[] = [];
  for (const { table } of tables) for (const key of table.columns) if (!columns.includes(key)) columns.push(key);
  const rows = tables.flatMap(({ scenario, table }) => {
    const at = new Map(table.columns.map((key, i) => [key, i]));
    return table.rows.map((row) => [scenario, ...columns.map((key) => row[at.get(key) ?? -1] ?? null)]);
  });
  return {
    results: { columns: RESULT_COLUMNS, rows: results.flatMap(resultRows) },
    units: { columns: ['scenario', ...columns], rows },
  };
}

/**
 * Checks, before any run, that `--out` (a folder, made if missing) and `--xlsx` (a file in a folder
 * that exists) can be written, and that neither writes over the SQLite file `reading` (`--from`): a run of minutes must not end in a failed write. Throws
 * CLI_OUTPUT_UNWRITABLE. A folder's permissions are asked of the system (`access`), so a root user
 * may still be refused later by a read-only file system; that write fails as it would have.
 */
export function checkOutputs(out: string | undefined, xlsx: string | undefined, reading?: string): void {
  if (out !== undefined) {
    for (const name of EXPORT_FILES) refuseTheDatabase(join(out, name), reading, { en: 'the report', zh: '报告' });
    const fail = (detail: string, detailZh: string) => new CliError('CLI_OUTPUT_UNWRITABLE', { what: 'the report', whatZh: '报告', file: out, detail, detailZh });
    // The folder, or the nearest folder above it that exists, since missing ones are made.
    let at = resolve(out);
    let stat = statOf(at);
    while (stat === undefined && dirname(at) !== at) stat = statOf((at = dirname(at)));
    if (stat !== undefined && !stat.isDirectory()) throw at === resolve(out) ? fail('it is a file, not a folder', '它是文件而不是文件夹') : fail(`${at} is a file, not a folder`, `${at} 是文件而不是文件夹`);
    if (!writable(at)) throw fail(`${at} cannot be written`, `${at} 不可写`);
  }
  // A workbook in the --out folder itself is written after the run has made that folder.
  if (xlsx !== undefined) checkOutputFile(xlsx, { en: 'the workbook', zh: '工作簿' }, out !== undefined && dirname(resolve(xlsx)) === resolve(out), reading);
}

/** The files `--out` writes into its folder. */
const EXPORT_FILES = ['report.json', 'report.html', 'results.csv', 'units.csv'] as const;

/** A write over the database being read (`--from`), or its WAL files, would destroy the live campaign. */
function refuseTheDatabase(file: string, reading: string | undefined, what: { readonly en: string; readonly zh: string }): void {
  if (reading === undefined) return;
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (sameFile(file, `${reading}${suffix}`)) {
      throw new CliError('CLI_OUTPUT_UNWRITABLE', { what: what.en, whatZh: what.zh, file, detail: 'it is the database being read', detailZh: '它是正在读取的数据库' });
    }
  }
}

/** The same file: the same inode when both exist (links and symlinks included), else the same absolute path. */
function sameFile(a: string, b: string): boolean {
  const sa = statOf(a);
  const sb = statOf(b);
  if (sa !== undefined && sb !== undefined) return sa.dev === sb.dev && sa.ino === sb.ino;
  return resolve(a) === resolve(b);
}

/**
 * Checks that `file` can be written as a file: not a folder, in a folder that exists (or, with
 * `makeFolder`, under a folder that exists and can be written), and not the SQLite database being
 * read (`reading`). Throws CLI_OUTPUT_UNWRITABLE.
 */
export function checkOutputFile(file: string, what: { readonly en: string; readonly zh: string }, makeFolder: boolean, reading?: string): void {
  refuseTheDatabase(file, reading, what);
  const fail = (detail: string, detailZh: string) => new CliError('CLI_OUTPUT_UNWRITABLE', { what: what.en, whatZh: what.zh, file, detail, detailZh });
  const stat = statOf(file);
  if (stat?.isDirectory()) throw fail('it is a folder, not a file', '它是文件夹而不是文件');
  if (stat !== undefined) {
    if (!writable(file)) throw fail('it cannot be written', '不可写');
    return;
  }
  let folder = dirname(resolve(file));
  let found = statOf(folder);
  if (makeFolder) while (found === undefined && dirname(folder) !== folder) found = statOf((folder = dirname(folder)));
  if (found === undefined) throw fail(`the folder ${folder} does not exist`, `文件夹 ${folder} 不存在`);
  if (!found.isDirectory()) throw fail(`${folder} is a file, not a folder`, `${folder} 是文件而不是文件夹`);
  if (!writable(folder)) throw fail(`${folder} cannot be written`, `${folder} 不可写`);
}

/** What is at `path`, or undefined where nothing is (a missing file, or a path through a file). */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Writes `results.csv` and `units.csv` into `dir` (which exists) and returns their paths. */
export function writeCsvExports(dir: string, results: readonly MonteCarloResult[], office: string): string[] {
  const tables = exportTables(results, office);
  const resultsPath = join(dir, 'results.csv');
  const unitsPath = join(dir, 'units.csv');
  writeFileSync(resultsPath, toCsv(tables.results.columns, tables.results.rows));
  writeFileSync(unitsPath, toCsv(tables.units.columns, tables.units.rows));
  return [resultsPath, unitsPath];
}

/**
 * Writes the workbook: sheets `results` and `units` as in the CSV files, and for a comparison a
 * sheet `comparison`: each metric's mean per scenario and, per later scenario, the paired
 * difference to the baseline with its 95% interval and whether it is significant.
 */
export async function writeWorkbook(
  path: string,
  results: readonly MonteCarloResult[],
  office: string,
  comparison?: ScenarioComparison,
  sheetRows: number = SHEET_ROWS,
): Promise<void> {
  const tables = exportTables(results, office);
  // Streamed: each row goes to the file as it is added, so a table of millions of rows is not held twice.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  workbook.creator = 'luoshi simulate';
  // A fixed date keeps the same run's workbook the same (the file has no clock in it otherwise).
  workbook.created = new Date(0);
  workbook.modified = new Date(0);
  addSheets(workbook, 'results', tables.results.columns, tables.results.rows, sheetRows);
  addSheets(workbook, 'units', tables.units.columns, tables.units.rows, sheetRows);
  if (comparison) {
    const [baseline = '', ...others] = comparison.scenarios;
    const columns = ['metric', ...comparison.scenarios.map((s) => `mean:${s}`), ...others.flatMap((s) => [`diff:${s}-${baseline}`, 'low', 'high', 'significant'])];
    const rows = comparison.metrics.map((m) => [
      m.key.join('/'),
      ...m.means,
      ...m.differences.slice(1).flatMap((d): Cell[] => (d === null ? [null, null, null, null] : [d.mean, d.low, d.high, d.significant ? 'yes' : 'no'])),
    ]);
    addSheets(workbook, 'comparison', columns, rows, sheetRows);
  }
  await workbook.commit();
}

/**
 * Rows one worksheet holds, its heading row included: Excel's limit (1,048,576). A sheet written
 * longer opens as damaged or cut short, so a longer table goes on in `results (2)`, `results (3)`….
 */
export const SHEET_ROWS = 1_048_576;

function addSheets(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: readonly string[], rows: readonly (readonly Cell[])[], sheetRows: number): void {
  const perSheet = Math.max(1, sheetRows - 1);
  const widths = columns.map((column, i) => Math.min(40, Math.max(10, ...[column, ...rows.slice(0, 200).map((r) => String(r[i] ?? ''))].map((s) => [...s].length + 2))));
  const parts = Math.max(1, Math.ceil(rows.length / perSheet));
  for (let part = 0; part < parts; part++) {
    const sheet = workbook.addWorksheet(part === 0 ? name : `${name} (${part + 1})`, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = widths.map((width) => ({ width }));
    const heading = sheet.addRow([...columns]);
    heading.font = { bold: true };
    heading.commit();
    // Text is written as text, never as a formula: ids come from outside.
    for (const row of rows.slice(part * perSheet, (part + 1) * perSheet)) sheet.addRow(row.map((cell) => (cell === null ? null : cell))).commit();
    sheet.commit();
  }
}
