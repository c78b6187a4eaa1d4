import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
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
export async function writeWorkbook(path: string, results: readonly MonteCarloResult[], office: string, comparison?: ScenarioComparison): Promise<void> {
  const tables = exportTables(results, office);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'luoshi simulate';
  // A fixed date keeps the same run's workbook the same (the file has no clock in it otherwise).
  workbook.created = new Date(0);
  workbook.modified = new Date(0);
  addSheet(workbook, 'results', tables.results.columns, tables.results.rows);
  addSheet(workbook, 'units', tables.units.columns, tables.units.rows);
  if (comparison) {
    const [baseline = '', ...others] = comparison.scenarios;
    const columns = ['metric', ...comparison.scenarios.map((s) => `mean:${s}`), ...others.flatMap((s) => [`diff:${s}-${baseline}`, 'low', 'high', 'significant'])];
    const rows = comparison.metrics.map((m) => [
      m.key.join('/'),
      ...m.means,
      ...m.differences.slice(1).flatMap((d): Cell[] => (d === null ? [null, null, null, null] : [d.mean, d.low, d.high, d.significant ? 'yes' : 'no'])),
    ]);
    addSheet(workbook, 'comparison', columns, rows);
  }
  await workbook.xlsx.writeFile(path);
}

function addSheet(workbook: ExcelJS.Workbook, name: string, columns: readonly string[], rows: readonly (readonly Cell[])[]): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow([...columns]).font = { bold: true };
  // Text is written as text, never as a formula: ids come from outside.
  for (const row of rows) sheet.addRow(row.map((cell) => (cell === null ? null : cell)));
  sheet.columns.forEach((column, i) => {
    column.width = Math.min(40, Math.max(10, ...[columns[i] ?? '', ...rows.slice(0, 200).map((r) => String(r[i] ?? ''))].map((s) => [...s].length + 2)));
  });
}
