import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { MonteCarloResult, ScenarioComparison } from '@luoshi/sim';
import { EXIT } from '../src/run-cli.js';
import { root } from '../../../test/support/campaign-harness.js';
import { runLuoshi, shrunkScenario } from '../../../test/support/run-luoshi.js';

/*
 * 导出 (issue 21): `--out DIR` writes results.csv (one row per metric and scope) and units.csv (one
 * row per unit) beside the report, and `--xlsx FILE` a workbook of the same tables, read back here
 * with a CSV reader of this test's own and with exceljs. Seed 002 on 6 units of 2 members: a
 * ranking of units (十佳单位评选) and one of members (十佳标兵评选).
 */

const campaign = join(root, 'processes/002-jiguan-zuofeng.yaml');
const dir = mkdtempSync(join(tmpdir(), 'luoshi-sim-exports-'));

const small = (name: string) => shrunkScenario(dir, `002-${name}`, 6, 2);
const simulate = (args: string[], lang = 'C') => runLuoshi(['simulate', campaign, ...args], { LANG: lang });

/** RFC 4180 CSV read back: quoted fields with doubled quotes, CRLF rows; the byte-order mark first. */
function readCsv(path: string): string[][] {
  const text = readFileSync(path, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += ch;
  }
  expect(field).toBe('');
  return rows;
}

describe('given luoshi simulate with --out and --xlsx', () => {
  it('when one scenario runs 3 times, then results.csv has a row per metric and scope that matches report.json, units.csv a row per unit, and the workbook both', async () => {
    const out = join(dir, 'one');
    const xlsx = join(dir, 'one.xlsx');
    const { code, stdout, stderr } = await simulate(['--scenario', small('lax'), '--runs', '3', '--threads', '1', '--out', out, '--xlsx', xlsx]);
    expect(stderr).toBe('');
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain(join(out, 'results.csv'));
    expect(stdout).toContain(`Workbook written to ${xlsx}`);
    const r = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as MonteCarloResult;

    const [head, ...rows] = readCsv(join(out, 'results.csv'));
    expect(head).toEqual(['scenario', 'metric', 'scope', 'mean', 'p5', 'p95']);
    const find = (metric: string, scope: string) => rows.filter((x) => x[1] === metric && x[2] === scope);
    // One row per metric and scope: no pair twice.
    expect(new Set(rows.map((x) => `${x[1]}\u0000${x[2]}`)).size).toBe(rows.length);
    for (const [flag, s] of Object.entries(r.flags)) expect(find('flags', flag)).toEqual([['002-lax', 'flags', flag, String(s.mean), String(s.p5), String(s.p95)]]);
    for (const [item, d] of Object.entries(r.deadlines)) expect(find('deadlines.onTimeRate', item)[0]?.slice(3)).toEqual([String(d.onTimeRate.mean), String(d.onTimeRate.p5), String(d.onTimeRate.p95)]);
    for (const [phase, s] of Object.entries(r.overdueByPhase)) expect(find('overdueByPhase', phase)[0]?.[3]).toBe(String(s.mean));
    expect(find('commended', '')[0]?.[3]).toBe(String(r.commended.mean));
    expect(rows.filter((x) => x[1] === 'monthly.phases').map((x) => x[2]?.slice(0, 7))).toEqual(r.monthly.flatMap((m) => Object.keys(m.phases).map(() => m.month)));

    // 6 units u01…u06, each with its chances in the ranking of units and its members' in the ranking of members.
    const [unitHead, ...units] = readCsv(join(out, 'units.csv'));
    expect(unitHead?.slice(0, 2)).toEqual(['scenario', 'unit']);
    expect(unitHead).toContain('十佳单位评选:bottom');
    expect(unitHead).toContain('十佳标兵评选:membersBottom');
    expect(units.map((u) => u[1])).toEqual(['u01', 'u02', 'u03', 'u04', 'u05', 'u06']);
    const units_ = r.rankings['十佳单位评选'];
    const bottom = unitHead?.indexOf('十佳单位评选:bottom') ?? -1;
    for (const u of units) expect(Number(u[bottom])).toBe(units_?.bottom[u[1] as string] ?? 0);
    // A member ranking's shares add up per unit: every run ranks each band's members, so the expected counts sum to the band sizes' means.
    const members = r.rankings['十佳标兵评选'];
    const memberBottom = unitHead?.indexOf('十佳标兵评选:membersBottom') ?? -1;
    const sum = units.reduce((a, u) => a + Number(u[memberBottom]), 0);
    expect(sum).toBeCloseTo(Object.values(members?.bottom ?? {}).reduce((a, x) => a + x, 0), 3);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    expect(book.worksheets.map((w) => w.name)).toEqual(['results', 'units']);
    const sheet = book.getWorksheet('results');
    expect(sheet?.rowCount).toBe(rows.length + 1);
    const flag = Object.keys(r.flags)[0] as string;
    const at = rows.findIndex((x) => x[1] === 'flags' && x[2] === flag) + 2;
    expect(sheet?.getRow(at).values).toEqual([undefined, '002-lax', 'flags', flag, r.flags[flag]?.mean, r.flags[flag]?.p5, r.flags[flag]?.p95]);
    expect(book.getWorksheet('units')?.rowCount).toBe(7);
  });

  it('when two scenarios are compared, then results.csv and units.csv hold both, and the workbook has the differences', async () => {
    const out = join(dir, 'two');
    const xlsx = join(dir, 'two.xlsx');
    const { code } = await simulate(['--scenario', small('lax'), '--scenario', small('diligent'), '--runs', '2', '--threads', '1', '--out', out, '--xlsx', xlsx, '--format', 'json']);
    expect(code).toBe(EXIT.ok);
    const c = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ScenarioComparison;
    const [, ...rows] = readCsv(join(out, 'results.csv'));
    expect([...new Set(rows.map((x) => x[0]))]).toEqual(['002-lax', '002-diligent']);
    const [, ...units] = readCsv(join(out, 'units.csv'));
    expect(units.map((u) => u[0])).toEqual([...Array(6).fill('002-lax'), ...Array(6).fill('002-diligent')]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const comparison = book.getWorksheet('comparison');
    expect(comparison?.getRow(1).values).toEqual([undefined, 'metric', 'mean:002-lax', 'mean:002-diligent', 'diff:002-diligent-002-lax', 'low', 'high', 'significant']);
    expect(comparison?.rowCount).toBe(c.metrics.length + 1);
    const first = c.metrics[0];
    const d = first?.differences[1];
    expect(comparison?.getRow(2).values).toEqual([undefined, first?.key.join('/'), ...(first?.means ?? []), d?.mean, d?.low, d?.high, d?.significant ? 'yes' : 'no']);
  });

  it('when --lang is not given, then the report of a Chinese campaign is Chinese whatever LANG says; --lang en makes it English', async () => {
    const zh = join(dir, 'zh');
    expect((await simulate(['--scenario', small('lax'), '--out', zh, '--threads', '1'], 'en_GB.UTF-8')).code).toBe(EXIT.ok);
    expect(readFileSync(join(zh, 'report.html'), 'utf8')).toContain('<html lang="zh-CN">');
    const en = join(dir, 'en');
    expect((await simulate(['--scenario', small('lax'), '--out', en, '--threads', '1', '--lang', 'en'], 'zh_CN.UTF-8')).code).toBe(EXIT.ok);
    expect(readFileSync(join(en, 'report.html'), 'utf8')).toContain('<html lang="en">');
  });
});
