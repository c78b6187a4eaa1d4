import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { minimalCampaign, unit } from '../../../test/support/minimal-campaign.js';
import { rehearsedCampaign } from '../../../test/support/run-luoshi.js';

/** 红黄绿灯 (issue 19): `luoshi status` shows each unit's light, and the units counted by light. */
const CAMPAIGN = minimalCampaign({
  id: '亮灯',
  roles: [unit('县', '各县')],
  blocks: 'lights: { yellowBefore: 3个工作日, blue: true }',
  phases: [{ id: '整改', window: '4月至6月', body: `
    tasks:
      - { id: 整改方案, title: 整改方案, owner: 县, due: 5月10日 }` }],
});

describe('given a campaign with lights on a SQLite file, 整改方案 due Friday 10 May 2024, yellow 3 working days before', () => {
  it('when 甲县 has done it and 乙县 has not, then on 7 May 甲县 is blue and 乙县 yellow, and on 11 May 乙县 is red, in text and JSON, and in its task list', async () => {
    const { at, campaignFile, orgFile } = rehearsedCampaign('luoshi-lights-', CAMPAIGN, { id: '市', units: [{ id: '甲县' }, { id: '乙县' }] });
    expect((await at('2024-04-01T09:00', 'deploy', campaignFile)).code).toBe(EXIT.ok);
    expect((await at('2024-04-01T09:00', 'start', '亮灯', '--org', orgFile, '--campaign', 'c')).code).toBe(EXIT.ok);
    expect((await at('2024-04-02T09:00', 'send', 'c/甲县', '{"type":"task.completed","task":"整改方案"}')).code).toBe(EXIT.ok);
    const may7 = (await at('2024-05-07T09:00', 'status', 'c', '--lang', 'zh')).stdout;
    expect(may7).toMatch(/甲县\s+整改\s+蓝灯/);
    expect(may7).toMatch(/乙县\s+整改\s+黄灯/);
    // 市 has no task of its own: green.
    expect(may7).toContain('亮灯单位：红灯 0, 黄灯 1, 绿灯 1, 蓝灯 1');
    const may11 = JSON.parse((await at('2024-05-11T09:00', 'status', 'c', '--format', 'json')).stdout) as {
      rollup: { lights: { units: Record<string, number> } };
      instances: { unitId: string; light?: string }[];
    };
    expect(Object.fromEntries(may11.instances.map((i) => [i.unitId, i.light]))).toEqual({ 市: 'green', 甲县: 'blue', 乙县: 'red' });
    expect(may11.rollup.lights.units).toEqual({ green: 1, yellow: 0, red: 1, blue: 1 });
    expect((await at('2024-05-11T09:00', 'tasks', 'c/乙县', '--lang', 'zh')).stdout).toMatch(/整改方案\s+overdue\s+红灯/);
  });
});
