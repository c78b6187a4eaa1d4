import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateProcessPaths } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { simulate, validateScenarioText, type ScenarioFile } from '@luoshi/sim';

/*
 * Hostile input is normal input: a process whose own ids are names of Object.prototype (a task
 * `__proto__`, a phase `constructor`, an evaluation `valueOf`, a ladder `toString`), a scenario whose
 * keys and unit kinds are such names. The simulator either refuses with a coded diagnostic (the
 * validator may reserve the names) or runs as with any other names: never a crash, and no result
 * silently missing a key.
 */

const CAMPAIGN = `
kind: campaign
id: 原型
title: 原型
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 单位, level: unit }
actions: [{ id: 诫勉谈话, title: 诫勉谈话, effect: admonish }]
phases:
  - id: constructor
    title: 实施
    window: 3月至6月
    tasks: [{ id: __proto__, title: 报送, owner: 单位, due: 5月31日 }]
    evaluations: [{ id: valueOf, title: 测评, by: 办公室, subject: unit, due: 6月20日 }]
ladders:
  - { id: toString, title: 投诉, subject: member, on: { event: complaint-verified }, rungs: [{ level: 1, actions: [诫勉谈话] }] }
`;

const SCENARIO: ScenarioFile = JSON.parse(`{
  "kind": "scenario",
  "id": "proto",
  "title": "原型",
  "process": "原型",
  "seed": 7,
  "organisation": { "units": 4, "membersPerUnit": 2, "kinds": [{ "id": "constructor", "share": 0.5 }, { "id": "__proto__", "share": 0.5 }] },
  "behaviour": {
    "default": {
      "tasks": { "delay": { "kind": "fixed", "mean": 3 }, "neverProbability": 0 },
      "complaintsPerMemberPerMonth": 0.5,
      "scores": { "default": { "kind": "fixed", "mean": 80 }, "evaluations": { "hasOwnProperty": { "kind": "fixed", "mean": 10 } } }
    },
    "kinds": { "__proto__": { "complaintsPerMemberPerMonth": 0 }, "constructor": { "complaintsPerMemberPerMonth": 0 } }
  }
}`) as ScenarioFile;

describe('a simulated year of a process whose ids are names of Object.prototype', () => {
  it('when run, then it is refused with a coded diagnostic, or every id is a key of the result like any other', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'luoshi-sim-proto-')), 'proto.yaml');
    writeFileSync(file, CAMPAIGN);
    const definitions = validateProcessPaths([file]);
    if (!definitions.ok) {
      for (const d of definitions.diagnostics.filter((x) => x.severity === 'error')) expect(d).toMatchObject({ code: expect.stringMatching(/^DSL_/), line: expect.any(Number) });
      return;
    }
    const result = await simulate({ definitions, processId: '原型', scenario: SCENARIO });
    const own = <T>(map: Readonly<Record<string, T>>, key: string): T | undefined => Object.getOwnPropertyDescriptor(map, key)?.value as T | undefined;
    // Every unit did the task three days after it opened, on time; the evaluation was given its default 80.
    expect(own(result.deadlines, '__proto__')).toMatchObject({ total: 4, onTime: 4, onTimeRate: 1 });
    expect(own(result.deadlines, 'valueOf')).toMatchObject({ total: 4, onTime: 4 });
    expect(Object.keys(result.ladders)).toEqual(['toString']);
    // The kinds' overrides silence complaints: no member climbed.
    expect(own(result.ladders, 'toString')).toEqual({ '1': 0 });
    // The JSON of the result holds the keys, as a reader of report.json sees them.
    const parsed = JSON.parse(JSON.stringify(result)) as { deadlines: Record<string, unknown> };
    expect(Object.keys(parsed.deadlines).sort()).toEqual(['__proto__', 'valueOf']);
  });
});

describe('an organisation file of a scenario', () => {
  const scenario = (kinds: string) => `kind: scenario
id: t
seed: 1
organisationFile: org.json
behaviour:
  default:
    tasks: { delay: { kind: fixed, mean: 1 }, neverProbability: 0 }
    complaintsPerMemberPerMonth: 0
    scores: { default: { kind: fixed, mean: 80 } }
    findingsPerUnitPerMonth: 0
    rectification: { onTime: 1, late: 0, failsReinspection: 0 }
  kinds:
${kinds}`;

  it('when its units, members and kinds are named __proto__ or constructor, then they are read as any other names', () => {
    const org = '{"id":"office","units":[{"id":"__proto__","kind":"__proto__","members":[{"id":"__proto__"},{"id":"constructor"}]},{"id":"constructor","kind":"constructor"}]}';
    const result = validateScenarioText(scenario('    __proto__: { findingsPerUnitPerMonth: 1 }\n    constructor: { findingsPerUnitPerMonth: 2 }\n'), '/s/scenario.yaml', () => org);
    expect(result.diagnostics).toEqual([]);
    expect(result.organisation?.units?.map((u) => [u.id, u.kind, u.members?.map((m) => m.id) ?? []])).toEqual([
      ['__proto__', '__proto__', ['__proto__', 'constructor']],
      ['constructor', 'constructor', []],
    ]);
    const kinds = result.scenario?.behaviour.kinds ?? {};
    expect(Object.keys(kinds)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(kinds, '__proto__')?.value).toEqual({ findingsPerUnitPerMonth: 1 });
  });

  it('when its units nest 5,000 levels deep, then it is refused with one coded diagnostic in that file, not an exception', () => {
    let deep = '{"id":"leaf"}';
    for (let i = 0; i < 5_000; i++) deep = `{"id":"u${i}","units":[${deep}]}`;
    const result = validateScenarioText(scenario('    office: {}\n'), '/s/scenario.yaml', () => deep);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([[expect.stringMatching(/^SIM_FILE_TOO_COMPLEX$/), '/s/org.json']]);
  });
});
