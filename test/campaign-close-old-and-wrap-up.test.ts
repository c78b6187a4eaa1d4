import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine, createMemoryStore, runUntil, sampleOrganisation, VirtualClock } from '@luoshi/engine';
import { openHarness, root, shanghai, tempDatabase } from './support/campaign-harness.js';
import { checkedDefinitions } from './support/checked-inputs.js';
import { FORMAT_FIXTURE } from './support/make-format-fixture.js';
import { minimalCampaign, unit } from './support/minimal-campaign.js';

/*
 * 终止活动 on instances the closing did not exist for: a campaign stored by release 7967bde at mid-year
 * of seed 002 (its instances keep the meaning they started with) is closed by this release, and each
 * history, the closing its last entry, replays to the stored state; and an instance in its wrap-up
 * (收尾: its phases over, a summary due after them still open) is closed at once, its `close` timer gone.
 */

describe('given the SQLite database written by release 7967bde at mid-year of seed 002', () => {
  it('when this release closes the campaign, then every instance ends with the closing as its last history entry, and every history replays to the stored state', async () => {
    const dir = join(root, 'test/fixtures/format-7967bde');
    const made = JSON.parse(readFileSync(join(dir, 'fixture.json'), 'utf8')) as { stoppedAt: number };
    const file = tempDatabase();
    copyFileSync(join(dir, 'campaign.db'), file);
    const h = await openHarness(file, made.stoppedAt);
    const campaignId = FORMAT_FIXTURE.campaignId;
    const result = await h.engine.closeCampaign(campaignId, { actor: '领导小组', reason: '活动提前结束' });
    expect(result.closed).toHaveLength(FORMAT_FIXTURE.units + 1);
    expect(await h.engine.rollup(campaignId)).toMatchObject({ ended: FORMAT_FIXTURE.units + 1 });
    for (const { instanceId } of result.closed) {
      expect((await h.engine.history(instanceId)).at(-1)).toMatchObject({ type: 'campaign.closed', cause: 'close', actor: '领导小组', at: made.stoppedAt });
      await expect(h.engine.replay(instanceId)).resolves.toBeTruthy();
      expect(await h.engine.store.timers(instanceId)).toEqual([]);
    }
    expect(await h.engine.store.timers(campaignId)).toEqual([]);
    await h.close();
  });
});

const SUMMARY = minimalCampaign({
  id: '整治总结',
  roles: [unit('单位', '各单位')],
  blocks: 'end: 2024-06-30',
  phases: [{ id: '专项整治', window: '4月至5月', body: `
    tasks:
      - { id: 工作总结, title: 报送工作总结, owner: 单位, due: 6月15日 }` }],
});

describe('given a one-phase campaign (4月至5月) whose summary is due 6月15日, after the phase', () => {
  it('when the office closes it on 5 June, while the instance waits in its wrap-up, then it ends at once: the summary never goes overdue and no timer is left', async () => {
    const clock = new VirtualClock(shanghai('2024-04-01T00:00:00'));
    const engine = createEngine({ store: createMemoryStore(), clock });
    await engine.deploy(checkedDefinitions(SUMMARY));
    await engine.startCampaign({ process: '整治总结', organisation: sampleOrganisation(1, 0), campaignId: 'c' });
    await runUntil(engine, clock, shanghai('2024-06-05T12:00:00'));
    expect(await engine.state('c/u01')).toMatchObject({ phase: 'ended', ended: false, closesAt: shanghai('2024-07-01T00:00:00') });
    const result = await engine.closeCampaign('c', { actor: '办公室', reason: '整治提前结束' });
    expect(result.closed.map((c) => c.unitId)).toEqual(['u01']);
    const state = await engine.state('c/u01');
    expect(state).toMatchObject({ phase: 'ended', ended: true, closed: { reason: '整治提前结束' } });
    expect(state.closesAt).toBeUndefined();
    expect(await engine.store.timers('c/u01')).toEqual([]);
    expect(await runUntil(engine, clock, shanghai('2024-07-31T00:00:00'))).toBe(0);
    expect((await engine.tasks('c/u01')).find((t) => t.item === '工作总结')?.status).toBe('open');
    await expect(engine.replay('c/u01')).resolves.toBeTruthy();
    await engine.close();
  });
});
