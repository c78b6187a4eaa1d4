import { describe, expect, it } from 'vitest';
import { validateProcessText } from '../src/validate/validate-processes.js';
import { BASE_CAMPAIGN, BASE_SUBPROCESS, positionOf, replaceOnce } from './fixtures.js';

const library = [{ file: 'sub.yaml', text: BASE_SUBPROCESS }];
const validate = (text: string) => validateProcessText(text, { file: 'campaign.yaml', library });

/** Applies one mistake and expects exactly that diagnostic at the place where `at` is written. */
function expectMistake(from: string, to: string, code: string, at: string, occurrence = 1) {
  const text = replaceOnce(BASE_CAMPAIGN, from, to);
  const result = validate(text);
  expect(result.ok).toBe(false);
  const found = result.diagnostics.find((d) => d.code === code);
  expect(found, `${code} in ${JSON.stringify(result.diagnostics.map((d) => d.code))}`).toBeDefined();
  expect({ file: found?.file, line: found?.line, column: found?.column }).toEqual({
    file: 'campaign.yaml',
    ...positionOf(text, at, occurrence),
  });
  expect(found?.message.zh).toMatch(/[\u4e00-\u9fff]/);
  expect(found?.message.en).toMatch(/[a-z]/);
  return found;
}

describe('given the small valid campaign', () => {
  it('when validated with its sub-process, then it is valid with no diagnostics', () => {
    const result = validate(BASE_CAMPAIGN);
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.definition?.id).toBe('测试活动');
  });
});

describe('syntax and schema mistakes', () => {
  it('malformed YAML is reported where it breaks', () => {
    expectMistake('    title: 组织实施\n', '    title: [组织实施\n', 'DSL_YAML_SYNTAX', 'window: 6月至11月');
  });

  it('a duplicated key is reported at the second key', () => {
    expectMistake('year: 2010\n', 'year: 2010\nyear: 2011\n', 'DSL_YAML_DUPLICATE_KEY', 'year: 2011');
  });

  it('a missing required key is reported at the block that lacks it', () => {
    const d = expectMistake('        owner: 支部\n', '', 'DSL_SCHEMA_MISSING', 'id: 报送方案');
    expect(d?.message.en).toContain('"owner"');
  });

  it('an unknown key is reported at the key itself with the allowed keys', () => {
    const d = expectMistake('    window: 4月至5月\n', '    windw: 4月至5月\n', 'DSL_SCHEMA_UNKNOWN_KEY', 'windw');
    expect(d?.message.en).toContain('window');
  });

  it('a wrong type is reported at the value', () => {
    expectMistake('year: 2010', 'year: 二零一零', 'DSL_SCHEMA_TYPE', '二零一零');
  });

  it('a value outside an enumeration lists the allowed ones', () => {
    const d = expectMistake('effect: criticise', 'effect: scold', 'DSL_SCHEMA_ENUM', 'scold');
    expect(d?.message.zh).toContain('criticise');
  });

  it('a wrong kind is the only thing reported', () => {
    const text = replaceOnce(BASE_CAMPAIGN, 'kind: campaign', 'kind: campain');
    const result = validate(text);
    // Both kinds are offered (the schema's enum error offered only the branch it compared last).
    expect(result.diagnostics.map((d) => d.code)).toEqual(['DSL_NOT_A_PROCESS_KIND']);
    expect(result.diagnostics[0]?.message.en).toContain('kind: campaign or kind: subprocess');
  });

  it('a file that is not a mapping says so', () => {
    const result = validate('- just\n- a list\n');
    expect(result.diagnostics.map((d) => d.code)).toContain('DSL_NOT_A_MAPPING');
  });

  it('a YAML file without the schema comment gets a warning but stays valid', () => {
    const result = validate(BASE_CAMPAIGN.split('\n').slice(1).join('\n'));
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([['DSL_SCHEMA_COMMENT', 'warning']]);
  });
});

