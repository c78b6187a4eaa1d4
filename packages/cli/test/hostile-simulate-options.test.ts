import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { runLuoshi as run, shrunkScenario } from '../../../test/support/run-luoshi.js';

/*
 * `luoshi simulate` and `luoshi scenario fit` given options a hostile or careless user gives:
 * outputs that cannot be written (found before a run of minutes, not after it), an output over the
 * live database being read, counts and seeds out of range, a language that does not exist.
 */

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const campaign = join(repo, 'processes/000-sanxing-jiguan.yaml');

let dir: string;
let scenario: string;
let live: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'luoshi-hostile-options-'));
  scenario = shrunkScenario(dir, '000-baseline', 3, 1);
  live = join(dir, 'live.sqlite');
  const kept = await run(['simulate', campaign, '--scenario', scenario, '--db', live, '--until', '2011-11-01']);
  if (kept.code !== EXIT.ok) throw new Error(kept.stderr);
}, 60_000);

describe('given outputs that cannot be written', () => {
  it('when --out names a file, a folder under a file, or --xlsx a folder or a file in a folder that does not exist, then it is CLI_OUTPUT_UNWRITABLE (exit 2) before any run', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'mine');
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    for (const extra of [['--out', file], ['--out', join(file, 'sub')], ['--xlsx', folder], ['--xlsx', join(dir, 'missing', 'x.xlsx')]]) {
      const outcome = await run(['simulate', campaign, '--scenario', scenario, ...extra]);
      expect(outcome.stderr, extra.join(' ')).toMatch(/^CLI_OUTPUT_UNWRITABLE Cannot write the (report|workbook) to /);
      // Nothing was run: the summary was never printed.
      expect(outcome.stdout).toBe('');
      expect(outcome.code).toBe(EXIT.usage);
    }
    expect(readFileSync(file, 'utf8')).toBe('mine');
    const zh = await run(['simulate', campaign, '--scenario', scenario, '--out', file, '--lang', 'zh']);
    expect(zh.stderr).toMatch(/^CLI_OUTPUT_UNWRITABLE 无法将报告写入 .*：它是文件而不是文件夹。未运行模拟/);
  });

  it('when scenario fit --out names a folder, then it is CLI_OUTPUT_UNWRITABLE (exit 2)', async () => {
    const outcome = await run(['scenario', 'fit', '--from', live, '--campaign', 'sim', '--out', dir]);
    expect(outcome.stderr).toMatch(/^CLI_OUTPUT_UNWRITABLE Cannot write the scenario to /);
    expect(outcome.code).toBe(EXIT.usage);
  });

  it('when an output names the live database being read (--out of scenario fit, --xlsx of simulate --from), then it is refused and the database is byte for byte as it was', async () => {
    const bytes = readFileSync(live);
    const attempts = [
      await run(['scenario', 'fit', '--from', live, '--campaign', 'sim', '--out', live]),
      await run(['scenario', 'fit', '--from', `sqlite:${live}`, '--campaign', 'sim', '--out', join(dir, '.', 'live.sqlite')]),
      await run(['simulate', '--from', live, '--campaign', 'sim', '--scenario', scenario, '--xlsx', live]),
    ];
    for (const outcome of attempts) {
      expect(outcome.stderr).toMatch(/^CLI_OUTPUT_UNWRITABLE .*: it is the database being read\. Nothing was run/);
      expect(outcome.code).toBe(EXIT.usage);
    }
    expect(Buffer.compare(readFileSync(live), bytes)).toBe(0);
  });

  it('when --out climbs out with .., then it writes there, the four files and nothing else (the user names the place; the names are fixed)', async () => {
    const inner = join(dir, 'inner');
    mkdirSync(inner);
    const outcome = await run(['simulate', campaign, '--scenario', scenario, '--out', join(inner, '..', 'up')]);
    expect(outcome.code).toBe(EXIT.ok);
    expect(readdirSync(join(dir, 'up')).sort()).toEqual(['report.html', 'report.json', 'results.csv', 'units.csv']);
  });
});

describe('given counts, seeds and languages out of range', () => {
  it('when --runs is 0, 1e9 or 10001, --seed -1, 1.5 or 4294967296, or --threads 0 or 65, then it is a usage error (exit 2) naming the range, in both languages', async () => {
    for (const [option, value, range] of [
      ['--runs', '0', '1 to 10000'],
      ['--runs', '1e9', '1 to 10000'],
      ['--runs', '10001', '1 to 10000'],
      ['--seed', '-1', '0 to 4294967295'],
      ['--seed', '1.5', '0 to 4294967295'],
      ['--seed', '4294967296', '0 to 4294967295'],
      ['--threads', '65', '1 to 64'],
      ['--threads', '0', '1 to 64'],
    ] as const) {
      const outcome = await run(['simulate', campaign, '--scenario', scenario, option, value]);
      expect(outcome.stderr, `${option} ${value}`).toContain(`expected an integer from ${range}`);
      expect(outcome.code).toBe(EXIT.usage);
      expect((await run(['simulate', campaign, '--scenario', scenario, option, value], { LANG: 'zh_CN.UTF-8' })).code).toBe(EXIT.usage);
    }
  });

  it('when --lang is xx, then it is a usage error (exit 2)', async () => {
    const outcome = await run(['simulate', campaign, '--scenario', scenario, '--lang', 'xx']);
    expect(outcome.stderr).toMatch(/'xx' is invalid|取值 xx 无效/);
    expect(outcome.code).toBe(EXIT.usage);
  });

  it('when --scenario is given 21 times, then it is SIM_TOO_MANY_SCENARIOS (exit 1) before any run; the same file twice compares a scenario with itself, every difference 0', async () => {
    const many = await run(['simulate', campaign, ...Array.from({ length: 21 }, () => ['--scenario', scenario]).flat()]);
    expect(many.stderr).toMatch(/^SIM_TOO_MANY_SCENARIOS cannot compare 21 scenarios: at most 20 side by side/);
    expect(many.code).toBe(EXIT.invalid);
    const twice = await run(['simulate', campaign, '--scenario', scenario, '--scenario', scenario, '--runs', '2', '--threads', '1', '--format', 'json']);
    expect(twice.code).toBe(EXIT.ok);
    const comparison = JSON.parse(twice.stdout) as { metrics: { differences: ({ mean: number } | null)[] }[] };
    const differences = comparison.metrics.flatMap((m) => m.differences.slice(1)).filter((d) => d !== null);
    expect(differences.length).toBeGreaterThan(0);
    expect(differences.every((d) => d.mean === 0)).toBe(true);
  });
});
