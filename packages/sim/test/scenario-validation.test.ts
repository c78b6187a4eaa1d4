import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, validateScenarioText, type ScenarioDiagnostic } from '@luoshi/sim';
import { VALID_SCENARIO } from '../../../test/support/valid-scenario.js';

// The shared valid scenario with a kind of unit (窗口单位) after its membersPerUnit: the lines below it move down by 2.
const VALID = VALID_SCENARIO.replace('  membersPerUnit: 2\n', '  membersPerUnit: 2\n  kinds:\n    - { id: 窗口单位, share: 1 }\n');

const at = (d: ScenarioDiagnostic) => `${d.line}:${d.column} ${d.code}`;

describe('scenario validation', () => {
  it('when the scenario is valid, then it comes back typed with no diagnostics', () => {
    const result = validateScenarioText(VALID, 'ok.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.scenario?.organisation?.units).toBe(3);
  });

  it('when the bundled example scenarios are checked, then all are valid', () => {
    const dir = new URL('../../../examples/scenarios/', import.meta.url).pathname;
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) expect(loadScenarioFile(`${dir}${f}`).diagnostics, f).toEqual([]);
  });

  const cases: [string, string, string, string][] = [
    ['an unknown key', VALID.replace('  membersPerUnit: 2', '  membersPerUnit: 2\n  colour: red'), '7:3 SIM_SCHEMA_UNKNOWN_KEY', '未知的键「colour」'],
    ['a text where a number goes', VALID.replace('units: 3', 'units: three'), '5:10 SIM_SCHEMA_TYPE', '此处应为整数'],
    ['a missing key', VALID.replace('seed: 1\n', ''), '1:1 SIM_SCHEMA_MISSING', '缺少必填项「seed」'],
    ['a bad distribution kind', VALID.replace('kind: normal', 'kind: gaussian'), '12:22 SIM_SCHEMA_ENUM', '不在可选范围内'],
    ['a probability above 1', VALID.replace('neverProbability: 0', 'neverProbability: 2'), '13:25 SIM_SCHEMA_INVALID', '取值无效'],
    ['a normal distribution without sd', VALID.replace(', sd: 2', ''), '12:14 SIM_DISTRIBUTION_FIELD', 'normal 分布需要给出「sd」'],
    ['min above max', VALID.replace('min: 60, max: 100', 'min: 100, max: 60'), '16:38 SIM_DISTRIBUTION_RANGE', '不能大于'],
    ['probabilities over one', VALID.replace('onTime: 0.8', 'onTime: 0.9'), '18:20 SIM_PROBABILITIES_OVER_ONE', '超过了 1'],
    ['an override for an unknown kind', `${VALID}  kinds:\n    机关科室:\n      complaintsPerMemberPerMonth: 0\n`, '20:5 SIM_UNKNOWN_KIND', '没有类别为「机关科室」的单位'],
    ['both organisation sources', VALID.replace('seed: 1\n', 'seed: 1\norganisationFile: org.yaml\n'), '6:3 SIM_ORGANISATION_CHOICE', '须且只能给出一个'],
    ['a duplicate key', VALID.replace('seed: 1\n', 'seed: 1\nseed: 2\n'), '4:1 SIM_YAML_DUPLICATE_KEY', '出现了两次'],
    ['broken YAML', VALID.replace('tasks:', 'tasks: [unclosed'), '', 'YAML 语法错误'],
  ];
  for (const [name, text, expected, zh] of cases) {
    it(`when the file has ${name}, then ${expected || 'SIM_YAML_SYNTAX'} at its line and column, in both languages`, () => {
      const result = validateScenarioText(text, 'bad.yaml');
      expect(result.ok).toBe(false);
      expect(result.scenario).toBeUndefined();
      const first = result.diagnostics[0] as ScenarioDiagnostic;
      if (expected) expect(at(first)).toBe(expected);
      else expect(first.code).toBe('SIM_YAML_SYNTAX');
      expect(first.file).toBe('bad.yaml');
      expect(first.message.zh).toContain(zh);
      expect(first.message.en.length).toBeGreaterThan(0);
    });
  }

  it('when the organisation comes from a file, then it is read relative to the scenario and its kinds are known', () => {
    const text = VALID.replace(/organisation:\n(  .*\n)+/, 'organisationFile: org.yaml\n') + '  kinds:\n    支部:\n      findingsPerUnitPerMonth: 0\n';
    const files: Record<string, string> = {
      '/s/org.yaml': 'id: 局\nunits:\n  - { id: 办公室支部, kind: 支部, members: [{ id: 张三 }] }\n',
    };
    const read = (p: string) => {
      const t = files[p];
      if (t === undefined) throw new Error(`ENOENT ${p}`);
      return t;
    };
    const result = validateScenarioText(text, '/s/scenario.yaml', read);
    expect(result.diagnostics).toEqual([]);
    expect(result.organisation?.units?.[0]?.id).toBe('办公室支部');
    const missing = validateScenarioText(text.replace('org.yaml', 'none.yaml'), '/s/scenario.yaml', read);
    expect(missing.diagnostics.map(at)).toEqual(['4:19 SIM_FILE_UNREADABLE']);
    files['/s/org.yaml'] = 'id: 局\nunits:\n  - { kind: 支部 }\n';
    const invalid = validateScenarioText(text, '/s/scenario.yaml', read);
    expect(invalid.diagnostics[0]).toMatchObject({ file: '/s/org.yaml', line: 3, column: 5, code: 'SIM_ORGANISATION_INVALID' });
  });

  it('when given any text at all, then it never throws', () => {
    for (const text of ['', '- a\n- b', '42', 'kind: [', ':\n:', '\u0000', 'behaviour: { default: 1 }', VALID.replace(/: /g, ':  :')]) {
      expect(() => validateScenarioText(text, 'x.yaml')).not.toThrow();
      expect(validateScenarioText(text, 'x.yaml').ok).toBe(false);
    }
    expect(loadScenarioFile('/nonexistent/scenario.yaml').diagnostics[0]?.code).toBe('SIM_FILE_UNREADABLE');
  });
});
