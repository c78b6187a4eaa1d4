import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareScenariosFrom, monteCarloFrom, monteCarloFromRuns, readLiveCampaign, SIMULATION_CAMPAIGN_ID, type LiveCampaign, type MetricComparison, type ScenarioComparison } from '@luoshi/sim';
import { createKyselyStore } from '@luoshi/store-kysely';
import { continuing, recordUntil, scenarioOf } from './support/from-campaign.js';

/*
 * 续推情景对比 (issue 21, "what if we change this — from here"): the small campaign of
 * support/from-campaign.ts recorded on SQLite up to 15 April 2024 (the 4 慢 units left 报送方案
 * undone; 半年总结 opens on 1 May), then continued under two scenarios that differ in one rate:
 * `neverProbability` 0.1 (勤) and 0.8 (懒). With common random numbers a task draws the same number
 * u in both, and is never done where u < p: every task never done under 0.1 is never done under
 * 0.8, so in every run 懒 has at least as many 半年总结 overdue as 勤, and fewer on time. What
 * happened before the cut (报送方案 done on time by the 8 快 units) is the same in every run of both.
 */
const CUT = Date.parse('2024-04-15T00:00:00+08:00');
const RUNS = 4;

let file = '';
let bytes: Buffer;
let live: LiveCampaign;
const diligent = scenarioOf(continuing('勤', 0.1));
const lax = scenarioOf(continuing('懒', 0.8));

function metric(c: ScenarioComparison, ...key: string[]): MetricComparison {
  const found = c.metrics.find((m) => JSON.stringify(m.key) === JSON.stringify(key));
  if (!found) throw new Error(`no metric ${key.join('/')}`);
  return found;
}

beforeAll(async () => {
  file = join(mkdtempSync(join(tmpdir(), 'luoshi-from-compare-')), 'live.sqlite');
  await recordUntil(file, CUT);
  bytes = readFileSync(file);
  const reader = await createKyselyStore({ sqlite: file, readOnly: true });
  live = await readLiveCampaign(reader, SIMULATION_CAMPAIGN_ID).finally(() => reader.close());
}, 60_000);

describe('given a campaign recorded up to 15 April and two scenarios for the rest that differ in neverProbability (0.1, 0.8)', () => {
  it('when they are compared from there, then each scenario runs on the same seeds and is its own Monte Carlo from the cut', async () => {
    const c = await compareScenariosFrom({ source: live, scenarios: [diligent, lax], runs: RUNS, seed: 5, threads: 1 });
    expect(c.scenarios).toEqual(['勤', '懒']);
    expect(c.processId).toBe('续推对比');
    expect(c.runs).toBe(RUNS);
    expect(c.results.map((r) => r.seeds)).toEqual([c.seeds, c.seeds]);
    // Each side is exactly what monteCarloFrom gives for that scenario and seed.
    expect(c.results[1]).toEqual(await monteCarloFrom({ source: live, scenario: lax, runs: RUNS, seed: 5, threads: 1 }));
  }, 60_000);

  it('when they are compared, then what happened before the cut is identical in both and what comes after has the sign the rates imply', async () => {
    const c = await compareScenariosFrom({ source: live, scenarios: [diligent, lax], runs: RUNS, seed: 5, threads: 1 });
    const [a, b] = c.results;
    if (!a || !b) throw new Error('two results');
    // January to April as recorded, in every run of both: phases, effects, flags, spread 0.
    expect(b.monthly.slice(0, 4)).toEqual(a.monthly.slice(0, 4));
    for (const month of a.monthly.slice(0, 4)) for (const s of Object.values(month.phases)) expect(s.p5).toBe(s.p95);
    // 报送方案 was done on time by the 8 快 units before the cut: 8 in both, a difference of exactly 0.
    const onTimeBefore = metric(c, 'deadlines', '报送方案', 'onTime');
    expect(onTimeBefore.means).toEqual([8, 8]);
    expect(onTimeBefore.differences[1]).toMatchObject({ mean: 0, low: 0, high: 0, significant: false });
    // 半年总结 opens on 1 May for all 12 units and is drawn under each scenario: more never done under 0.8.
    const overdue = metric(c, 'deadlines', '半年总结', 'overdue');
    const onTime = metric(c, 'deadlines', '半年总结', 'onTime');
    expect(overdue.differences[1]?.mean).toBeGreaterThan(0);
    expect(onTime.differences[1]?.mean).toBeLessThan(0);
    // Task by task the same draw: no run of 懒 has fewer overdue than the same run of 勤.
    const runsOf = async (scenario: typeof lax) => (await monteCarloFromRuns({ source: live, scenario, runs: RUNS, seed: 5, threads: 1 })).results.map((r) => r.deadlines['半年总结']?.overdue ?? 0);
    const [lo, hi] = [await runsOf(diligent), await runsOf(lax)];
    for (const [i, n] of lo.entries()) expect(hi[i]).toBeGreaterThanOrEqual(n);
    // The same difference in every task where it is counted: on time + overdue stays 12 in both.
    expect(overdue.means[0]! + onTime.means[0]!).toBe(12);
    expect(overdue.means[1]! + onTime.means[1]!).toBe(12);
  }, 60_000);

  it('when the comparison is made again with the same seed, on two threads, then it is the same; and the database is byte for byte what it was', async () => {
    const once = await compareScenariosFrom({ source: live, scenarios: [diligent, lax], runs: RUNS, seed: 5, threads: 1 });
    const again = await compareScenariosFrom({ source: live, scenarios: [diligent, lax], runs: RUNS, seed: 5, threads: 2 });
    expect(again).toEqual(once);
    await expect(compareScenariosFrom({ source: live, scenarios: [diligent], runs: 1 })).rejects.toMatchObject({ code: 'SIM_TOO_FEW_SCENARIOS' });
    await expect(compareScenariosFrom({ source: live, scenarios: [diligent, { ...lax, id: diligent.id }], runs: 1 })).rejects.toMatchObject({ code: 'SIM_DUPLICATE_SCENARIO_ID' });
    await expect(compareScenariosFrom({ source: live, scenarios: [diligent, lax], runs: 1, threads: 0 })).rejects.toMatchObject({ code: 'SIM_BAD_THREADS' });
    await expect(monteCarloFrom({ source: live, scenario: lax, runs: 1, threads: Number.NaN })).rejects.toMatchObject({ code: 'SIM_BAD_THREADS' });
    expect(Buffer.compare(readFileSync(file), bytes)).toBe(0);
  }, 60_000);
});
