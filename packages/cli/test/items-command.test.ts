import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { minimalCampaign, office, unit } from '../../../test/support/minimal-campaign.js';
import { rehearsedCampaign, runLuoshi as run } from '../../../test/support/run-luoshi.js';

/**
 * 督办事项 (issue 19): `luoshi items <campaign>` lists items with status, owner, due, light and level,
 * in text and JSON. The project's plan is 1,200 for 2024 (100 a month): 150 reported on 1 March
 * against 200 due is 25% short, yellow.
 */
const CAMPAIGN = minimalCampaign({
  id: '项目督办',
  roles: [office('投资办'), unit('县', '各县')],
  blocks: `
    items:
      - { id: 重点项目, title: 重点项目, levels: [县级, 市级] }`,
  phases: [{ id: '推进', window: '1月至12月', body: `
    tasks:
      - { id: 年度报告, title: 年度报告, owner: 县, due: 12月31日 }` }],
});

describe('given a campaign with a 重点项目 on a SQLite file', () => {
  it('when its progress is short by 25% on 1 March, then luoshi items shows it 办理中, its owner, due, yellow and 县级, in text and JSON', async () => {
    const { at, campaignFile, orgFile } = rehearsedCampaign('luoshi-items-', CAMPAIGN, { id: '市', units: [{ id: '甲县' }] });
    expect((await at('2024-01-02T09:00', 'deploy', campaignFile)).code).toBe(EXIT.ok);
    expect((await at('2024-01-02T09:00', 'start', '项目督办', '--org', orgFile, '--campaign', 'c')).code).toBe(EXIT.ok);
    const opened = JSON.stringify({ type: 'item.opened', item: '环岛路', kind: '重点项目', owner: '李四', due: '2024-12-31', target: 1200 });
    expect((await at('2024-01-02T09:00', 'send', 'c/甲县', opened)).code).toBe(EXIT.ok);
    expect((await at('2024-03-01T09:00', 'send', 'c/甲县', '{"type":"item.progress","item":"环岛路","done":150}')).code).toBe(EXIT.ok);
    const text = (await at('2024-03-01T10:00', 'items', 'c', '--lang', 'zh')).stdout;
    // Due when 31 December ends, shown as tasks' are: the instant it falls due.
    expect(text).toMatch(/甲县\s+环岛路\s+重点项目\s+办理中\s+李四\s+2025-01-01 00:00\s+黄灯\s+1\/0\s+县级/);
    const json = JSON.parse((await at('2024-03-01T10:00', 'items', 'c', '--format', 'json')).stdout) as { item: string; light: string; level: string; done: number }[];
    expect(json.map((i) => [i.item, i.light, i.level, i.done])).toEqual([['环岛路', 'yellow', '县级', 150]]);
  });

  it('when the campaign has lights and the office labels the project red, then luoshi status counts the items by light and shows the unit red', async () => {
    // The project is listed for 甲县 at the start (the organisation's key-project list).
    const organisation = { id: '市', units: [{ id: '甲县', items: [{ id: '环岛路', kind: '重点项目', target: 1200 }] }, { id: '乙县' }] };
    const { db, campaignFile, orgFile: org } = rehearsedCampaign('luoshi-items-', CAMPAIGN.replace('items:', 'lights: { yellowBefore: 3个工作日 }\nitems:'), organisation);
    expect((await run(['deploy', campaignFile, '--db', db])).code).toBe(EXIT.ok);
    expect((await run(['start', '项目督办', '--org', org, '--campaign', 'c', '--db', db, '--now', '2024-01-02T09:00'])).code).toBe(EXIT.ok);
    expect((await run(['send', 'c/甲县', '{"type":"item.assessed","item":"环岛路","light":"red"}', '--db', db])).code).toBe(EXIT.ok);
    const text = (await run(['status', 'c', '--db', db])).stdout;
    expect(text).toContain('Items by light: red 1, yellow 0, green 0, blue 0');
    expect(text).toMatch(/甲县\s+推进\s+red/);
    const json = JSON.parse((await run(['status', 'c', '--db', db, '--format', 'json'])).stdout) as { rollup: { lights: { items: Record<string, number> } }; instances: { unitId: string; itemLights?: Record<string, number> }[] };
    expect(json.rollup.lights.items).toEqual({ green: 0, yellow: 0, red: 1, blue: 0 });
    expect(json.instances.find((i) => i.unitId === '甲县')?.itemLights).toEqual({ green: 0, yellow: 0, red: 1, blue: 0 });
  });
});
