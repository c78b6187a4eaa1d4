import { describe, expect, it } from 'vitest';
import { validateProcessText } from '../src/validate/validate-processes.js';
import { positionOf, replaceOnce } from './fixtures.js';

/*
 * Issue 18 defect 9: every name in a condition must resolve to a fact the engine fills at the
 * condition's spot, and a name that does not is an error at the condition listing what is there.
 */

const CAMPAIGN = `# yaml-language-server: $schema=../schema/process.schema.json
kind: campaign
id: 条件活动
title: 条件活动
source: { title: 测试文件 }
year: 2010
subjects: [unit]
scale: { units: 20 }
roles:
  - { id: 支部, title: 各支部 }
  - { id: 办公室, title: 领导小组办公室, level: office }
flags:
  - { id: 重点整改, title: 重点整改 }
actions:
  - { id: 通报批评, title: 通报批评, effect: criticise }
phases:
  - id: 动员部署
    title: 动员部署
    window: 4月至5月
    exit: decision
    decisions:
      - id: 是否整改
        title: 是否整改
        by: 办公室
        options:
          - { id: 整改, title: 整改, next: 组织实施 }
          - { id: 通过, title: 通过, next: 组织实施 }
    tasks:
      - id: 动员大会
        title: 动员大会
        owner: 支部
        due: 5月20日前
        onOverdue: { when: "event.task == '动员大会'", flags: [重点整改] }
  - id: 组织实施
    title: 组织实施
    window: 6月至11月
    evaluations:
      - { id: 自评, title: 自评, by: 支部 }
    inspections:
      - id: 督查
        title: 督查
        by: 办公室
        rectifyWithin: 15天
        onFinding: { when: "event.inspection == '督查'", actions: [通报批评] }
ladders:
  - id: 投诉
    title: 投诉
    subject: unit
    on: { event: complaint-verified, fields: [来源], when: "event.来源 == '群众举报'" }
    rungs:
      - { level: 1, actions: [通报批评] }
consequences:
  - id: 决定整改
    title: 决定整改
    on: { event: decision-taken, when: "event.decision == '是否整改' and event.option == '整改'" }
    flags: [重点整改]
  - id: 逾期
    title: 逾期
    on: { event: task-overdue, when: "event.task == '动员大会' and overdue >= 1" }
    flags: [重点整改]
  - id: 低分
    title: 低分
    on: { event: score-given, when: "event.evaluation == '自评' and event.score < 60 and scores.自评 < 60" }
    flags: [重点整改]
rankings:
  - id: 年终
    title: 年终
    subject: unit
    at: 11月30日
    weights: { 自评: 1 }
    eligible: not flags.重点整改 and subject.kind == 'unit'
    top: { count: 3 }
    bottom: { count: 1, when: "rank > 3 and scores.自评 < 80", actions: [通报批评] }
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
  return d;
}

describe('given a campaign whose conditions name only what exists where they are written', () => {
  it('when validated, then it has no diagnostics', () => {
    const result = validate(CAMPAIGN);
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

describe('names that do not resolve are errors listing the names available at that spot', () => {
  it('a misspelt event field of a decision (event.optoin) is refused; the message lists event.decision and event.option', () => {
    const d = expectOne("event.option == '整改'", "event.optoin == '整改'", 'DSL_EXPRESSION_UNKNOWN_NAME', "\"event.decision == '是否整改' and event.optoin");
    expect(d?.message.en).toContain('"event.optoin"');
    expect(d?.message.en).toContain('event.decision, event.option');
    expect(d?.message.en).toContain('decision-taken');
    expect(d?.message.zh).toContain('此处可用的名字');
    expect(d?.message.zh).toContain('event.option');
  });

  it('a misspelt task id compared with event.task is refused with the tasks listed', () => {
    const d = expectOne("event.task == '动员大会' and overdue", "event.task == '动员大慧' and overdue", 'DSL_EXPRESSION_UNKNOWN_VALUE', "\"event.task == '动员大慧'");
    expect(d?.message.en).toContain('"动员大慧"');
    expect(d?.message.en).toContain('动员大会');
    expect(d?.message.zh).toContain('任务');
  });

  it('a misspelt decision option, evaluation and inspection are refused the same way', () => {
    expectOne("event.option == '整改'", "event.option == '整顿'", 'DSL_EXPRESSION_UNKNOWN_VALUE', "\"event.decision == '是否整改' and event.option == '整顿'");
    expectOne("event.evaluation == '自评'", "event.evaluation == '自平'", 'DSL_EXPRESSION_UNKNOWN_VALUE', "\"event.evaluation == '自平'");
    expectOne("event.inspection == '督查'", "event.inspection == '督察'", 'DSL_EXPRESSION_UNKNOWN_VALUE', "\"event.inspection == '督察'");
  });

  it('a cohort compared with subject.cohort must be one the campaign declares (第三批 is not; 第二批 and "" are)', () => {
    const withCohorts = replaceOnce(CAMPAIGN, 'year: 2010\n', 'year: 2010\ncohorts:\n  - { id: 第一批, title: 第一批试点, start: 4月1日 }\n  - { id: 第二批, title: 第二批, start: 9月1日 }\n');
    const declared = replaceOnce(withCohorts, "subject.kind == 'unit'", "(subject.cohort == '第二批' or subject.cohort == '')");
    expect(validate(declared).diagnostics).toEqual([]);
    const text = replaceOnce(withCohorts, "subject.kind == 'unit'", "subject.cohort == '第三批'");
    const found = validate(text).diagnostics.filter((d) => d.code === 'DSL_EXPRESSION_UNKNOWN_VALUE');
    expect(found).toHaveLength(1);
    expect(found[0]?.message.en).toContain('subject.cohort with "第三批", which is not a cohort of this campaign; known: 第一批, 第二批');
    expect(found[0]?.message.zh).toContain('批次');
    expect({ line: found[0]?.line, column: found[0]?.column }).toEqual(positionOf(text, "not flags.重点整改 and subject.cohort == '第三批'"));
  });

  it('an event field the host does not declare is refused; declaring it under fields makes it readable', () => {
    const d = expectOne('fields: [来源], when: "event.来源', 'when: "event.来源', 'DSL_EXPRESSION_UNKNOWN_NAME', "\"event.来源 == '群众举报'");
    expect(d?.message.en).toContain('complaint-verified');
  });

  it('an event field is refused where there is no event to read (a ranking’s eligibility)', () => {
    expectOne("eligible: not flags.重点整改 and subject.kind == 'unit'", 'eligible: not flags.重点整改 and event.task', 'DSL_EXPRESSION_UNKNOWN_NAME', 'not flags.重点整改 and event.task');
  });

  it('rank is read only in a ranking band: in eligibility it is refused', () => {
    const d = expectOne("eligible: not flags.重点整改 and subject.kind == 'unit'", 'eligible: rank > 3', 'DSL_EXPRESSION_UNKNOWN_NAME', 'rank > 3\n');
    expect(d?.message.en.split('available here:')[1]).not.toContain('rank');
  });

  it('scores.<ranking> is not offered (the engine keeps evaluation means only): in a band condition it is refused with scores.<evaluation> listed', () => {
    const d = expectOne('"rank > 3 and scores.自评 < 80"', '"scores.年终 < 80"', 'DSL_EXPRESSION_UNKNOWN_NAME', '"scores.年终 < 80"');
    expect(d?.message.en).toContain('scores.自评');
    const available = d?.message.en.split('available here:')[1];
    expect(available).not.toContain('scores.年终');
    expect(available).toContain('rank');
  });

  it('a subject fact the engine does not fill (subject.title) is refused', () => {
    expectOne("subject.kind == 'unit'", "subject.title == '某单位'", 'DSL_EXPRESSION_UNKNOWN_NAME', "not flags.重点整改 and subject.title");
  });

  it('a re-inspection failure offers no event field: it may come from a rectification deadline, with no event to read', () => {
    const d = expectOne(
      'on: { event: complaint-verified, fields: [来源], when: "event.来源 == \'群众举报\'" }',
      'on: { event: reinspection-failed, when: "event.inspection == \'督查\'" }',
      'DSL_EXPRESSION_UNKNOWN_NAME',
      '"event.inspection == \'督查\'" }',
    );
    expect(d?.message.en.split('available here:')[1]).not.toContain('event.');
  });

  it('fields declared on an event the engine raises (task-overdue) are refused: no host sends them', () => {
    const d = expectOne("on: { event: task-overdue, when:", "on: { event: task-overdue, fields: [来源], when:", 'DSL_EVENT_FIELDS_NOT_SENT', '[来源], when: "event.task');
    expect(d?.message.en).toContain('event.task');
  });
});
