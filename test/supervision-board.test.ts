import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LightCounts } from '@luoshi/engine';
import { loadScenarioFile, simulate, SIMULATION_CAMPAIGN_ID, type SentEvent } from '@luoshi/sim';
import { root } from './support/campaign-harness.js';
import { validateDirective } from './support/directive-run.js';
import { rehearsedBoard } from './support/live-board.js';

/*
 * 三色图 with items (issue 19): D2's baseline (rectification tasks and petition cases handed out,
 * labelled at each monthly roll-call, lit by their due days, resolved and checked) simulated
 * in-process, then rehearsed live on a SQLite file: the durable engine, the same organisation, the
 * simulator's events sent at their times, timers (the items' due-day timers among them) run between
 * them. At every month end each unit's light (its tasks' and its items') and the items counted by
 * light must agree with the simulator's: item lights are state written by the one step too.
 */
describe('given D2 and its baseline scenario', () => {
  it('when it is simulated and then rehearsed live on SQLite with the same events, then both give the same board and the same items by light at every month end', async () => {
    const definitions = validateDirective('d2-guangyuan-lanqian.yaml');
    const loaded = loadScenarioFile(`${root}examples/scenarios/d2-baseline.yaml`);
    if (!loaded.ok || !loaded.scenario?.organisation) throw new Error('scenario');
    const scenario = loaded.scenario;
    const sent: SentEvent[] = [];
    const result = await simulate({ definitions, processId: '环保督察整改亮牌', scenario, onSent: (s) => void sent.push(s) });
    const lights = result.lights;
    if (!lights) throw new Error('no lights in the result');
    // Items of every colour appear over the run, so the comparison covers labels, due days and closing.
    const colours = new Set(lights.months.flatMap((m) => Object.entries(m.items ?? {}).filter(([, n]) => n > 0).map(([l]) => l)));
    expect([...colours].sort()).toEqual(['blue', 'green', 'red', 'yellow']);

    const dir = mkdtempSync(join(tmpdir(), 'luoshi-items-board-'));
    const items: LightCounts[] = [];
    const board = await rehearsedBoard(
      { sqlite: join(dir, 'rehearsal.sqlite'), definitions, processId: '环保督察整改亮牌', organisation: loaded.scenario.organisation, start: result.period.start, sent, monthEnds: lights.months.map((m) => m.at) },
      async (engine) => {
        const counts = { green: 0, yellow: 0, red: 0, blue: 0 };
        for (const item of await engine.items(SIMULATION_CAMPAIGN_ID)) if (item.light !== undefined) counts[item.light]++;
        items.push(counts);
      },
    );
    expect(board).toEqual(lights.board);
    expect(items).toEqual(lights.months.map((m) => m.items));
  }, 240_000);
});
