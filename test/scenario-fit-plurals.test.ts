import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitScenario, readLiveCampaign, simulate, SIMULATION_CAMPAIGN_ID } from '@luoshi/sim';
import { createKyselyStore } from '@luoshi/store-kysely';
import { FROM_PROCESS, fromDefinitions, scenarioOf } from './support/from-campaign.js';
import { minimalScenario } from './support/minimal-campaign.js';

/*
 * `scenario fit` writes what each figure rests on as a comment in English or Chinese. English counts
 * take their noun in the singular for exactly one ("1 task", "1 month"), the plural otherwise
 * ("0 tasks", "2 tasks"); Chinese has no plural. The campaign of test/support/from-campaign.ts
 * (报送方案 opens 1 January, due 15 February) is recorded over 3 units: the first 2 of kind 慢 never
 * do anything, the 1 of kind 快 does each task a day after it opens.
 */

/** The recorded campaign cut at `cut` and fitted: the fitted file's text. */
async function fittedAt(cut: string, lang: 'en' | 'zh' = 'en'): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'luoshi-fit-plurals-')), 'live.sqlite');
  const at = Date.parse(cut);
  const recorded = minimalScenario({
    id: '记录',
    seed: 3,
    units: 3,
    top: `process: ${FROM_PROCESS}`,
    organisation: 'kinds: [{ id: 慢, share: 2 }, { id: 快, share: 1 }]',
    behaviour: 'tasks: { delay: { kind: fixed, mean: 1 }, neverProbability: 0 }',
    kinds: '慢: { tasks: { delay: { kind: fixed, mean: 1 }, neverProbability: 1 } }',
  });
  await simulate({ definitions: fromDefinitions(), processId: FROM_PROCESS, scenario: scenarioOf(recorded), store: await createKyselyStore({ sqlite: file }), until: at });
  const store = await createKyselyStore({ sqlite: file });
  try {
    await store.setCampaignClock(SIMULATION_CAMPAIGN_ID, at);
    const live = await readLiveCampaign(store, SIMULATION_CAMPAIGN_ID, { now: at, keepHistory: true });
    return (await fitScenario(live, { lang })).text;
  } finally {
    await store.close();
  }
}

describe('given 3 units cut on 1 March, after 报送方案 fell due: 1 done (快), 2 never done (慢)', () => {
  it('when the scenario is fitted, then one is counted in the singular and every other number in the plural', async () => {
    const text = await fittedAt('2024-03-01T00:00:00+08:00');
    // All 3 units: the 1 done, 2 of the 3 due left undone.
    expect(text).toContain('# days from opening to completion: 1 task done whose deadline has passed\n');
    expect(text).toContain('# 2 of 3 tasks past their deadline not done\n');
    // 快 alone: its 1 task, done.
    expect(text).toContain('# 0 of 1 task past its deadline not done\n');
    // 慢: both of its 2 tasks undone.
    expect(text).toContain('# 2 of 2 tasks past their deadline not done\n');
    expect(text).not.toMatch(/\b1 tasks\b/);
    // The cut in the campaign's zone (Asia/Shanghai, its default), not 2024-02-29T16:00:00.000Z.
    expect(text).toContain('# Written by luoshi scenario fit from the history up to 2024-03-01 00:00:00 (Asia/Shanghai), ');
    expect(text).toContain("title: 续推对比 — fitted to campaign sim's history up to 2024-03-01 00:00:00 (Asia/Shanghai)\n");
  }, 60_000);

  it('when it is fitted in Chinese, then the counts read as before (no plural)', async () => {
    const text = await fittedAt('2024-03-01T00:00:00+08:00', 'zh');
    expect(text).toContain('# 开放至完成的天数：1 项已到期且已完成的任务\n');
    expect(text).toContain('# 0 / 1 项已到期任务未完成\n');
  }, 60_000);
});

describe('given the same campaign cut one mean month (365.25 / 12 = 30.4375 days = 30 d 10 h 30 min) after its start, before anything fell due', () => {
  it('when the scenario is fitted, then the header says "1 month from the campaign start", and nothing due is "0 of 0 tasks"', async () => {
    const text = await fittedAt('2024-01-31T10:30:00+08:00');
    expect(text).toContain(', 1 month from the campaign start.\n');
    expect(text).toContain('# 0 of 0 tasks past their deadline not done\n');
  }, 60_000);
});