describe('semantic mistakes', () => {
  it('a duplicate id points at the second one and names the first', () => {
    const d = expectMistake('      - id: 报送方案', '      - id: 动员部署', 'DSL_DUPLICATE_ID', '动员部署', 3);
    expect(d?.message.en).toContain('campaign.yaml:17');
  });

  it('an unknown role is reported at the reference', () => {
    expectMistake('        owner: 支部', '        owner: 科室', 'DSL_UNKNOWN_REFERENCE', '科室');
  });

  it('an unknown action in a ladder rung is reported', () => {
    expectMistake('{ level: 2, actions: [通报批评] }', '{ level: 2, actions: [交流换岗] }', 'DSL_UNKNOWN_REFERENCE', '交流换岗');
  });

  it('an unknown evaluation in ranking weights is reported at the key', () => {
    expectMistake('weights: { 自评: 1, 互评: 1 }', 'weights: { 自评: 1, 他评: 1 }', 'DSL_UNKNOWN_REFERENCE', '他评');
  });

  it('an unknown sub-process is reported at the use', () => {
    expectMistake('      - use: 小评', '      - use: 大评', 'DSL_UNKNOWN_SUBPROCESS', '大评');
  });

  it('a phase nothing leads to is unreachable', () => {
    expectMistake('    window: 4月至5月\n', '    window: 4月至5月\n    next: end\n', 'DSL_UNREACHABLE_PHASE', '组织实施');
  });

  it('a deadline before its phase window opens is reported', () => {
    const d = expectMistake('{ id: 自评, title: 自评, by: 支部 }', '{ id: 自评, title: 自评, by: 支部, due: 5月10日 }', 'DSL_DEADLINE_OUTSIDE_WINDOW', '5月10日');
    expect(d?.message.zh).toContain('2010-06-01');
  });

  it('a deadline after its phase window (a phase report due weeks after the phase) is valid', () => {
    const result = validate(replaceOnce(BASE_CAMPAIGN, 'due: 5月20日前', 'due: 6月20日前'));
    expect(result.diagnostics).toEqual([]);
  });

  it('a deadline after the campaign end is reported as such', () => {
    expectMistake('due: 5月20日前', 'due: 2011-01-20', 'DSL_DEADLINE_AFTER_END', '2011-01-20');
  });

  it('a relative deadline that runs past the campaign end is reported', () => {
    expectMistake('due: 5月20日前', 'due: 动员部署后200个工作日内', 'DSL_DEADLINE_AFTER_END', '动员部署后200个工作日内');
  });

  it('a relative deadline counted from an unknown anchor is reported', () => {
    expectMistake('due: 5月20日前', 'due: 筹备后5天', 'DSL_UNKNOWN_REFERENCE', '筹备后5天');
  });

  it('an unreadable date is reported with the accepted forms', () => {
    const d = expectMistake('due: 5月20日前', 'due: 五月中下旬左右', 'DSL_BAD_DUE', '五月中下旬左右');
    expect(d?.message.zh).toContain('10月18日前');
  });

  it('a window that ends before it starts is reported', () => {
    expectMistake('window: 6月至11月', 'window: 11月至6月', 'DSL_WINDOW_REVERSED', '11月至6月');
  });

  it('overlapping phase windows are reported', () => {
    expectMistake('window: 6月至11月', 'window: 5月至11月', 'DSL_WINDOW_ORDER', '5月至11月');
  });

  it('ladder rungs must count 1, 2, 3', () => {
    const d = expectMistake('{ level: 2, actions: [通报批评] }', '{ level: 3, actions: [通报批评] }', 'DSL_LADDER_RUNGS', '- { level: 1');
    expect(d?.message.en).toContain('1, 3');
  });

  it('a ranking larger than the organisation is implausible', () => {
    expectMistake('top: { count: 3 }', 'top: { count: 30 }', 'DSL_RANKING_IMPLAUSIBLE', '30 }');
  });

  it('an unknown time zone is reported', () => {
    expectMistake('year: 2010\n', 'year: 2010\ntimezone: Asia/Beijing\n', 'DSL_UNKNOWN_TIMEZONE', 'Asia/Beijing');
  });

  it('a condition naming an unknown flag is reported with the known names', () => {
    const d = expectMistake('not flags.取消评先评优', 'not flags.取消评优', 'DSL_EXPRESSION_UNKNOWN_NAME', 'not flags.取消评优');
    expect(d?.message.en).toContain('flags.取消评先评优');
  });

  it('a condition that calls a function is refused', () => {
    expectMistake('when: "event.verified"', 'when: "require(\'fs\')"', 'DSL_EXPRESSION_FORBIDDEN', '"require');
  });

  it('exit by decision without decisions is reported', () => {
    expectMistake('    window: 4月至5月\n', '    window: 4月至5月\n    exit: decision\n', 'DSL_DECISION_MISSING', 'decision');
  });

  it('working days in a year without holiday data warn unless holidays are given', () => {
    const text = replaceOnce(replaceOnce(BASE_CAMPAIGN, 'year: 2010', 'year: 2031'), 'due: 5月20日前', 'due: 动员部署后5个工作日内');
    const warned = validate(text);
    expect(warned.ok).toBe(true);
    expect(warned.diagnostics.map((d) => d.code)).toEqual(['DSL_CALENDAR_NOT_COVERED']);
    const supplied = validate(replaceOnce(text, 'year: 2031\n', 'year: 2031\nholidays: { holidays: [2031-10-01] }\n'));
    expect(supplied.diagnostics).toEqual([]);
  });
});

describe('sub-processes', () => {
  it('a circular use is an error, not a crash', () => {
    const loop = BASE_SUBPROCESS + '    uses:\n      - use: 小评\n';
    const result = validateProcessText(BASE_CAMPAIGN, { file: 'campaign.yaml', library: [{ file: 'sub.yaml', text: loop }] });
    expect(result.ok).toBe(false);
    const d = result.diagnostics.find((x) => x.code === 'DSL_CIRCULAR_SUBPROCESS');
    expect(d?.file).toBe('sub.yaml');
    expect(d?.message.en).toContain('小评 → 小评');
  });

  it('an error inside a used sub-process makes the campaign invalid and points into the sub-process file', () => {
    const broken = replaceOnce(BASE_SUBPROCESS, 'by: 支部', 'by: 无此角色');
    const result = validateProcessText(BASE_CAMPAIGN, { file: 'campaign.yaml', library: [{ file: 'sub.yaml', text: broken }] });
    expect(result.ok).toBe(false);
    const d = result.diagnostics.find((x) => x.code === 'DSL_UNKNOWN_REFERENCE');
    expect(d).toMatchObject({ file: 'sub.yaml', ...positionOf(broken, '无此角色') });
  });
});
