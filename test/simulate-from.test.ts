import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateProcessPaths } from '@luoshi/dsl';
import { aggregate, loadScenarioFile, monteCarloFrom, renderReport, readLiveCampaign, simulate, simulateFrom, SIMULATION_CAMPAIGN_ID, type LiveCampaign, type ScenarioFile, type SentEvent, type SimulationResult } from '@luoshi/sim';
import { createKyselyStore } from '@luoshi/store-kysely';

/*
 * 从当前状态续推 (issue 21): seed 002 (机关作风建设年, April–December 2010, 73 units × 5 members)
 * under its baseline scenario is simulated on a SQLite file up to 1 July 2010 and left standing
 * there on a rehearsal clock — a live campaign half-way. `simulateFrom` then continues it from what
 * the file holds: what happened before July is the recorded history, identical whatever the seed;
 * what comes after is drawn, and differs with the seed; the file is never written.
 */
const root = new URL('../', import.meta.url).pathname;
const PROCESS = '机关作风建设年';
const MID = Date.parse('2010-07-01T00:00:00+08:00');

let file = '';
let scenario: ScenarioFile;
/** The run up to July: what the live campaign's history holds. */
let firstHalf: SimulationResult;
let bytes: Buffer;
let live: LiveCampaign;

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

function added(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
}

beforeAll(async () => {
  const definitions = validateProcessPaths([`${root}processes`]);
  const loaded = loadScenarioFile(`${root}examples/scenarios/002-baseline.yaml`);
  if (!loaded.ok || !loaded.scenario) throw new Error('scenario');
  scenario = loaded.scenario;
  file = join(mkdtempSync(join(tmpdir(), 'luoshi-from-')), 'live.sqlite');
  firstHalf = await simulate({ definitions, processId: PROCESS, scenario, store: await createKyselyStore({ sqlite: file }), until: MID });
  // As `luoshi simulate --db` leaves a run: on a rehearsal clock where it stopped.
  const store = await createKyselyStore({ sqlite: file });
  await store.setCampaignClock(SIMULATION_CAMPAIGN_ID, MID);
  await store.close();
  bytes = readFileSync(file);
  const reader = await createKyselyStore({ sqlite: file, readOnly: true });
  try {
    live = await readLiveCampaign(reader, SIMULATION_CAMPAIGN_ID);
  } finally {
    await reader.close();
  }
}, 120_000);

