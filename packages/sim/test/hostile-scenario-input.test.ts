import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateProcessPaths } from '@luoshi/dsl';
import { compareScenarios, loadScenarioFile, monteCarlo, SCENARIO_LIMITS, workerThreads, validateScenarioText, type ScenarioDiagnostic, type ScenarioFile } from '@luoshi/sim';
import { VALID_SCENARIO as VALID, validScenarioOf } from '../../../test/support/valid-scenario.js';

/*
 * Hostile scenario files and run options: every input has a size stated in docs/simulation.md
 * ("Limits"), checked before the work it would cost, and past it a coded answer at a line and
 * column — never a read that does not end, an allocation of gigabytes or an untyped exception.
 */

const at = (d: ScenarioDiagnostic) => `${d.line}:${d.column} ${d.code}`;
const dir = () => mkdtempSync(join(tmpdir(), 'luoshi-hostile-scenario-'));

describe('given scenario files that are not what they say', () => {
  it('when the file is larger than 1 MiB, then it is SIM_FILE_TOO_LARGE at 1:1 with the size and the limit', () => {
    const file = join(dir(), 'big.yaml');
    writeFileSync(file, `${VALID}# ${'x'.repeat(SCENARIO_LIMITS.fileBytes)}\n`);
    const result = loadScenarioFile(file);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map(at)).toEqual(['1:1 SIM_FILE_TOO_LARGE']);
    expect(result.diagnostics[0]?.message.en).toContain(String(SCENARIO_LIMITS.fileBytes));
  });

  it('when the file is a device that never ends (/dev/zero) or a directory, then it is SIM_FILE_UNREADABLE without reading it', () => {
    for (const path of ['/dev/zero', dir()]) {
      const result = loadScenarioFile(path);
      expect(result.diagnostics.map(at), path).toEqual(['1:1 SIM_FILE_UNREADABLE']);
    }
  });

  it('when the file is a FIFO no one writes to, then it is SIM_FILE_UNREADABLE at once (opening it for reading would wait for a writer)', () => {
    const fifo = join(dir(), 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    // In a child process with a deadline: a regression would block this thread for good.
    const script = `import { loadScenarioFile } from '@luoshi/sim'; process.stdout.write(loadScenarioFile(${JSON.stringify(fifo)}).diagnostics.map((d) => d.code).join());`;
    const codes = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('../', import.meta.url).pathname, timeout: 20_000 }).toString();
    expect(codes).toBe('SIM_FILE_UNREADABLE');
  });

  it('when the organisation file it names is /dev/zero, then it is SIM_FILE_UNREADABLE at organisationFile', () => {
    const file = join(dir(), 'org.yaml');
    writeFileSync(file, VALID.replace(/organisation:\n {2}units: 3\n {2}membersPerUnit: 2\n/, 'organisationFile: /dev/zero\n'));
    expect(loadScenarioFile(file).diagnostics.map(at)).toEqual(['4:19 SIM_FILE_UNREADABLE']);
  });

  it('when the file has bytes that are not UTF-8, then it is SIM_INVALID_ENCODING at the first of them, not text with U+FFFD in it', () => {
    const file = join(dir(), 'latin1.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from(VALID.replace('id: t', 'id: t')), Buffer.from('title: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    expect(loadScenarioFile(file).diagnostics.map(at)).toEqual([`${VALID.split('\n').length}:11 SIM_INVALID_ENCODING`]);
  });

  it('when the file has more YAML tokens than the limit or nests deeper than it, then it is SIM_FILE_TOO_COMPLEX', () => {
    const tokens = validateScenarioText(`${VALID}x: [${'1,'.repeat(60_000)}1]\n`, 'tokens.yaml');
    expect(tokens.diagnostics.map((d) => d.code)).toEqual(['SIM_FILE_TOO_COMPLEX']);
    const deep = validateScenarioText(`${VALID}x: ${'['.repeat(100)}${']'.repeat(100)}\n`, 'deep.yaml');
    expect(deep.diagnostics.map((d) => d.code)).toEqual(['SIM_FILE_TOO_COMPLEX']);
  });
});

