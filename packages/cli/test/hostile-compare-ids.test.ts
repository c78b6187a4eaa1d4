import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { runLuoshi as run } from '../../../test/support/run-luoshi.js';
import { simulateCommand } from '../src/simulate-command.js';

/*
 * `luoshi simulate --scenario a --scenario b` where a and b are different scenarios with one id:
 * the comparison's columns, CSV rows and workbook cells are headed by the id, so the two could not
 * be told apart. Refused before any run (and before a --from database is opened), naming the id and
 * both files; the same file twice is still a scenario compared with itself.
 */

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const campaign = join(repo, 'processes/000-sanxing-jiguan.yaml');

let dir: string;
let first: string;
let second: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'luoshi-compare-ids-'));
  const text = readFileSync(join(repo, 'examples/scenarios/000-baseline.yaml'), 'utf8').replace('$schema=../../packages', `$schema=${repo}packages`);
  first = join(dir, 'first.yaml');
  second = join(dir, 'second.yaml');
  writeFileSync(first, text.replace('units: 48', 'units: 3'));
  // A copy edited without changing its id: the same id, other assumptions.
  writeFileSync(second, text.replace('units: 48', 'units: 4'));
});

describe('given two scenario files that differ but share an id', () => {
  it('when they are compared, then it is SIM_DUPLICATE_SCENARIO_ID (exit 1) naming the id and both files, in English and Chinese', async () => {
    const en = await run(['simulate', campaign, '--scenario', first, '--scenario', second]);
    expect(en.code).toBe(EXIT.invalid);
    expect(en.stdout).toBe('');
    expect(en.stderr).toBe(`SIM_DUPLICATE_SCENARIO_ID two different scenarios have the id "000-baseline" (${first} and ${second}): their columns and rows could not be told apart; give each its own id\n`);
    const zh = await run(['simulate', campaign, '--scenario', first, '--scenario', second, '--lang', 'zh']);
    expect(zh.stderr).toBe(`SIM_DUPLICATE_SCENARIO_ID 两个不同的情景使用了同一编号「000-baseline」（${first} 与 ${second}）：对比结果的列和行将无法区分，请为每个情景另取编号\n`);
  });

  it('when they are compared from a live database, then it is refused the same way before the database is opened (none exists here)', async () => {
    const outcome = await run(['simulate', '--from', join(dir, 'none.sqlite'), '--campaign', 'zf', '--scenario', first, '--scenario', second]);
    expect(outcome.code).toBe(EXIT.invalid);
    expect(outcome.stderr).toMatch(/^SIM_DUPLICATE_SCENARIO_ID two different scenarios have the id "000-baseline" \(.*first\.yaml and .*second\.yaml\)/);
  });
});

describe('given worker threads the command line never passes (it refuses --threads 0 as a usage error itself)', () => {
  it('when the command is called with 0 threads, then the simulator\'s SIM_BAD_THREADS is shown as the CLI shows its other errors (exit 1), not as CLI_UNEXPECTED', async () => {
    const outcome = await simulateCommand({ file: campaign, scenario: first, runs: 2, threads: 0, format: 'text', lang: 'en' });
    expect(outcome.exitCode).toBe(EXIT.invalid);
    expect(outcome.stderr).toBe('SIM_BAD_THREADS cannot run on 0 worker threads: give a whole number from 1 (at most 64 are started)\n');
  });
});
