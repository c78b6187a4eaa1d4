import { validateProcessPaths } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, simulate, type ScenarioFile, type SimulationResult } from '@luoshi/sim';

const root = new URL('../../../', import.meta.url).pathname;
const definitions = validateProcessPaths([`${root}processes/`]);
const PROCESS = '机关作风建设年';

/** An example scenario with a smaller organisation, so the tests stay fast. */
function scenario(name: string, units = 15, membersPerUnit = 3): ScenarioFile {
  const loaded = loadScenarioFile(`${root}examples/scenarios/002-${name}.yaml`);
  if (!loaded.scenario) throw new Error(JSON.stringify(loaded.diagnostics));
  const organisation = loaded.scenario.organisation;
  if (!organisation) throw new Error('example scenarios generate their organisation');
  return { ...loaded.scenario, organisation: { ...organisation, units, membersPerUnit } };
}

const run = (s: ScenarioFile, seed?: number): Promise<SimulationResult> =>
  simulate({ definitions, processId: PROCESS, scenario: s, ...(seed === undefined ? {} : { seed }) });

const sum = (record: Readonly<Record<string, number>>) => Object.values(record).reduce((a, b) => a + b, 0);

describe('given seed 002 (机关作风建设年) and the example scenarios', () => {
  it('when the same scenario runs twice with the same seed, then the JSON is byte-identical; another seed differs', async () => {
    const s = scenario('baseline', 12, 3);
    const first = JSON.stringify(await run(s));
    const second = JSON.stringify(await run(s));
    expect(second).toBe(first);
    expect(JSON.stringify(await run(s, 99))).not.toBe(first);
    const parsed = JSON.parse(first) as SimulationResult;
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(parsed).toMatchObject({ scenario: '002-baseline', processId: PROCESS, seed: 2010, organisation: { units: 12, members: 36 } });
  });

  it('when units are lax rather than diligent, then more tasks go overdue and more members climb the ladder', async () => {
    const diligent = await run(scenario('diligent'));
    const lax = await run(scenario('lax'));
    expect(sum(lax.overdueByPhase)).toBeGreaterThan(sum(diligent.overdueByPhase));
    const climbs = (r: SimulationResult) => sum(r.ladders['举报投诉查实'] ?? {});
    expect(climbs(lax)).toBeGreaterThan(climbs(diligent));
    expect(lax.deadlines['每月学习']?.onTimeRate ?? 1).toBeLessThan(diligent.deadlines['每月学习']?.onTimeRate ?? 0);
    for (const r of [diligent, lax]) {
      const rungs = r.ladders['举报投诉查实'] ?? {};
      expect(rungs['3'] ?? 0).toBeLessThanOrEqual(rungs['2'] ?? 0);
      expect(rungs['2'] ?? 0).toBeLessThanOrEqual(rungs['1'] ?? 0);
    }
  });

  it('when the year ends, then the ranking bands have exactly their configured sizes', async () => {
    const r = await run(scenario('diligent'));
    const units = r.rankings['十佳单位评选'];
    const members = r.rankings['十佳标兵评选'];
    expect(units?.ranked).toBeGreaterThanOrEqual(10);
    expect(units?.top).toHaveLength(10);
    expect(members?.top).toHaveLength(10);
    expect(r.flags['十佳单位']).toBe(10);
    expect(r.flags['十佳标兵']).toBe(10);
    expect(r.commended.filter((s) => !s.includes('/'))).toEqual([...(units?.top ?? [])].sort());
    expect(units?.standings.map((s) => s.rank)).toEqual(units?.standings.map((_, i) => i + 1));
  });

  it('when fewer than 10 units are eligible, then the top band holds all of them and no more', async () => {
    const r = await run(scenario('lax', 8, 2));
    const units = r.rankings['十佳单位评选'];
    expect(units?.top.length).toBe(Math.min(10, units?.ranked ?? 0));
  });
});

describe('given a long run watched by a progress bar', () => {
  it('when the year goes by, then its share is reported in hundredths as it happens, ending at 1, and the result is the same', async () => {
    const s = scenario('baseline', 12, 3);
    const seen: ({ share: number } | { effectAt: number })[] = [];
    const watched = await simulate({
      definitions,
      processId: PROCESS,
      scenario: s,
      onProgress: (share) => seen.push({ share }),
      onEffect: (effect) => seen.push({ effectAt: effect.at }),
    });
    expect(JSON.stringify(watched)).toBe(JSON.stringify(await run(s)));
    const shares = seen.flatMap((x) => ('share' in x ? [x.share] : []));
    expect(shares.at(-1)).toBe(1);
    expect(shares.length).toBeGreaterThan(50);
    expect(shares.length).toBeLessThanOrEqual(100);
    shares.forEach((share, i) => {
      expect(Math.round(share * 100)).toBeCloseTo(share * 100, 9);
      if (i > 0) expect(share).toBeGreaterThan(shares[i - 1] as number);
    });
    // Reported while the run goes on: effects are delivered between the first report and the last.
    const first = seen.findIndex((x) => 'share' in x);
    const last = seen.findLastIndex((x) => 'share' in x);
    expect(seen.slice(first, last).some((x) => 'effectAt' in x)).toBe(true);
    // And in step with the virtual clock: an effect delivered after a report of share s happened at or after that point of the year.
    const start = Date.parse(watched.period.start);
    const span = Date.parse(watched.period.end) + 86_400_000 - start;
    let share = 0;
    let checked = 0;
    for (const x of seen) {
      if ('share' in x) share = x.share;
      else if (share > 0 && share < 1) {
        expect(x.effectAt).toBeGreaterThanOrEqual(start + (share - 0.01) * span);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('given inputs the simulator cannot run', () => {
  it('when the process is unknown or not the scenario\'s, then a coded error in both languages', async () => {
    const s = scenario('baseline', 2, 1);
    await expect(simulate({ definitions, processId: '无此活动', scenario: { ...s, process: '无此活动' } })).rejects.toMatchObject({
      code: 'SIM_PROCESS_NOT_FOUND',
      messages: { zh: '定义中没有有效的活动「无此活动」' },
    });
    await expect(simulate({ definitions, processId: PROCESS, scenario: { ...s, process: '别的活动' } })).rejects.toMatchObject({
      code: 'SIM_PROCESS_MISMATCH',
    });
  });
});
