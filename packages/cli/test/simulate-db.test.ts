import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { root } from '../../../test/support/campaign-harness.js';
import { runLuoshi as run, shrunkScenario } from '../../../test/support/run-luoshi.js';

const campaign = join(root, 'processes/000-sanxing-jiguan.yaml');

/** The shipped lax scenario for seed 000 on 4 units of 2 members, so the run is quick and leaves overdue work. */
const smallScenario = (dir: string) => shrunkScenario(dir, '000-lax', 4, 2);

describe('given luoshi simulate --db', () => {
  it('when one run is kept in a SQLite file, then status, tasks and history read the campaign it prints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-sim-db-'));
    const db = join(dir, 'sim.sqlite');
    const simulated = await run(['simulate', campaign, '--scenario', smallScenario(dir), '--runs', '1', '--db', db]);
    expect(simulated.stderr).toBe('');
    expect(simulated.code).toBe(EXIT.ok);
    expect(simulated.stdout).toContain(`as campaign sim (luoshi status sim --db ${db})`);
    expect(existsSync(db)).toBe(true);

    // Reads fire nothing, and the kept run is on a rehearsal clock where it ended (no worker moves it).
    const now: string[] = [];
    const status = await run(['status', 'sim', '--db', db, '--format', 'json', ...now]);
    expect(status.code).toBe(EXIT.ok);
    const rollup = (JSON.parse(status.stdout) as { rollup: { campaignId: string; units: number; phases: Record<string, number> } }).rollup;
    expect(rollup).toMatchObject({ campaignId: 'sim', units: 5, phases: { ended: 5 } });

    const tasks = await run(['tasks', 'sim/u01', '--db', db, '--format', 'json', ...now]);
    expect(tasks.code).toBe(EXIT.ok);
    const list = JSON.parse(tasks.stdout) as { item: string; status: string }[];
    expect(list.map((t) => t.item)).toContain('报送活动方案');
    expect(list.some((t) => t.status === 'done' || t.status === 'late')).toBe(true);

    const history = await run(['history', 'sim/u01', '--db', db, '--format', 'json', ...now]);
    expect(history.code).toBe(EXIT.ok);
    expect(history.stdout).toContain('task.completed');
  });

  it('when more than one run is asked for, then it is a usage error and no file is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-sim-db-'));
    const db = join(dir, 'sim.sqlite');
    const refused = await run(['simulate', campaign, '--scenario', smallScenario(dir), '--runs', '2', '--db', db]);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.stderr).toContain('SIM_STORE_ONE_RUN');
    expect(existsSync(db)).toBe(false);
  });

  it('when the file already holds a simulated campaign, then the second run is refused with a coded error, not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-sim-db-'));
    const db = join(dir, 'sim.sqlite');
    const scenario = smallScenario(dir);
    expect((await run(['simulate', campaign, '--scenario', scenario, '--db', db])).code).toBe(EXIT.ok);
    const again = await run(['simulate', campaign, '--scenario', scenario, '--db', db]);
    expect(again.code).toBe(EXIT.invalid);
    expect(again.stderr).toMatch(/^[A-Z_]+ /);
  });
});
