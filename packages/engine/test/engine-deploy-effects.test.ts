import { describe, expect, it } from 'vitest';
import { validateProcessText, type ProcessFile } from '@luoshi/dsl';
import { createEngine, createMemoryStore, EngineError, VirtualClock, type Effect } from '@luoshi/engine';
import { organisation, shanghai } from './support/harness.js';

function campaign(taskTitle: string): ProcessFile {
  const v = validateProcessText(
    `
kind: campaign
id: 版本
title: 版本
source: { title: 测试 }
year: 2024
subjects: [unit, member]
roles: [{ id: 单位, title: 单位, level: unit }]
actions: [{ id: 诫勉谈话, title: 诫勉谈话, effect: admonish }]
phases:
  - id: 实施
    title: 实施
    window: 1月至12月
    tasks: [{ id: 报送, title: ${taskTitle}, owner: 单位, due: 6月30日 }]
ladders:
  - { id: 投诉, title: 投诉, on: { event: complaint-verified }, rungs: [{ level: 1, actions: [诫勉谈话] }] }
`,
    { file: 'v.yaml' },
  );
  if (!v.definition) throw new Error(v.diagnostics.map((d) => d.message.en).join('; '));
  return v.definition;
}

describe('given a deployed process', () => {
  it('when it is deployed again unchanged, then no new version; when changed, then version 2, and running campaigns stay on theirs', async () => {
    const clock = new VirtualClock(shanghai('2024-01-02T00:00:00'));
    const engine = createEngine({ store: createMemoryStore(), clock });
    expect(await engine.deploy([campaign('报送材料')])).toEqual([{ processId: '版本', version: 1, created: true }]);
    expect(await engine.deploy([campaign('报送材料')])).toEqual([{ processId: '版本', version: 1, created: false }]);
    const old = await engine.startCampaign({ process: '版本', organisation: organisation(1, 1), campaignId: 'old' });
    expect(await engine.deploy([campaign('报送新材料')])).toEqual([{ processId: '版本', version: 2, created: true }]);
    const fresh = await engine.startCampaign({ process: '版本', organisation: organisation(1, 1), campaignId: 'new' });
    const pinned = await engine.startCampaign({ process: '版本', version: 1, organisation: organisation(1, 1), campaignId: 'pinned' });
    expect([old.version, fresh.version, pinned.version]).toEqual([1, 2, 1]);
    expect((await engine.tasks('old/u01'))[0]?.title).toBe('报送材料');
    expect((await engine.tasks('new/u01'))[0]?.title).toBe('报送新材料');
    expect((await engine.tasks('pinned/u01'))[0]?.title).toBe('报送材料');
    const listed = await engine.processes();
    expect(listed.map((p) => [p.processId, p.latest, p.versions.map((v) => v.version)])).toEqual([['版本', 2, [1, 2]]]);
  });

  it('when a definition is invalid, then ENGINE_INVALID_DEFINITION names the place and nothing is stored', async () => {
    const store = createMemoryStore();
    const engine = createEngine({ store, clock: new VirtualClock(0) });
    const broken = { ...campaign('x'), phases: [{ id: '实施', title: '实施', window: '13月' }] } as ProcessFile;
    const error = await engine.deploy([broken]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('ENGINE_INVALID_DEFINITION');
    expect((error as EngineError).messages.en).toContain('版本.json');
    expect(await store.getDefinition('版本')).toBeUndefined();
  });
});

describe('given a host whose effects sink fails once', () => {
  it('when delivery throws, then the effect stays in the outbox and the next delivery brings it with the same id', async () => {
    const store = createMemoryStore();
    const seen: Effect[] = [];
    let fail = true;
    const engine = createEngine({
      store,
      clock: new VirtualClock(shanghai('2024-01-02T00:00:00')),
      effects: {
        deliver: (e) => {
          seen.push(e);
          if (fail) throw new Error('mail server down');
        },
      },
    });
    await engine.deploy([campaign('报送')]);
    await engine.startCampaign({ process: '版本', organisation: organisation(1, 1), campaignId: 'c' });
    await engine.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' });
    await expect(engine.deliverEffects()).rejects.toThrow('mail server down');
    expect((await store.pendingOutbox(10)).map((o) => o.id)).toEqual([seen[0]?.id]);
    fail = false;
    expect(await engine.deliverEffects()).toBe(1);
    expect(seen.map((e) => e.id)).toEqual([seen[0]?.id, seen[0]?.id]);
    expect(seen[0]).toMatchObject({ action: '诫勉谈话', effect: 'admonish', memberId: 'u01-m1', cause: 'ladder:投诉:1' });
    expect(await store.pendingOutbox(10)).toEqual([]);
  });

  it('when a subscriber listens, then it hears each committed change once with its revision', async () => {
    const engine = createEngine({ store: createMemoryStore(), clock: new VirtualClock(shanghai('2024-01-02T00:00:00')) });
    await engine.deploy([campaign('报送')]);
    await engine.startCampaign({ process: '版本', organisation: organisation(1, 1), campaignId: 'c' });
    const heard: string[] = [];
    const stop = engine.subscribe((c) => heard.push(`${c.instanceId}@${c.revision} ${c.type}`));
    await engine.send('c/u01', { type: 'task.completed', task: '报送' });
    await engine.send('c/u01', { type: 'task.completed', task: '报送' }).catch(() => undefined);
    stop();
    await engine.send('c/u01', { type: 'complaint.verified', member: 'u01-m1' });
    expect(heard).toEqual(['c/u01@2 task.completed']);
  });
});