describe('given a generated organisation larger than a run can hold', () => {
  it('when units × membersPerUnit passes the member limit (100,000 × 10,000 = 10⁹ people), then it is SIM_ORGANISATION_TOO_LARGE at organisation', () => {
    const result = validateScenarioText(VALID.replace('units: 3', 'units: 100000').replace('membersPerUnit: 2', 'membersPerUnit: 10000'), 'huge.yaml');
    expect(result.diagnostics.map(at)).toEqual(['5:3 SIM_ORGANISATION_TOO_LARGE']);
    expect(result.diagnostics[0]?.message.en).toContain('1000000000');
    expect(result.diagnostics[0]?.message.zh).toContain(String(SCENARIO_LIMITS.members));
  });

  it('when intermediate units hold the members instead (nesting.members), or there are a billion of them, then it is refused the same way', () => {
    const members = validateScenarioText(VALID.replace('membersPerUnit: 2\n', 'membersPerUnit: 2\n  nesting: { groups: 3, members: 1000000000 }\n'), 'n.yaml');
    expect(members.diagnostics.map((d) => d.code)).toEqual(['SIM_ORGANISATION_TOO_LARGE']);
    const groups = validateScenarioText(VALID.replace('membersPerUnit: 2\n', 'membersPerUnit: 2\n  nesting: { groups: 1000000000 }\n'), 'g.yaml');
    expect(groups.diagnostics.map((d) => d.code)).toEqual(['SIM_ORGANISATION_TOO_LARGE']);
  });

  it('when exactly at the member limit, then it is accepted', () => {
    const units = SCENARIO_LIMITS.members / 5;
    expect(validateScenarioText(VALID.replace('units: 3', `units: ${units}`).replace('membersPerUnit: 2', 'membersPerUnit: 5'), 'edge.yaml').diagnostics).toEqual([]);
  });
});

describe('given a scenario id that would reach a terminal, a spreadsheet or a file name', () => {
  it('when it holds a control or invisible-format character (ESC, a direction override, a tab), then it is SIM_BAD_SCENARIO_ID at the id, shown escaped', () => {
    for (const id of ['"\\e]0;pwned\\a"', '"a\\u202eb"', '"a\\tb"']) {
      const result = validateScenarioText(VALID.replace('id: t', `id: ${id}`), 'id.yaml');
      expect(result.diagnostics.map(at), id).toEqual(['2:5 SIM_BAD_SCENARIO_ID']);
      expect(result.diagnostics[0]?.message.en, id).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    }
    // NUL is refused by the parser itself, as in any process file.
    expect(validateScenarioText(VALID.replace('id: t', 'id: "a\\0b"'), 'id.yaml').ok).toBe(false);
  });

  it('when it is longer than 100 characters, or empty, then it is SIM_BAD_SCENARIO_ID; 100 is accepted', () => {
    expect(validateScenarioText(VALID.replace('id: t', `id: ${'a'.repeat(101)}`), 'id.yaml').diagnostics.map(at)).toEqual(['2:5 SIM_BAD_SCENARIO_ID']);
    expect(validateScenarioText(VALID.replace('id: t', 'id: ""'), 'id.yaml').diagnostics.map(at)).toEqual(['2:5 SIM_BAD_SCENARIO_ID']);
    expect(validateScenarioText(VALID.replace('id: t', `id: ${'情'.repeat(100)}`), 'id.yaml').diagnostics).toEqual([]);
  });
});

describe('given run counts and seeds outside what a run can use', () => {
  const definitions = validateProcessPaths([new URL('../../../processes/000-sanxing-jiguan.yaml', import.meta.url).pathname]);
  const scenario = (): ScenarioFile => {
    const loaded = validateScenarioText(validScenarioOf('三型机关动员月'), 's.yaml');
    if (!loaded.scenario) throw new Error(JSON.stringify(loaded.diagnostics));
    return loaded.scenario;
  };

  it('when runs is 0, 1.5, NaN, or above the limit (1e9 would ask for gigabytes of seeds before any run), then monteCarlo rejects with SIM_BAD_RUNS', async () => {
    for (const runs of [0, -3, 1.5, Number.NaN, SCENARIO_LIMITS.runs + 1, 1e9]) {
      await expect(monteCarlo({ definitions, processId: '三型机关动员月', scenario: scenario(), runs, threads: 1 }), String(runs)).rejects.toMatchObject({ code: 'SIM_BAD_RUNS' });
    }
  });

  it('when the seed is negative, fractional or 2³² and beyond (which would alias seed 0), then monteCarlo rejects with SIM_BAD_SEED', async () => {
    for (const seed of [-1, 0.5, 4294967296, 1e30]) {
      await expect(monteCarlo({ definitions, processId: '三型机关动员月', scenario: scenario(), runs: 1, seed, threads: 1 }), String(seed)).rejects.toMatchObject({ code: 'SIM_BAD_SEED' });
    }
  });

  it('when more scenarios are compared than the limit (each runs every run), then compareScenarios rejects with SIM_TOO_MANY_SCENARIOS before running one', async () => {
    const scenarios = Array.from({ length: SCENARIO_LIMITS.scenarios + 1 }, () => ({ scenario: scenario() }));
    await expect(compareScenarios({ definitions, processId: '三型机关动员月', scenarios, runs: 1, threads: 1 })).rejects.toMatchObject({ code: 'SIM_TOO_MANY_SCENARIOS' });
  });

  it('when more worker threads are asked than runs or than the limit (10,000 runs on 10,000 threads would start 10,000 workers of tens of MB each), then at most 64 start', () => {
    expect(workerThreads(10_000, 10_000)).toBe(64);
    expect(workerThreads(3, 1_000_000)).toBe(3);
    expect(workerThreads(200, 2)).toBe(2);
    expect(SCENARIO_LIMITS.threads).toBe(64);
  });
});