describe('given seed 002 simulated on SQLite up to 1 July 2010 and standing there', () => {
  it('when it is read, then it stands at its rehearsal clock with the events and effects of the first half', () => {
    expect(live.at).toBe(MID);
    expect(live.rehearsal).toBe(true);
    expect(Object.fromEntries(live.sent)).toEqual(firstHalf.events.sent);
    expect(countBy(live.effects, (e) => e.effect)).toEqual(firstHalf.effects);
    expect(live.stored.instances).toHaveLength(74);
  });

  it('when the rest is simulated with two seeds, then the first half is the recorded history in both and the second half differs', async () => {
    const runs: { result: SimulationResult; sent: SentEvent[]; effects: string[] }[] = [];
    for (const seed of [1, 2]) {
      const sent: SentEvent[] = [];
      const effects: string[] = [];
      const result = await simulateFrom({ source: live, scenario, seed, onSent: (s) => void sent.push(s), onEffect: (e) => void effects.push(e.effect) });
      runs.push({ result, sent, effects });
    }
    for (const { result, sent, effects } of runs) {
      // The whole campaign: from its start to its end.
      expect(result.period).toEqual({ start: firstHalf.period.start, end: '2010-12-31T16:00:00.000Z' });
      // Nothing is sent before where the campaign stood.
      expect(Math.min(...sent.map((s) => s.at))).toBeGreaterThanOrEqual(MID);
      // Host events and effects: the first half's as recorded, plus exactly what this run did.
      expect(result.events.sent).toEqual(added(firstHalf.events.sent, countBy(sent, (s) => s.event.type)));
      expect(result.effects).toEqual(added(firstHalf.effects, countBy(effects, (e) => e)));
      // April, May and June as the history has them: units per phase, ladder rungs climbed, effects,
      // and the flags held at each month's start, rebuilt from the history (the later months sampled by the run).
      expect(result.monthly.slice(0, 3)).toEqual(firstHalf.monthly);
      expect(result.monthly.every((m) => m.flags !== undefined)).toBe(true);
      // A task done on time before its deadline in the first half stays done on time: deadlines due before July.
      for (const d of firstHalf.timeline.deadlines.filter((d) => Date.parse(d.due) < MID && d.occurrences === undefined)) {
        expect(result.deadlines[d.item]?.onTime, d.item).toBe(firstHalf.deadlines[d.item]?.onTime);
        expect(result.deadlines[d.item]?.total, d.item).toBe(firstHalf.deadlines[d.item]?.total);
      }
      // Ladder rungs reached stay reached.
      for (const [ladder, rungs] of Object.entries(firstHalf.ladders))
        for (const [rung, n] of Object.entries(rungs)) expect(result.ladders[ladder]?.[rung]).toBeGreaterThanOrEqual(n);
    }
    const [a, b] = runs.map((r) => r.result) as [SimulationResult, SimulationResult];
    expect(a.events.sent).not.toEqual(b.events.sent);
    expect(a.monthly.slice(3)).not.toEqual(b.monthly.slice(3));
    // The same seed, the same result.
    expect(await simulateFrom({ source: live, scenario, seed: 1 })).toEqual(a);
  }, 60_000);

  it('when it is simulated until 1 October, then the run stops there', async () => {
    const result = await simulateFrom({ source: live, scenario, seed: 3, until: Date.parse('2010-10-01T00:00:00+08:00') });
    expect(result.period.end).toBe('2010-09-30T16:00:00.000Z');
    expect(result.monthly.map((m) => m.month)).toEqual(['2010-04', '2010-05', '2010-06', '2010-07', '2010-08', '2010-09']);
    await expect(simulateFrom({ source: live, scenario, until: Date.parse('2010-06-01T00:00:00+08:00') })).rejects.toMatchObject({ code: 'SIM_UNTIL_PASSED' });
  }, 60_000);

  it('when three runs are aggregated, then the first half has no spread', async () => {
    const report = await monteCarloFrom({ source: live, scenario, runs: 3, seed: 5, threads: 1 });
    expect(report.runs).toBe(3);
    for (const [month, sample] of report.monthly.slice(0, 3).entries())
      for (const [phase, spread] of Object.entries(sample.phases)) expect(spread).toEqual({ mean: firstHalf.monthly[month]?.phases[phase], p5: firstHalf.monthly[month]?.phases[phase], p95: firstHalf.monthly[month]?.phases[phase] });
  }, 60_000);

  it('when all that is done, then the live database file is byte for byte what it was', () => {
    expect(Buffer.compare(readFileSync(file), bytes)).toBe(0);
  });

  it('when the file is opened read-only, then the store refuses to write', async () => {
    const reader = await createKyselyStore({ sqlite: file, readOnly: true });
    try {
      await expect(reader.setCampaignClock(SIMULATION_CAMPAIGN_ID, MID + 1)).rejects.toThrow();
    } finally {
      await reader.close();
    }
    expect(Buffer.compare(readFileSync(file), bytes)).toBe(0);
  });
});

describe('given seed 002 with lights declared, run on SQLite up to 1 July 2010', () => {
  it('when the rest is simulated, then the board starts with June, as the recorded run ended it, and goes on to December', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-from-lights-'));
    cpSync(`${root}processes`, join(dir, 'processes'), { recursive: true });
    const path = join(dir, 'processes', '002-jiguan-zuofeng.yaml');
    const text = readFileSync(path, 'utf8');
    if (!text.includes('subjects: [unit, member]\n')) throw new Error('seed 002 changed: put the lights elsewhere');
    writeFileSync(path, text.replace('subjects: [unit, member]\n', 'subjects: [unit, member]\nlights: { yellowBefore: 3个工作日, blue: true }\n'));
    const definitions = validateProcessPaths([join(dir, 'processes')]);
    const db = join(dir, 'live.sqlite');
    const recorded = await simulate({ definitions, processId: PROCESS, scenario, store: await createKyselyStore({ sqlite: db }), until: MID });
    const writer = await createKyselyStore({ sqlite: db });
    await writer.setCampaignClock(SIMULATION_CAMPAIGN_ID, MID);
    await writer.close();
    const reader = await createKyselyStore({ sqlite: db, readOnly: true });
    const source = await readLiveCampaign(reader, SIMULATION_CAMPAIGN_ID).finally(() => reader.close());
    const result = await simulateFrom({ source, scenario, seed: 9 });
    const lights = result.lights;
    if (!lights || !recorded.lights) throw new Error('no lights');
    // A light at an earlier month end is not in the history: the board starts with the month the cut falls in.
    expect(lights.months.map((m) => m.month)).toEqual(['2010-06', '2010-07', '2010-08', '2010-09', '2010-10', '2010-11', '2010-12']);
    expect(lights.months[0]).toEqual(recorded.lights.months[2]);
    for (const [unit, row] of Object.entries(lights.board)) expect(row[0], unit).toBe(recorded.lights.board[unit]?.[2]);
    // The report says so where the lights are drawn.
    const html = renderReport(aggregate([result], 9, [9]), { scenario, lang: 'en' });
    expect(html).toContain('Lights from 2010-06 on: the campaign was continued from where it stood');
    expect(renderReport(aggregate([recorded], 9, [9]), { scenario, lang: 'en' })).not.toContain('Lights from');
  }, 120_000);
});
