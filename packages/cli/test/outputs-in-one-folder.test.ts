import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT, runCli } from '../src/run-cli.js';

/*
 * `--out DIR --xlsx DIR/book.xlsx`: the workbook beside the report, in a folder the run makes. The
 * check before the run must not refuse what the run itself makes possible.
 */

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const campaign = join(repo, 'processes/000-sanxing-jiguan.yaml');

describe('given --out naming a folder that does not exist yet and --xlsx a workbook inside it', () => {
  it('when simulated, then the folder is made and holds the report, the exports and the workbook; a workbook one folder further down is still refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-out-xlsx-'));
    const scenario = join(dir, 'small.yaml');
    const text = readFileSync(join(repo, 'examples/scenarios/000-baseline.yaml'), 'utf8').replace('units: 48', 'units: 3').replace('membersPerUnit: 8', 'membersPerUnit: 1');
    writeFileSync(scenario, text.replace('$schema=../../packages', `$schema=${repo}packages`));
    const out = join(dir, 'out');
    let stderr = '';
    const code = await runCli(['simulate', campaign, '--scenario', scenario, '--runs', '2', '--out', out, '--xlsx', join(out, 'book.xlsx')], { stdout: () => {}, stderr: (t) => (stderr += t), env: { LANG: 'C' } });
    expect(stderr).toBe('');
    expect(code).toBe(EXIT.ok);
    for (const name of ['report.html', 'report.json', 'results.csv', 'units.csv', 'book.xlsx']) expect(existsSync(join(out, name)), name).toBe(true);
    // xlsx files are zip archives: "PK".
    expect(readFileSync(join(out, 'book.xlsx')).subarray(0, 2).toString('latin1')).toBe('PK');

    let refused = '';
    const deeper = await runCli(['simulate', campaign, '--scenario', scenario, '--out', join(dir, 'other'), '--xlsx', join(dir, 'other', 'sub', 'book.xlsx')], { stdout: () => {}, stderr: (t) => (refused += t), env: { LANG: 'C' } });
    expect(refused).toMatch(/^CLI_OUTPUT_UNWRITABLE Cannot write the workbook to /);
    expect(deeper).toBe(EXIT.usage);
  }, 60_000);
});
