import { evaluateCondition, parseCondition, truthy } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import type { ConditionPlan } from '../src/compiler/campaign-plan.js';
import { initialContext, type InstanceContext } from '../src/runtime/instance-context.js';
import { subjectMeets, subjectScope } from '../src/runtime/conditions.js';
import { addScore } from '../src/runtime/score-sums.js';

function condition(text: string): ConditionPlan {
  const parsed = parseCondition(text);
  if (!('node' in parsed)) throw new Error(`${text}: ${parsed.problem.detail}`);
  return { text, node: parsed.node };
}

/** A unit with two members: member 1 flagged and overdue once, the unit overdue twice, scores and a ladder. */
const context: InstanceContext = {
  ...initialContext({ campaignId: 'c', unit: 'u01', office: false, unitWork: true, members: ['u01-m1', 'u01-m2'], startedAt: 0 }),
  tasks: [{ 总结: { s: 'overdue', due: 1 } }, null, { 承诺: { s: 'overdue', due: 1 }, 学习: { s: 'done', at: 1 } }],
  flags: [null, null, ['绩效不称职']],
  ladders: { 投诉: [{ n: 1, p: '2024' }, null, { n: 3, p: '2024' }] },
  scores: { 自评: addScore(addScore(undefined, '1', 55), undefined, 90) },
};

describe('a subject’s facts for a condition without an event (a ranking’s eligibility)', () => {
  const conditions = [
    'not flags.绩效不称职',
    'scores.自评 >= 60',
    'ladders.投诉 < 2',
    'overdue == 0',
    "subject.kind == 'member' and subject.id == 'u01-m2'",
    'overdue >= 2 or rank == 1',
    "event.type == 'x' or not flags.绩效不称职",
  ];

  it('are what the full scope of getters gives, subject by subject', () => {
    const seen: boolean[] = [];
    for (const text of conditions)
      for (const member of [undefined, '0', '1']) {
        const plan = condition(text);
        const meets = subjectMeets(plan, context, member);
        expect(meets, `${text} for ${member ?? 'the unit'}`).toBe(truthy(evaluateCondition(plan.node, subjectScope(context, member))));
        seen.push(meets);
      }
    // Both answers occur, so the comparison says something.
    expect(seen.filter(Boolean).length).toBeGreaterThan(3);
    expect(seen.filter((x) => !x).length).toBeGreaterThan(3);
  });

  it('count the unit’s overdue tasks over every subject and a member’s over its own', () => {
    expect(subjectMeets(condition('overdue == 2'), context, undefined)).toBe(true);
    expect(subjectMeets(condition('overdue == 1'), context, '1')).toBe(true);
    expect(subjectMeets(condition('overdue == 0'), context, '0')).toBe(true);
  });
});
