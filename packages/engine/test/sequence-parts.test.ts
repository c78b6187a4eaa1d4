import { validateProcessTexts } from '@luoshi/dsl';
import { createEngine, createMemoryStore, runUntil, VirtualClock } from '@luoshi/engine';
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../src/compiler/compile-plan.js';
import { processBundle } from '../src/compiler/process-bundle.js';
import { initialContext, type InstanceContext } from '../src/runtime/instance-context.js';
import { RecordKeeper } from '../src/runtime/record-keeper.js';
import { taskFor } from '../src/runtime/task-table.js';
import { organisation, shanghai } from './support/harness.js';

/*
 * 环节依次进行 (issue 18): a sub-process with `mode: sequence` runs its parts one after another.
 * 先后 has part 甲 (task 先做) then part 乙 (task 后做); used in 评议 (window 3月), only 先做 opens
 * on 1 March, and 后做 opens when 先做 is done, due when the window ends (31 March over).
 */
const CAMPAIGN = `
kind: campaign
id: 依次
title: 依次
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 单位, title: 各单位, level: unit }
phases:
  - id: 评议
    title: 评议
    window: 3月
    uses:
      - { use: 先后 }
`;

const subprocess = (mode: string, firstRequired = true) => `
kind: subprocess
id: 先后
version: 1
title: 先后
mode: ${mode}
roles:
  - { id: 单位, title: 各单位, level: unit }
parts:
  - id: 甲
    title: 甲
    tasks:
      - { id: 先做, title: 先做, owner: 单位, due: 3月15日, required: ${firstRequired} }
  - id: 乙
    title: 乙
    tasks:
      - { id: 后做, title: 后做, owner: 单位 }
      - { id: 再做, title: 再做, owner: 单位, due: 先做后5天内 }
`;

function validated(mode: string, firstRequired = true) {
  const result = validateProcessTexts([
    { file: 'campaign.yaml', text: CAMPAIGN },
    { file: 'sub.yaml', text: subprocess(mode, firstRequired) },
  ]);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.message.en}`).join('\n'));
  return result;
}

async function started(mode: string, firstRequired = true) {
  const clock = new VirtualClock(shanghai('2024-03-01T00:00:00'));
  const engine = createEngine({ store: createMemoryStore(), clock });
  await engine.deploy(validated(mode, firstRequired));
  await engine.startCampaign({ process: '依次', organisation: organisation(1, 0), campaignId: 'c' });
  const task = async (id: string) => (await engine.tasks('c/u01')).find((t) => t.item === id);
  return { engine, clock, task };
}

const END_OF_MARCH = shanghai('2024-04-01T00:00:00');

describe('a sub-process whose parts run in sequence (mode: sequence)', () => {
  it('when the phase opens on 1 March, then only the first part’s task opens; the second part’s opens when the first is done, due at the window’s end', async () => {
    const { engine, clock, task } = await started('sequence');
    expect((await task('先做'))?.status).toBe('open');
    expect(await task('后做')).toBeUndefined();
    expect(await task('再做')).toBeUndefined();
    await runUntil(engine, clock, shanghai('2024-03-11T10:00:00'));
    expect(await task('后做')).toBeUndefined();
    await engine.send('c/u01', { type: 'task.completed', task: '先做' });
    expect(await task('后做')).toMatchObject({ status: 'open', dueAt: END_OF_MARCH });
    // Five days from 先做's completion on 11 March: 12–16 March, due when the 16th is over.
    expect(await task('再做')).toMatchObject({ status: 'open', dueAt: shanghai('2024-03-17T00:00:00') });
  });

  it('when the parts run in parallel (the default), then both parts’ tasks open on 1 March', async () => {
    const { task } = await started('parallel');
    expect((await task('先做'))?.status).toBe('open');
    expect((await task('后做'))?.status).toBe('open');
  });

  it('when the first part has no required item, then it does not hold the second: both open on 1 March', async () => {
    const { task } = await started('sequence', false);
    expect((await task('先做'))?.status).toBe('open');
    expect((await task('后做'))?.status).toBe('open');
  });

  it('when the last part is done, then the use and the phase are done (exit all-required-done not needed: the window ends)', async () => {
    const { engine, clock, task } = await started('sequence');
    await engine.send('c/u01', { type: 'task.completed', task: '先做' });
    await engine.send('c/u01', { type: 'task.completed', task: '后做' });
    await engine.send('c/u01', { type: 'task.completed', task: '再做' });
    expect((await task('后做'))?.status).toBe('done');
    await runUntil(engine, clock, shanghai('2024-04-02T00:00:00'));
    expect((await engine.state('c/u01')).phase).toBe('ended');
  });

  it('when an instance was started before parts ran in sequence (no partsInSequence in its start), then every part opens at once, as it did', () => {
    const result = validated('sequence');
    const campaign = result.campaigns.get('依次');
    if (!campaign) throw new Error('no campaign');
    const plan = compilePlan(processBundle(campaign, result.subprocesses), 1);
    const start = { campaignId: 'c', unit: 'u01', office: false, unitWork: true, members: [], startedAt: plan.start, scoresPerOccurrence: true } as const;
    const open = (context: InstanceContext) => new RecordKeeper(plan, context).enterPhase('评议', shanghai('2024-03-01T00:00:00')).context;
    const old = open(initialContext(start));
    expect(taskFor(old.tasks, '后做')?.s).toBe('open');
    const now = open(initialContext({ ...start, partsInSequence: true }));
    expect(taskFor(now.tasks, '后做')).toBeUndefined();
  });
});
