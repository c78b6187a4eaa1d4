import { describe, expect, it } from 'vitest';
import { validateProcessText } from '@luoshi/dsl';
import { createEngine, createInProcessEngine, createMemoryStore, VirtualClock, type HostEvent } from '@luoshi/engine';
import { minimalCampaign, office, unit } from './support/minimal-campaign.js';

/*
 * Roles (角色) on the in-process driver, `createInProcessEngine().send`: it took no `roles`, so a
 * host that passed them had them ignored. Now it checks them exactly as `Engine.send` does — only
 * when given (a host that passes none is trusted, as the simulator is: it sends as each unit it
 * models) — so both engines refuse and accept the same sends.
 */

const CAMPAIGN = minimalCampaign({
  id: '角色',
  roles: [office('办公室'), unit('单位', '各单位')],
  phases: [{ id: '实施', window: '1月至12月', body: 'tasks:\n  - { id: 报送, title: 报送方案, owner: 单位, due: 3月31日 }' }],
});
const ORGANISATION = { id: 'office', units: [{ id: 'u01' }, { id: 'u02' }, { id: 'u03' }] };
const DONE = { type: 'task.completed', task: '报送' } as const satisfies HostEvent;

function definition() {
  const validated = validateProcessText(CAMPAIGN, { file: 'c.yaml' });
  if (!validated.definition) throw new Error(JSON.stringify(validated.diagnostics));
  return validated.definition;
}

/** Both engines with the campaign started on 2 January: the durable one on a memory store and the driver. */
async function bothEngines() {
  const at = Date.parse('2024-01-02T09:00:00+08:00');
  const engine = createEngine({ store: createMemoryStore(), clock: new VirtualClock(at) });
  const driver = createInProcessEngine({ clock: new VirtualClock(at) });
  for (const e of [engine, driver]) {
    await e.deploy([definition()]);
    await e.startCampaign({ process: '角色', organisation: ORGANISATION, campaignId: 'c' });
  }
  return { engine, driver };
}

describe('given a task owned by 单位, sent to both engines', () => {
  it('when the actor holds only 办公室, then both refuse it with ENGINE_FORBIDDEN naming the role, and the task stays open', async () => {
    const { engine, driver } = await bothEngines();
    for (const e of [engine, driver]) {
      await expect(e.send('c/u01', DONE, { actor: '王主任', roles: ['办公室'] })).rejects.toMatchObject({ code: 'ENGINE_FORBIDDEN', details: { actor: '王主任', role: '单位', id: '报送' } });
      expect((await e.tasks('c/u01')).find((t) => t.item === '报送')?.status).toBe('open');
    }
    await engine.close();
  });

  it('when the actor holds 单位, then both accept it; when no roles are given (a trusted host, the simulator), both accept it unchecked', async () => {
    const { engine, driver } = await bothEngines();
    for (const e of [engine, driver]) {
      await e.send('c/u01', DONE, { actor: '张三', roles: ['单位'] });
      await e.send('c/u02', DONE, { actor: '王主任' });
      await e.send('c/u03', DONE);
      for (const id of ['c/u01', 'c/u02', 'c/u03']) expect((await e.tasks(id)).find((t) => t.item === '报送')?.status, id).toBe('done');
    }
    await engine.close();
  });
});
