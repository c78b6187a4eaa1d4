import { validateProcessTexts, type CampaignDefinition, type SubProcessDefinition } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../src/compiler/compile-plan.js';
import { processBundle } from '../src/compiler/process-bundle.js';
import { validateHostEvent } from '../src/runtime/validate-event.js';
import { recordsOf, shanghai } from './support/records.js';

/**
 * Everything a sub-process may hold besides its parts runs where it is used (issue 18, construct
 * coverage): its own tasks, recurring duties, evaluations, inspections, nested uses and workstreams
 * (with their evaluations, uses and workstreams), and a use's `due` bounds the work that has none.
 */
const CAMPAIGN = `
kind: campaign
id: 考评活动
title: 考评活动
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 办公室, title: 办公室, level: office }
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 实施
    title: 实施
    window: 4月至6月
    uses:
      - { use: 考评, due: 5月31日 }
`;

const SUBPROCESS = `
kind: subprocess
id: 考评
title: 考评
tasks:
  - { id: 考评方案, title: 考评方案, owner: 单位, due: 4月30日 }
recurring:
  - { id: 考评月报, title: 考评月报, owner: 单位, every: 每月 }
evaluations:
  - { id: 考评打分, title: 考评打分, by: 办公室 }
inspections:
  - { id: 考评督查, title: 考评督查, by: 办公室, rectifyWithin: 10天 }
uses:
  - { use: 子考评 }
workstreams:
  - id: 线一
    title: 线一
    evaluations:
      - { id: 线内打分, title: 线内打分, by: 办公室 }
    uses:
      - { use: 线内考评 }
    workstreams:
      - id: 线中线
        title: 线中线
        tasks:
          - { id: 线中任务, title: 线中任务, owner: 单位 }
`;

const NESTED = (id: string, task: string) => `
kind: subprocess
id: ${id}
title: ${id}
tasks:
  - { id: ${task}, title: ${task}, owner: 单位 }
`;

function plan() {
  const library = [
    { file: '考评.yaml', text: SUBPROCESS },
    { file: '子考评.yaml', text: NESTED('子考评', '子任务') },
    { file: '线内考评.yaml', text: NESTED('线内考评', '线内任务') },
  ];
  const result = validateProcessTexts([{ file: 'campaign.yaml', text: CAMPAIGN }, ...library]);
  const errors = result.files.flatMap((f) => f.diagnostics).filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.message.en}`).join('\n'));
  const [campaign, ...subprocesses] = result.files.map((f) => f.definition);
  return compilePlan(processBundle(campaign as CampaignDefinition, new Map((subprocesses as SubProcessDefinition[]).map((s) => [s.id, s]))), 1);
}

describe('a sub-process with work of its own beside its parts, used in 实施 (4月至6月) with due: 5月31日', () => {
  const compiled = plan();
  const april = shanghai('2024-04-01T00:00:00');
  const endOfMay = shanghai('2024-06-01T00:00:00');

  it('when the unit enters the phase, then its tasks, duties, evaluations, nested uses and the work of its workstreams all open, due by the use’s 5月31日 where they give no date', () => {
    const records = recordsOf(compiled, []);
    records.enter('实施', april);
    records.apply({ type: 'timer.fired', key: 'recur:考评月报', dueAt: april, at: april });
    const open = records.context.tasks[0] ?? {};
    expect(Object.keys(open).sort()).toEqual(['子任务', '线中任务', '线内任务', '线内打分', '考评打分', '考评方案', '考评月报#0'].sort());
    // 4月30日 is its own; 线中任务 and 考评打分 give none: the end of the use's 5月31日, not the phase's 6月30日.
    expect(open['考评方案']?.due).toBe(shanghai('2024-05-01T00:00:00'));
    expect(open['线中任务']?.due).toBe(endOfMay);
    expect(open['考评打分']?.due).toBe(endOfMay);
  });

  it('when its inspection records a finding in the phase, then the round starts', () => {
    const records = recordsOf(compiled, []);
    records.enter('实施', april);
    const finding = { type: 'finding.recorded', inspection: '考评督查' } as const;
    expect(validateHostEvent(compiled, records.context, '实施', finding)).toMatchObject(finding);
    records.apply({ ...finding, at: april + 86_400_000 } as const);
    expect(records.context.insp['考评督查']?.s).toBe('rectifying');
  });
});
