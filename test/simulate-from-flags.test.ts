import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { PastFlags } from '@luoshi/engine';
import { loadScenarioFile, monteCarloFrom, readLiveCampaign, renderReport, simulate, simulateFrom, SIMULATION_CAMPAIGN_ID, type LiveCampaign, type SimulationResult } from '@luoshi/sim';
import { createKyselyStore } from '@luoshi/store-kysely';
import { parseProcessText, validateParsedFiles } from '@luoshi/dsl';
import { ITEMS_CAMPAIGN, itemsScenario } from './support/items-campaign.js';
import { FORMAT_FIXTURE } from './support/make-format-fixture.js';
import { FROM_CAMPAIGN, FROM_PROCESS, fromDefinitions, RECORDED, recordUntil, scenarioOf } from './support/from-campaign.js';

/*
 * Months before the cut carry the flags held and the effects delivered (issue 21). The campaign of
 * support/from-campaign.ts, recorded up to 15 April 2024: the 4 慢 units leave 报送方案 (due 15
 * February) undone, so on 16 February 00:00 each is flagged 通报 and criticised once. By hand, at
 * the month starts January, February, March, April: 0, 0, 4, 4 units hold 通报; effects: 4 criticise
 * in February, none in January, March or April. The run from the start under the same scenario has
 * the same months, and so must the run continued from 15 April, whatever its seed.
 */
const CUT = Date.parse('2024-04-15T00:00:00+08:00');

let file = '';
let live: LiveCampaign;
let straight: SimulationResult;

beforeAll(async () => {
  file = join(mkdtempSync(join(tmpdir(), 'luoshi-from-flags-')), 'live.sqlite');
  await recordUntil(file, CUT);
  const reader = await createKyselyStore({ sqlite: file, readOnly: true });
  live = await readLiveCampaign(reader, SIMULATION_CAMPAIGN_ID).finally(() => reader.close());
  straight = await simulate({ definitions: fromDefinitions(), processId: FROM_PROCESS, scenario: scenarioOf(RECORDED) });
}, 60_000);

