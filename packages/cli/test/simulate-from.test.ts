import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { root } from '../../../test/support/campaign-harness.js';
import { runLuoshi as run, shrunkScenario } from '../../../test/support/run-luoshi.js';

const campaign = join(root, 'processes/000-sanxing-jiguan.yaml');

/** The shipped baseline scenario for seed 000 on 6 units of 2 members, so a run is quick. */
const smallScenario = (dir: string) => shrunkScenario(dir, '000-baseline', 6, 2);

describe('given a run of seed 000 kept with --db up to 1 November 2011 (luoshi simulate --until)', () => {
  it('when luoshi simulate --from continues it, then it prints the whole campaign from where it stood, and the file is not written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-sim-from-'));
    const db = join(dir, 'live.sqlite');
    const scenario = smallScenario(dir);
    const kept = await run(['simulate', campaign, '--scenario', scenario, '--db', db, '--until', '2011-11-01']);
    expect(kept.code).toBe(EXIT.ok);
    const clock = await run(['clock', 'sim', '--db', db]);
    expect(clock.stdout).toContain('2011-11-01 00:00:00');
    const bytes = readFileSync(db);

    const continued = await run(['simulate', '--from', db, '--campaign', 'sim', '--scenario', scenario, '--runs', '3', '--threads', '1', '--format', 'json']);
    expect(continued.stderr).toBe('');
    expect(continued.code).toBe(EXIT.ok);
    const result = JSON.parse(continued.stdout) as { runs: number; period: { start: string; end: string }; monthly: { month: string }[] };
    expect(result.runs).toBe(3);
    expect(result.monthly.map((m) => m.month)).toEqual(['2011-10', '2011-11']);
    const text = await run(['simulate', '--from', `sqlite:${db}`, '--campaign', 'sim', '--scenario', scenario, '--until', '2011-11-15']);
    expect(text.code).toBe(EXIT.ok);
    expect(text.stdout).toContain('Continued from campaign sim where it stands: 2011-11-01 00:00:00 (rehearsal clock); before then, as recorded');
    expect(text.stdout).toContain('Period: 2011-10-01 – 2011-11-14');
    expect(Buffer.compare(readFileSync(db), bytes)).toBe(0);
  }, 60_000);

  it('when luoshi scenario fit reads it, then the written scenario validates and continues the campaign, and the file is not written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-sim-fit-'));
    const db = join(dir, 'live.sqlite');
    const scenario = smallScenario(dir);
    await run(['simulate', campaign, '--scenario', scenario, '--db', db, '--until', '2011-11-01']);
    const bytes = readFileSync(db);
    const out = join(dir, 'fitted', 'fit.yaml');
    const fit = await run(['scenario', 'fit', '--from', db, '--campaign', 'sim', '--out', out]);
    expect(fit.stderr).toBe('');
    expect(fit.code).toBe(EXIT.ok);
    expect(fit.stdout).toBe(`Scenario written to ${out}\n`);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\S+scenario\.schema\.json\n/);
    expect(text).toContain('process: 三型机关动员月');
    expect(text).toMatch(/# days from opening to completion: \d+ tasks done whose deadline has passed/);
    const printed = await run(['scenario', 'fit', '--from', db, '--campaign', 'sim', '--lang', 'zh']);
    expect(printed.stdout).toContain('# 由 luoshi scenario fit 生成');
    const continued = await run(['simulate', '--from', db, '--campaign', 'sim', '--scenario', out, '--format', 'json']);
    expect(continued.stderr).toBe('');
    expect(continued.code).toBe(EXIT.ok);
    expect(Buffer.compare(readFileSync(db), bytes)).toBe(0);
  }, 60_000);

  it('when --from is given with a campaign file, without --campaign, or with --db, then it is a usage error; an unknown campaign is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-sim-from-'));
    const db = join(dir, 'live.sqlite');
    const scenario = smallScenario(dir);
    await run(['simulate', campaign, '--scenario', scenario, '--db', db, '--until', '2011-10-15']);
    for (const args of [
      ['simulate', campaign, '--from', db, '--campaign', 'sim', '--scenario', scenario],
      ['simulate', '--from', db, '--scenario', scenario],
      ['simulate', '--from', db, '--campaign', 'sim', '--scenario', scenario, '--db', join(dir, 'other.sqlite')],
      ['simulate', '--scenario', scenario],
    ]) {
      const refused = await run(args);
      expect(refused.code, args.join(' ')).toBe(EXIT.usage);
      expect(refused.stderr).toMatch(/^CLI_SIMULATE_WHAT /);
    }
    const missing = await run(['simulate', '--from', join(dir, 'none.sqlite'), '--campaign', 'sim', '--scenario', scenario]);
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toMatch(/^CLI_DATABASE_MISSING /);
    const unknown = await run(['simulate', '--from', db, '--campaign', 'zf', '--scenario', scenario, '--lang', 'zh']);
    expect(unknown.code).toBe(EXIT.invalid);
    expect(unknown.stderr).toBe('SIM_CAMPAIGN_NOT_FOUND 数据库中没有可供续推的活动「zf」\n');
    const passed = await run(['simulate', '--from', db, '--campaign', 'sim', '--scenario', scenario, '--until', '2011-10-10']);
    expect(passed.code).toBe(EXIT.invalid);
    expect(passed.stderr).toMatch(/^SIM_UNTIL_PASSED /);
  }, 60_000);
});
