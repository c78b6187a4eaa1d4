import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkComparedScenarios, loadScenarioFile, type ScenarioFile } from '@luoshi/sim';
import { sameJson } from '../packages/sim/src/scenario/same-json.js';
import { VALID_SCENARIO } from './support/valid-scenario.js';

/*
 * 情景对比: one id names one scenario. The same scenario given twice is allowed (compared with itself
 * it differs by exactly 0), two different ones under one id are SIM_DUPLICATE_SCENARIO_ID. "The same"
 * was the same JSON text, so one scenario written with its keys in another order — the same file
 * to a reader and to the simulator — was refused as a different one.
 */

/** VALID_SCENARIO with every mapping's keys in another order (top level, organisation, behaviour, distributions). */
const REORDERED = `behaviour:
  default:
    rectification: { failsReinspection: 0.1, late: 0.1, onTime: 0.8 }
    findingsPerUnitPerMonth: 0.1
    scores:
      default: { max: 100, min: 60, kind: uniform }
    complaintsPerMemberPerMonth: 0.1
    tasks:
      neverProbability: 0
      delay: { sd: 2, mean: 5, kind: normal }
organisation:
  membersPerUnit: 2
  units: 3
seed: 1
id: t
kind: scenario
`;

function loaded(text: string, name: string): ScenarioFile {
  const file = join(mkdtempSync(join(tmpdir(), 'luoshi-key-order-')), name);
  writeFileSync(file, text);
  const result = loadScenarioFile(file);
  if (!result.scenario) throw new Error(JSON.stringify(result.diagnostics));
  return result.scenario;
}

describe('given two scenario files under one id', () => {
  it('when they differ only in the order of their keys, then they are one scenario and the comparison is allowed', () => {
    const first = loaded(VALID_SCENARIO, 'first.yaml');
    const second = loaded(REORDERED, 'second.yaml');
    expect(JSON.stringify(first)).not.toBe(JSON.stringify(second));
    expect(() => checkComparedScenarios([{ scenario: first }, { scenario: second }], ['first.yaml', 'second.yaml'])).not.toThrow();
  });

  it('when one value differs as well (the sd of the task delay, 2 and 3), then it is SIM_DUPLICATE_SCENARIO_ID naming both files', () => {
    const first = loaded(VALID_SCENARIO, 'first.yaml');
    const second = loaded(REORDERED.replace('sd: 2', 'sd: 3'), 'second.yaml');
    expect(() => checkComparedScenarios([{ scenario: first }, { scenario: second }], ['first.yaml', 'second.yaml'])).toThrow(
      expect.objectContaining({ code: 'SIM_DUPLICATE_SCENARIO_ID', details: expect.objectContaining({ id: 't', first: 'first.yaml', second: 'second.yaml' }) }),
    );
  });

  it('when their organisation trees (read from files) differ only in key order, then they are one; in the order of their units, two', () => {
    const scenario = loaded(VALID_SCENARIO, 'first.yaml');
    const tree = { id: 'office', units: [{ id: 'u01', kind: '甲' }, { id: 'u02', kind: '乙' }] };
    const reordered = { units: [{ kind: '甲', id: 'u01' }, { kind: '乙', id: 'u02' }], id: 'office' };
    expect(() => checkComparedScenarios([{ scenario, organisation: tree }, { scenario, organisation: reordered }])).not.toThrow();
    const swapped = { id: 'office', units: [{ id: 'u02', kind: '乙' }, { id: 'u01', kind: '甲' }] };
    expect(() => checkComparedScenarios([{ scenario, organisation: tree }, { scenario, organisation: swapped }])).toThrow(expect.objectContaining({ code: 'SIM_DUPLICATE_SCENARIO_ID' }));
  });
});

describe('the comparison of two values as JSON', () => {
  it('when keys are absent or undefined, lists differ in order, or a value is a text of the same number, then it says what JSON.stringify would', () => {
    expect(sameJson({ a: 1, b: undefined }, { a: 1 }, 10)).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 }, 10)).toBe(false);
    expect(sameJson([1, 2], [2, 1], 10)).toBe(false);
    expect(sameJson({ a: 1 }, { a: '1' }, 10)).toBe(false);
    expect(sameJson({ a: null }, { a: {} }, 10)).toBe(false);
    expect(sameJson([undefined], [null], 10)).toBe(true);
    expect(sameJson({ __proto__: 1 }, JSON.parse('{"__proto__": 1}') as unknown, 10)).toBe(false);
    expect(sameJson(JSON.parse('{"__proto__": 1, "a": 2}') as unknown, JSON.parse('{"a": 2, "__proto__": 1}') as unknown, 10)).toBe(true);
  });

  it('when a value holds a cycle or nests past the bound, then it is not the same (no endless walk, no stack overflow)', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(sameJson(cyclic, cyclic, 50)).toBe(false);
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(sameJson(deep, deep, 200)).toBe(false);
    let shallow: unknown = 0;
    for (let i = 0; i < 3; i++) shallow = { a: shallow };
    expect(sameJson(shallow, { a: { a: { a: 0 } } }, 3)).toBe(true);
    expect(sameJson(shallow, { a: { a: { a: 0 } } }, 2)).toBe(false);
  });
});