describe('given a campaign whose 4 慢 units are flagged on 16 February, read on 15 April', () => {
  it('when it is read, then the flags held at each month start before the cut are rebuilt: 0, 0, 4, 4', () => {
    expect(live.monthFlags).toEqual([{ 通报: 0 }, { 通报: 0 }, { 通报: 4 }, { 通报: 4 }]);
  });

  it('when the run from the start is made, then its months are the hand count, and the same from May on', () => {
    expect(straight.monthly.map((m) => m.flags?.['通报'])).toEqual([0, 0, 4, 4, 4, 4]);
    expect(straight.monthly.map((m) => m.effects['criticise'] ?? 0).slice(0, 4)).toEqual([0, 4, 0, 0]);
  });

  it('when it is continued with two seeds, then January to April carry the flags and effects the run from the start has', async () => {
    for (const seed of [1, 2]) {
      const continued = await simulateFrom({ source: live, scenario: scenarioOf(RECORDED), seed });
      expect(continued.monthly.slice(0, 4).map((m) => m.flags)).toEqual([{ 通报: 0 }, { 通报: 0 }, { 通报: 4 }, { 通报: 4 }]);
      expect(continued.monthly.slice(0, 4).map((m) => m.effects)).toEqual([{}, { criticise: 4 }, {}, {}]);
      // Every field of every month before the cut: the run from the start's.
      expect(continued.monthly.slice(0, 4)).toEqual(straight.monthly.slice(0, 4));
    }
    // The result says where it took over; the report's header too.
    const one = await simulateFrom({ source: live, scenario: scenarioOf(RECORDED), seed: 1 });
    expect(one.continuedFrom).toEqual({ campaign: 'sim', at: '2024-04-14T16:00:00.000Z' });
    expect(straight.continuedFrom).toBeUndefined();
    // Over runs, no spread before the cut.
    const many = await monteCarloFrom({ source: live, scenario: scenarioOf(RECORDED), runs: 2, seed: 4, threads: 1 });
    expect(many.monthly.slice(0, 4).map((m) => m.flags?.['通报'])).toEqual([
      { mean: 0, p5: 0, p95: 0 },
      { mean: 0, p5: 0, p95: 0 },
      { mean: 4, p5: 4, p95: 4 },
      { mean: 4, p5: 4, p95: 4 },
    ]);
    expect(many.continuedFrom).toEqual({ campaign: 'sim', at: '2024-04-14T16:00:00.000Z' });
    expect(renderReport(many, { lang: 'en' })).toContain('<dt>Continued from</dt><dd>campaign sim where it stood: 2024-04-15 00:00; before then, as recorded, the same in every run</dd>');
    expect(renderReport(many, { lang: 'zh' })).toContain('<dt>续推自</dt><dd>活动 sim 的当前状态：2024-04-15 00:00；此前按已记录的历史计，各次运行相同</dd>');
  }, 60_000);

  it('when the read is cut on 1 March instead, then only January and February are rebuilt, before the flags', async () => {
    const early = join(mkdtempSync(join(tmpdir(), 'luoshi-from-flags-')), 'early.sqlite');
    await recordUntil(early, Date.parse('2024-03-01T00:00:00+08:00'));
    const reader = await createKyselyStore({ sqlite: early, readOnly: true });
    const read = await readLiveCampaign(reader, SIMULATION_CAMPAIGN_ID).finally(() => reader.close());
    // 1 March 00:00 is the cut: its sample belongs to the run, after the cut instant's history.
    expect(read.monthFlags).toEqual([{ 通报: 0 }, { 通报: 0 }]);
    const continued = await simulateFrom({ source: read, scenario: scenarioOf(RECORDED), seed: 1 });
    expect(continued.monthly.map((m) => m.flags?.['通报'])).toEqual([0, 0, 4, 4, 4, 4]);
  }, 60_000);

  it('when the flags are rebuilt, then only the 4 instances holding a flag now are replayed: a flag once set is kept in a one-year campaign', async () => {
    const reader = await createKyselyStore({ sqlite: file, readOnly: true });
    const read = await readLiveCampaign(reader, SIMULATION_CAMPAIGN_ID, { keepHistory: true }).finally(() => reader.close());
    const months = straight.monthly.map((m) => Date.parse(m.at)).filter((at) => at < CUT);
    const past = new PastFlags(read.stored.definition, months);
    for (const instance of read.stored.instances) past.add(instance, read.histories?.get(instance.id) ?? []);
    expect(read.stored.instances).toHaveLength(13);
    expect(past.replayed).toBe(4);
    expect(past.counts()).toEqual(read.monthFlags);
  }, 60_000);
});

describe('given the same campaign running into 2025, so flags that last a year could lapse', () => {
  it('when it is read on 15 April 2024, then every instance is replayed and the months are the run from the start\'s', async () => {
    const definitions = fromDefinitions(FROM_CAMPAIGN.replace('end: 2024-06-30', 'end: 2025-03-31'));
    const db = join(mkdtempSync(join(tmpdir(), 'luoshi-from-flags-')), 'two-years.sqlite');
    await recordUntil(db, CUT, definitions);
    const reader = await createKyselyStore({ sqlite: db, readOnly: true });
    const read = await readLiveCampaign(reader, SIMULATION_CAMPAIGN_ID, { keepHistory: true }).finally(() => reader.close());
    const whole = await simulate({ definitions, processId: FROM_PROCESS, scenario: scenarioOf(RECORDED) });
    const months = whole.monthly.map((m) => Date.parse(m.at)).filter((at) => at < CUT);
    const past = new PastFlags(read.stored.definition, months);
    for (const instance of read.stored.instances) past.add(instance, read.histories?.get(instance.id) ?? []);
    expect(past.replayed).toBe(13);
    expect(read.monthFlags).toEqual([{ 通报: 0 }, { 通报: 0 }, { 通报: 4 }, { 通报: 4 }]);
    const continued = await simulateFrom({ source: read, scenario: scenarioOf(RECORDED), seed: 1 });
    expect(continued.monthly.slice(0, 4)).toEqual(whole.monthly.slice(0, 4));
  }, 60_000);
});

