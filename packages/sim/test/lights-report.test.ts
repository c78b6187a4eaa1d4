import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateProcessPaths } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, monteCarlo, renderReport, type ScenarioFile } from '@luoshi/sim';

/*
 * 月末亮灯 (issue 19): a campaign with lights gets the month-end counts by light in its Monte Carlo
 * result (a spread over the runs), the first run's board, and a chart and board in the HTML report;
 * one without lights gets none of them.
 */
const root = new URL('../../../', import.meta.url).pathname;
const PROCESS = '机关作风建设年';

function definitions(lights: boolean) {
  if (!lights) return validateProcessPaths([`${root}processes/`]);
  const dir = mkdtempSync(join(tmpdir(), 'luoshi-lights-report-'));
  cpSync(`${root}processes`, dir, { recursive: true });
  const path = join(dir, '002-jiguan-zuofeng.yaml');
  writeFileSync(path, readFileSync(path, 'utf8').replace('subjects: [unit, member]\n', 'subjects: [unit, member]\nlights: { yellowBefore: 3个工作日, blue: true }\n'));
  return validateProcessPaths([dir]);
}

function scenario(): ScenarioFile {
  const loaded = loadScenarioFile(`${root}examples/scenarios/002-baseline.yaml`);
  if (!loaded.scenario?.organisation) throw new Error(JSON.stringify(loaded.diagnostics));
  return { ...loaded.scenario, organisation: { ...loaded.scenario.organisation, units: 8, membersPerUnit: 2 } };
}

describe('given seed 002 on 8 units, with and without lights', () => {
  it('when 3 runs are aggregated with lights, then each of the 9 month ends (April to December) counts 9 instances by light in every run, the board is the first run’s, and the report draws both', async () => {
    const s = scenario();
    const result = await monteCarlo({ definitions: definitions(true), processId: PROCESS, scenario: s, runs: 3, seed: 5, threads: 1 });
    const lights = result.lights;
    if (!lights) throw new Error('no lights');
    expect(lights.months.map((m) => m.month)).toEqual(['2010-04', '2010-05', '2010-06', '2010-07', '2010-08', '2010-09', '2010-10', '2010-11', '2010-12']);
    for (const m of lights.months) {
      // 8 units and the office, in every run: the means add up to 9 and no run counted more.
      const means = Object.values(m.units).reduce((a, s) => a + s.mean, 0);
      expect(means).toBeCloseTo(9, 3);
      for (const s of Object.values(m.units)) expect(s.p95).toBeLessThanOrEqual(9);
    }
    expect(Object.keys(lights.board)).toHaveLength(9);
    for (const row of Object.values(lights.board)) expect(row).toHaveLength(9);
    const html = renderReport(result, { scenario: s, lang: 'zh' });
    expect(html).toContain('每月末红黄绿灯');
    expect(html).toContain('三色图（第一次运行）');
    // The red light is drawn red.
    expect(html).toContain('fill="#d62728"');
  });

  it('when the campaign has no lights, then the result and the report have none', async () => {
    const s = scenario();
    const result = await monteCarlo({ definitions: definitions(false), processId: PROCESS, scenario: s, runs: 1, seed: 5, threads: 1 });
    expect('lights' in result).toBe(false);
    expect(renderReport(result, { scenario: s, lang: 'zh' })).not.toContain('红黄绿灯');
  });
});
