import { describe, expect, it } from 'vitest';
import { validateProcessText } from '../src/validate/validate-processes.js';
import { positionOf, replaceOnce } from './fixtures.js';

/*
 * 等次评定 (issue 19): grade bands must neither overlap nor leave a gap, a veto caps at one of the
 * grading's grades, and a condition comparing a grade names one the grading gives. Each mistake is a
 * coded diagnostic in both languages at the line and column where it is written.
 */

const CAMPAIGN = `# yaml-language-server: $schema=../schema/process.schema.json
kind: campaign
id: 等次活动
title: 等次活动
source: { title: 测试文件 }
year: 2024
subjects: [unit]
roles:
  - { id: 单位, title: 各单位 }
  - { id: 考核办, title: 考核办公室, level: office }
flags:
  - { id: 发生重大安全事故, title: 发生重大安全事故 }
  - { id: 达标, title: 达标 }
actions:
  - { id: 约谈, title: 约谈, effect: admonish }
phases:
  - id: 实施
    title: 实施
    window: 1月至12月
    evaluations:
      - { id: 考核, title: 年度考核, by: 考核办, subject: unit, due: 12月20日 }
      - { id: 抽查, title: 抽查, by: 考核办, subject: unit, due: 12月20日 }
consequences:
  - id: 不合格约谈
    title: 不合格约谈
    on: { event: score-given, when: "grades.年度等次 == '不合格'" }
    actions: [约谈]
grades:
  - id: 年度等次
    title: 年度考核等次
    subject: unit
    at: 年底
    weights: { 考核: 1 }
    bands:
      - { grade: 优秀, min: 90 }
      - { grade: 良好, min: 80, below: 90 }
      - { grade: 合格, min: 60, flags: [达标] }
      - { grade: 不合格 }
    veto: { flags: [发生重大安全事故], cap: 不合格 }
    recheck: [抽查]
`;

const validate = (text: string) => validateProcessText(text, { file: 'campaign.yaml' });

function expectOne(from: string, to: string, code: string, at: string) {
  const text = replaceOnce(CAMPAIGN, from, to);
  const result = validate(text);
  expect(result.ok).toBe(false);
  const found = result.diagnostics.filter((d) => d.code === code);
  expect(found, JSON.stringify(result.diagnostics.map((d) => `${d.code} ${d.message.en}`))).toHaveLength(1);
  const d = found[0];
  expect({ file: d?.file, line: d?.line, column: d?.column }).toEqual({ file: 'campaign.yaml', ...positionOf(text, at) });
  expect(d?.message.zh).toMatch(/等次/);
  return d;
}

describe('grade bands (等次段)', () => {
  it('when the bands cover every score once, then the campaign validates', () => {
    const result = validate(CAMPAIGN);
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('when a pass/fail grading has one threshold (合格 ≥ 60, 不合格 below), then it validates', () => {
    const text = replaceOnce(
      CAMPAIGN,
      '      - { grade: 优秀, min: 90 }\n      - { grade: 良好, min: 80, below: 90 }\n',
      '',
    );
    expect(validate(text).diagnostics).toEqual([]);
  });

  it('when 良好 runs below 95 while 优秀 starts at 90, then DSL_GRADE_BANDS_OVERLAP at 良好’s below', () => {
    const d = expectOne('良好, min: 80, below: 90', '良好, min: 80, below: 95', 'DSL_GRADE_BANDS_OVERLAP', '95 }');
    expect(d?.message.en).toContain('良好');
    expect(d?.message.en).toContain('优秀');
  });

  it('when two bands start at the same score, then DSL_GRADE_BANDS_OVERLAP', () => {
    expectOne('合格, min: 60', '合格, min: 80', 'DSL_GRADE_BANDS_OVERLAP', '80, flags');
  });

  it('when 良好 stops below 89 and 优秀 starts at 90, then DSL_GRADE_BANDS_GAP names 89 to 90', () => {
    const d = expectOne('良好, min: 80, below: 90', '良好, min: 80, below: 89', 'DSL_GRADE_BANDS_GAP', '89 }');
    expect(d?.message.en).toContain('from 89 to below 90');
    expect(d?.message.zh).toContain('89 分至不足 90 分');
  });

  it('when the lowest band starts at 10, then DSL_GRADE_BANDS_GAP: scores below 10 have no grade', () => {
    const d = expectOne('{ grade: 不合格 }', '{ grade: 不合格, min: 10 }', 'DSL_GRADE_BANDS_GAP', '10 }');
    expect(d?.message.en).toContain('below 10');
  });

  it('when a band runs from 80 to below 70, then DSL_GRADE_BAND_EMPTY', () => {
    expectOne('良好, min: 80, below: 90', '良好, min: 80, below: 70', 'DSL_GRADE_BAND_EMPTY', '70 }');
  });

  it('when the veto caps at a grade the grading does not give, then DSL_GRADE_UNKNOWN lists its grades', () => {
    const d = expectOne('cap: 不合格', 'cap: 不及格', 'DSL_GRADE_UNKNOWN', '不及格 }');
    expect(d?.message.en).toContain('优秀');
  });

  it('when a condition compares the grade with one the grading does not give, then DSL_EXPRESSION_UNKNOWN_VALUE lists the grades', () => {
    const text = replaceOnce(CAMPAIGN, "grades.年度等次 == '不合格'", "grades.年度等次 == '差'");
    const found = validate(text).diagnostics.filter((d) => d.code === 'DSL_EXPRESSION_UNKNOWN_VALUE');
    expect(found).toHaveLength(1);
    expect(found[0]?.message.en).toContain('grades.年度等次');
    expect(found[0]?.message.en).toContain('合格');
    expect(found[0]?.line).toBe(positionOf(text, "grades.年度等次 == '差'").line);
  });

  it('when a condition reads a grading that does not exist, then DSL_EXPRESSION_UNKNOWN_NAME offers grades.年度等次', () => {
    const text = replaceOnce(CAMPAIGN, "grades.年度等次 == '不合格'", "grades.年终等次 == '不合格'");
    const found = validate(text).diagnostics.filter((d) => d.code === 'DSL_EXPRESSION_UNKNOWN_NAME');
    expect(found).toHaveLength(1);
    expect(found[0]?.message.en).toContain('grades.年度等次');
  });

  it('when a weight, a veto flag or a recheck names nothing declared, then each is an unknown reference', () => {
    const text = replaceOnce(replaceOnce(CAMPAIGN, 'flags: [发生重大安全事故], cap', 'flags: [重大事故], cap'), 'recheck: [抽查]', 'recheck: [抽检]');
    const codes = validate(text).diagnostics.map((d) => d.code);
    expect(codes).toEqual(['DSL_UNKNOWN_REFERENCE', 'DSL_UNKNOWN_REFERENCE']);
    const weights = validate(replaceOnce(CAMPAIGN, 'weights: { 考核: 1 }', 'weights: { 考核: 0 }')).diagnostics;
    expect(weights.map((d) => d.code)).toEqual(['DSL_WEIGHTS']);
    expect(weights[0]?.message.en).toContain('Grading "年度等次"');
  });
});