describe('given a campaign with items (督办事项) recorded up to 1 July 2024', () => {
  it('when it is continued, then January to June carry the items as recorded, and the items held go on from where they stand', async () => {
    const definitions = validateParsedFiles([parseProcessText(ITEMS_CAMPAIGN, 'items.yaml')]);
    const scenario = scenarioOf(itemsScenario(0.5));
    const db = join(mkdtempSync(join(tmpdir(), 'luoshi-from-items-')), 'items.sqlite');
    const mid = Date.parse('2024-07-01T00:00:00+08:00');
    const recorded = await simulate({ definitions, processId: '问题销号', scenario, store: await createKyselyStore({ sqlite: db }), until: mid });
    const writer = await createKyselyStore({ sqlite: db });
    await writer.setCampaignClock(SIMULATION_CAMPAIGN_ID, mid);
    await writer.close();
    const reader = await createKyselyStore({ sqlite: db, readOnly: true });
    const read = await readLiveCampaign(reader, SIMULATION_CAMPAIGN_ID).finally(() => reader.close());
    const continued = await simulateFrom({ source: read, scenario, seed: 2 });
    expect(recorded.monthly).toHaveLength(6);
    expect(recorded.monthly.some((m) => (m.items?.escalated ?? 0) > 0)).toBe(true);
    expect(continued.monthly.slice(0, 6)).toEqual(recorded.monthly);
    // The items the units hold go on under their names; new ones are named after them: nothing refused.
    expect(continued.events.rejected).toEqual({});
    expect(continued.items?.opened).toBeGreaterThan(recorded.items?.opened ?? Infinity);
    // Opening none after the cut and passing every check, every item held on 1 July — open, resolved
    // or passed — is struck off by the end (resolved after 10 days on average, checked a day later).
    const passing = scenarioOf(itemsScenario(1).replace('openedPerUnitPerMonth: 2', 'openedPerUnitPerMonth: 0'));
    const closing = await simulateFrom({ source: read, scenario: passing, seed: 3 });
    expect(recorded.items?.open).toBeGreaterThan(0);
    expect(closing.items).toMatchObject({ opened: recorded.items?.opened, closed: recorded.items?.opened, open: 0 });
    expect(closing.events.rejected).toEqual({});
  }, 60_000);
});

describe('given the campaign release 7967bde stored at mid-year (test/fixtures/format-7967bde, snapshots of format 1)', () => {
  it('when it is read, then its old snapshots are read for their flags, and the months before July carry them as a run continues', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-from-format-'));
    const db = join(dir, 'campaign.db');
    copyFileSync(fileURLToPath(new URL('./fixtures/format-7967bde/campaign.db', import.meta.url)), db);
    // Opened once to bring the old file's tables up to date (a copy: the fixture is never written).
    await (await createKyselyStore({ sqlite: db })).close();
    const reader = await createKyselyStore({ sqlite: db, readOnly: true });
    const read = await readLiveCampaign(reader, FORMAT_FIXTURE.campaignId, { now: Date.parse('2010-07-01T00:00:00+08:00'), keepHistory: true }).finally(() => reader.close());
    // None of its instances holds a flag on 1 July (the script it was made with sets none), so none
    // needs a replay, and April, May and June hold none of seed 002's five flags.
    const past = new PastFlags(read.stored.definition, [read.at]);
    for (const instance of read.stored.instances) past.add(instance, read.histories?.get(instance.id) ?? []);
    expect(past.replayed).toBe(0);
    const none = { 取消评先评优: 0, 绩效不称职: 0, 重点整改单位: 0, 十佳单位: 0, 十佳标兵: 0 };
    expect(read.monthFlags).toEqual([none, none, none]);
    const scenario = loadScenarioFile(fileURLToPath(new URL('../examples/scenarios/002-baseline.yaml', import.meta.url))).scenario;
    if (!scenario) throw new Error('scenario');
    const continued = await simulateFrom({ source: read, scenario, seed: 1 });
    expect(continued.monthly.slice(0, 3).map((m) => m.flags)).toEqual([none, none, none]);
  }, 60_000);
});
