import { describe, expect, it } from 'vitest';
import { LuoshiError, validateProcessPaths } from '@luoshi/dsl';
import { checkComparedScenarios, compareScenarios, monteCarlo, validateScenarioText, type ScenarioFile } from '@luoshi/sim';
import { validScenarioOf } from '../../../test/support/valid-scenario.js';

/*
 * Run options a library caller gets wrong are typed errors with a stable code and both languages,
 * refused before any run: worker threads that are no whole number from 1 (SIM_BAD_THREADS), a
 * comparison of fewer than two scenarios (SIM_TOO_FEW_SCENARIOS), two different scenarios under one
 * id (SIM_DUPLICATE_SCENARIO_ID). They were untyped RangeErrors, or duplicate column headers.
 */

const PROCESS = '三型机关动员月';
const definitions = validateProcessPaths([new URL('../../../processes/000-sanxing-jiguan.yaml', import.meta.url).pathname]);

/** A small scenario for the seed campaign; `delay` makes two of them different. */
function scenario(id: string, delay = 5): ScenarioFile {
  const loaded = validateScenarioText(validScenarioOf(PROCESS, id).replace('mean: 5,', `mean: ${delay},`), `${id}.yaml`);
  if (!loaded.scenario) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.scenario;
}

/** The error a promise rejects with, which must be a LuoshiError. */
async function refusal(promise: Promise<unknown>): Promise<LuoshiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof LuoshiError)) throw new Error(`expected a LuoshiError, got ${String(error)}`);
  return error;
}

describe('given worker threads that are no whole number from 1', () => {
  it('when monteCarlo is asked for 0, −1, 1.5, NaN or Infinity threads, then it is SIM_BAD_THREADS naming the count, in both languages', async () => {
    for (const threads of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = await refusal(monteCarlo({ definitions, processId: PROCESS, scenario: scenario('a'), runs: 2, threads }));
      expect(error.code, String(threads)).toBe('SIM_BAD_THREADS');
      expect(error.localized('en')).toBe(`cannot run on ${String(threads)} worker threads: give a whole number from 1 (at most 64 are started)`);
      expect(error.localized('zh')).toBe(`无法以 ${String(threads)} 个工作线程运行：请写不小于 1 的整数（最多启动 64 个）`);
    }
  });

  it('when compareScenarios is asked for 0 threads, then it is SIM_BAD_THREADS before the first scenario runs', async () => {
    const error = await refusal(compareScenarios({ definitions, processId: PROCESS, scenarios: [{ scenario: scenario('a') }, { scenario: scenario('b', 9) }], runs: 1, threads: 0 }));
    expect(error.code).toBe('SIM_BAD_THREADS');
  });
});

describe('given a comparison of fewer than two scenarios', () => {
  it('when compareScenarios gets one scenario or none, then it is SIM_TOO_FEW_SCENARIOS saying how many were given', async () => {
    const one = await refusal(compareScenarios({ definitions, processId: PROCESS, scenarios: [{ scenario: scenario('a') }], runs: 1, threads: 1 }));
    expect(one.code).toBe('SIM_TOO_FEW_SCENARIOS');
    expect(one.localized('en')).toBe('a comparison needs at least two scenarios, a baseline and one to compare with it; 1 given');
    expect(one.localized('zh')).toBe('对比至少需要两个情景（一个基准情景和一个与之对比的情景），实际给出 1 个');
    const none = await refusal(compareScenarios({ definitions, processId: PROCESS, scenarios: [], runs: 1, threads: 1 }));
    expect(none.code).toBe('SIM_TOO_FEW_SCENARIOS');
    expect(none.localized('en')).toMatch(/; 0 given$/);
  });
});

describe('given two different scenarios under one id', () => {
  it('when the third scenario has the first one\'s id with other behaviour, then compareScenarios refuses with SIM_DUPLICATE_SCENARIO_ID naming #1 and #3', async () => {
    const scenarios = [{ scenario: scenario('same') }, { scenario: scenario('other') }, { scenario: scenario('same', 9) }];
    const error = await refusal(compareScenarios({ definitions, processId: PROCESS, scenarios, runs: 1, threads: 1 }));
    expect(error.code).toBe('SIM_DUPLICATE_SCENARIO_ID');
    expect(error.localized('en')).toBe('two different scenarios have the id "same" (#1 and #3): their columns and rows could not be told apart; give each its own id');
    expect(error.localized('zh')).toBe('两个不同的情景使用了同一编号「same」（#1 与 #3）：对比结果的列和行将无法区分，请为每个情景另取编号');
  });

  it('when names are given (the CLI\'s files), then the message names them', () => {
    expect(() => checkComparedScenarios([{ scenario: scenario('x') }, { scenario: scenario('x', 9) }], ['a.yaml', 'b.yaml'])).toThrow('two different scenarios have the id "x" (a.yaml and b.yaml)');
  });

  it('when the same scenario is given twice, even read twice into two objects, then it is no duplicate: a scenario compared with itself', () => {
    expect(() => checkComparedScenarios([{ scenario: scenario('x') }, { scenario: scenario('x') }])).not.toThrow();
  });

  it('when the ids differ only by what an object would inherit ("__proto__", "constructor"), then they are told apart as any ids are', () => {
    expect(() => checkComparedScenarios([{ scenario: scenario('__proto__') }, { scenario: scenario('constructor', 9) }])).not.toThrow();
    expect(() => checkComparedScenarios([{ scenario: scenario('__proto__') }, { scenario: scenario('__proto__', 9) }])).toThrow(/"__proto__"/);
  });
});
