import { describe, expect, it } from 'vitest';
import { conditionNames, evaluateCondition, parseCondition, type ConditionNode } from '../src/expression/condition.js';

const parse = (text: string): ConditionNode => {
  const result = parseCondition(text);
  if ('problem' in result) throw new Error(result.problem.detail);
  return result.node;
};

describe('conditions', () => {
  const scope = {
    flags: { 取消评先评优: true, 重点整改单位: false },
    scores: { 自评: 85 },
    ladders: { 举报投诉查实: 2 },
    event: { source: '社会评议', notified: true },
    rank: 3,
  };

  it('combine comparisons over Chinese names with word and symbol operators', () => {
    expect(evaluateCondition(parse('flags.取消评先评优 and scores.自评 >= 80'), scope)).toBe(true);
    expect(evaluateCondition(parse('not flags.取消评先评优 || ladders.举报投诉查实 > 2'), scope)).toBe(false);
    expect(evaluateCondition(parse("event.source == '社会评议' && event.notified"), scope)).toBe(true);
    expect(evaluateCondition(parse('rank <= 10 and !flags.重点整改单位'), scope)).toBe(true);
    expect(evaluateCondition(parse('scores.自评 * 2 - 70 == 100'), scope)).toBe(true);
  });

  it('read a missing name as absent, never equal to a number', () => {
    expect(evaluateCondition(parse('scores.互评 > 0'), scope)).toBe(false);
    expect(evaluateCondition(parse('flags.不存在'), scope)).toBeUndefined();
  });

  it('cannot reach prototypes or functions through names', () => {
    expect(evaluateCondition(parse('flags.constructor'), scope)).toBeUndefined();
    expect(evaluateCondition(parse("flags['__proto__']"), scope)).toBeUndefined();
  });

  it('refuse calls, lists, choices and computed access', () => {
    for (const text of ['process.exit(1)', '[1,2]', 'a ? b : c', 'flags[x]', 'this']) {
      const result = parseCondition(text);
      expect(result, text).toHaveProperty('problem.kind', 'forbidden');
    }
  });

  it('report syntax errors as problems, not exceptions', () => {
    expect(parseCondition('flags.a and')).toHaveProperty('problem.kind', 'syntax');
    expect(parseCondition('')).toHaveProperty('problem.kind', 'syntax');
    expect(parseCondition('(a')).toHaveProperty('problem.kind', 'syntax');
    expect(parseCondition('a; b')).toHaveProperty('problem.kind', 'syntax');
  });

  it('list every name a condition reads', () => {
    expect(conditionNames(parse('flags.a and (scores.b > 1 or not event.c)'))).toEqual([
      ['flags', 'a'],
      ['scores', 'b'],
      ['event', 'c'],
    ]);
  });
});
