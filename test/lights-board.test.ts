import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateProcessPaths } from '@luoshi/dsl';
import { loadScenarioFile, simulate, type SentEvent } from '@luoshi/sim';
import { rehearsedBoard } from './support/live-board.js';

/*
 * 三色图 (issue 19): seed 002 (机关作风建设年) with lights declared (yellow 3 working days before a
 * due day, blue when done), its baseline scenario simulated in-process; then a live rehearsal on a
 * SQLite file: the durable engine, the same organisation, the simulator's events sent at their
 * times, timers run between them, each unit's light read through the public query at every month
 * end. The two boards must agree: the lights are state, written by the same step, not computed at
 * the moment they are read.
 */
const root = new URL('../', import.meta.url).pathname;

function seed002WithLights(dir: string) {
  cpSync(`${root}processes`, dir, { recursive: true });
  const path = join(dir, '002-jiguan-zuofeng.yaml');
  const text = readFileSync(path, 'utf8');
  if (!text.includes('subjects: [unit, member]\n')) throw new Error('seed 002 changed: put the lights elsewhere');
  writeFileSync(path, text.replace('subjects: [unit, member]\n', 'subjects: [unit, member]\nlights: { yellowBefore: 3个工作日, blue: true }\n'));
  const definitions = validateProcessPaths([dir]);
  if (!definitions.ok) throw new Error(definitions.diagnostics.map((d) => d.message.en).join('\n'));
  return definitions;
}

describe('given seed 002 with lights and its baseline scenario', () => {
  it('when it is simulated and then rehearsed live on SQLite with the same events, then both give the same board of lights per unit at every month end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-board-'));
    const definitions = seed002WithLights(join(dir, 'processes'));
    const loaded = loadScenarioFile(`${root}examples/scenarios/002-baseline.yaml`);
    if (!loaded.ok || !loaded.scenario?.organisation) throw new Error('scenario');
    const scenario = loaded.scenario;
    const sent: SentEvent[] = [];
    const result = await simulate({ definitions, processId: '机关作风建设年', scenario, onSent: (s) => void sent.push(s) });
    const lights = result.lights;
    if (!lights) throw new Error('no lights in the result');
    // The campaign runs from 动员部署 (4月至5月) to 巩固提高 (12月) 2010: nine month ends.
    expect(lights.months.map((m) => m.month)).toEqual(['2010-04', '2010-05', '2010-06', '2010-07', '2010-08', '2010-09', '2010-10', '2010-11', '2010-12']);
    // Every instance (73 units and the office) has a light at every month end.
    for (const m of lights.months) expect(m.units.green + m.units.yellow + m.units.red + m.units.blue).toBe(74);
    expect(Object.keys(lights.board)).toHaveLength(74);
    const seen = new Set(Object.values(lights.board).flat());
    expect([...seen].sort()).toEqual(['blue', 'green', 'red', 'yellow']);

    // The live rehearsal.
    const board = await rehearsedBoard({ sqlite: join(dir, 'rehearsal.sqlite'), definitions, processId: '机关作风建设年', organisation: loaded.scenario.organisation, start: result.period.start, sent, monthEnds: lights.months.map((m) => m.at) });
    expect(board).toEqual(lights.board);
  }, 240_000);
});
