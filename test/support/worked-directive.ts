import { beforeAll, expect, it } from 'vitest';
import type { ValidationResult } from '@luoshi/dsl';
import type { Effect } from '@luoshi/engine';
import type { SimulationResult } from '@luoshi/sim';
import { shanghai } from './campaign-harness.js';
import { simulateBaseline, validateDirective, type DirectiveRun } from './directive-run.js';

/*
 * What the tests of the worked directives (test/directives/, one file a directive of
 * examples/directives/) share: each file validates with no diagnostic at all, and the ones that need
 * it simulate their baseline once for their `describe`.
 */

/** An instant as the simulator writes it (ISO 8601, UTC) from a Shanghai wall-clock time. */
export function utc(iso: string): string {
  return new Date(shanghai(iso)).toISOString();
}

/** A worked directive validated and its baseline simulated once for its `describe`. */
export interface Directive {
  readonly definitions: ValidationResult;
  readonly result: SimulationResult;
}

/**
 * Validates `examples/directives/<file>` and simulates `examples/scenarios/<scenario>.yaml` before the
 * enclosing `describe`'s tests, and adds the test every worked directive must pass: no diagnostic.
 */
export function workedDirective(file: string, processId: string, scenario: string): Directive {
  const validated = validatedDirective(file);
  const simulated: { result?: SimulationResult } = {};
  // After the validation's own beforeAll (hooks run in the order they are declared).
  beforeAll(async () => {
    simulated.result = await simulateBaseline(validated.definitions, processId, scenario);
  });
  return {
    get definitions() {
      return validated.definitions;
    },
    get result() {
      if (!simulated.result) throw new Error(`${scenario} is not simulated yet`);
      return simulated.result;
    },
  };
}

/** The tasks of one item of an instance, in occurrence order. */
export async function itemTasks(run: DirectiveRun, instance: string, item: string) {
  return (await run.driver.tasks(instance)).filter((t) => t.item === item);
}

/** The validated file of a worked directive whose baseline scenario is not needed by its tests: it must have no diagnostic at all. */
export function validatedDirective(file: string): { readonly definitions: ValidationResult } {
  const loaded: { definitions?: ValidationResult } = {};
  beforeAll(() => {
    loaded.definitions = validateDirective(file);
  });
  it('when the file is validated, then it has no error and no warning', () => {
    expect(loaded.definitions?.diagnostics).toEqual([]);
    expect(loaded.definitions?.ok).toBe(true);
  });
  return {
    get definitions() {
      if (!loaded.definitions) throw new Error(`${file} is not validated yet`);
      return loaded.definitions;
    },
  };
}

/** The actions taken (effects of file actions), in order, of one unit or all. */
export function actionsTaken(effects: readonly Effect[], unit?: string): string[] {
  return effects.filter((e) => e.action !== undefined && (unit === undefined || e.unitId === unit)).map((e) => `${e.unitId}:${e.action}`);
}

