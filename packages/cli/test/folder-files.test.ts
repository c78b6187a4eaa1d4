import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { runLuoshi } from '../../../test/support/run-luoshi.js';

/*
 * Issue 18, "Validation messages found confusing": a scenario beside the process files, and a
 * simulation report written into the process folder, are not process files.
 */
const processesDir = fileURLToPath(new URL('../../../processes/', import.meta.url));
const scenariosDir = fileURLToPath(new URL('../../../examples/scenarios/', import.meta.url));

const run = (args: string[]) => runLuoshi(args, {});

function folderWithScenario(): string {
  const dir = mkdtempSync(join(tmpdir(), 'luoshi-folder-'));
  cpSync(processesDir, dir, { recursive: true });
  cpSync(join(scenariosDir, '002-baseline.yaml'), join(dir, '002-baseline.yaml'));
  return dir;
}

describe('given a process folder that also holds a scenario and a JSON report', () => {
  it('when validated, then the scenario and the report are skipped and said so, and the processes are valid', async () => {
    const dir = folderWithScenario();
    writeFileSync(join(dir, 'out.json'), '');
    writeFileSync(join(dir, 'report.json'), '{ "runs": 1, "scenario": "基准" }');
    const en = await run(['validate', dir, '--lang', 'en']);
    expect(en.stdout).toContain(`skipped ${join(dir, '002-baseline.yaml')}: a simulation scenario (kind: scenario)`);
    expect(en.stdout).toContain(`skipped ${join(dir, 'out.json')}`);
    expect(en.stdout).toContain(`skipped ${join(dir, 'report.json')}`);
    expect(en.stdout).toContain('0 error(s), 0 warning(s)');
    expect(en.code).toBe(EXIT.ok);
    const zh = await run(['validate', dir, '--lang', 'zh']);
    expect(zh.stdout).toContain('模拟情景文件');
    const json = JSON.parse((await run(['validate', dir, '--format', 'json'])).stdout) as { ok: boolean; skipped: { file: string; reason: string }[] };
    expect(json.ok).toBe(true);
    expect(json.skipped).toContainEqual({ file: join(dir, '002-baseline.yaml'), reason: 'scenario' });
  });

  it('when a scenario is named explicitly, then it is refused as a scenario with where to give it, not offered kind: subprocess', async () => {
    const dir = folderWithScenario();
    const file = join(dir, '002-baseline.yaml');
    const { code, stdout } = await run(['validate', file, '--lang', 'en']);
    expect(code).toBe(EXIT.invalid);
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.startsWith('kind:')) + 1;
    expect(stdout).toContain(`${file}:${line}:7: error DSL_NOT_A_PROCESS_KIND kind: scenario is not a process file; a process file has kind: campaign or kind: subprocess. This is a simulation scenario: give it to luoshi simulate --scenario`);
    expect(stdout).not.toContain('""');
  });

  it('when simulated with its JSON output redirected into the folder, then the output file is not read and the skip is said on stderr', async () => {
    const dir = folderWithScenario();
    // The shell creates the output file, empty, before the command runs.
    writeFileSync(join(dir, 'out.json'), '');
    const { code, stdout, stderr } = await run(['simulate', join(dir, '002-jiguan-zuofeng.yaml'), '--scenario', join(dir, '002-baseline.yaml'), '--runs', '1', '--format', 'json', '--lang', 'en']);
    expect(code).toBe(EXIT.ok);
    expect((JSON.parse(stdout) as { processId: string }).processId).toBe('机关作风建设年');
    expect(stderr).toContain(`skipped ${join(dir, 'out.json')}`);
    expect(stderr).toContain(`skipped ${join(dir, '002-baseline.yaml')}`);
  });
});
