import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { minimalCampaign, unit } from '../../../test/support/minimal-campaign.js';
import { rehearsedCampaign } from '../../../test/support/run-luoshi.js';

/** 批次 (issue 18): `luoshi status` shows a unit whose cohort has not started as 未启动, with its start. */
const CAMPAIGN = minimalCampaign({
  id: '分批推开',
  roles: [unit('镇', '各镇')],
  blocks: `
    cohorts:
      - { id: 第二批, title: 第二批, start: 9月1日 }`,
  phases: [{ id: '整治', window: '3月至12月', body: `
    tasks:
      - { id: 实施方案, title: 本镇实施方案, owner: 镇, due: 整治后20天内 }` }],
});

describe('given a campaign on a SQLite file where 镇B is in the second batch (9月1日)', () => {
  it('when the status is asked in May and in September, then 镇B is not started until 1 September, then in its phase', async () => {
    const { at, campaignFile, orgFile } = rehearsedCampaign('luoshi-cohort-', CAMPAIGN, { id: '县', units: [{ id: '镇A' }, { id: '镇B', cohort: '第二批' }] });
    expect((await at('2024-03-01T09:00', 'deploy', campaignFile)).code).toBe(EXIT.ok);
    expect((await at('2024-03-01T09:00', 'start', '分批推开', '--org', orgFile, '--campaign', 'c')).code).toBe(EXIT.ok);
    const may = (await at('2024-05-06T09:00', 'status', 'c', '--lang', 'zh')).stdout;
    expect(may).toContain('整治（未启动，2024-09-01 00:00 起）');
    expect((await at('2024-05-06T09:00', 'status', 'c')).stdout).toContain('整治 (not started until 2024-09-01 00:00)');
    const september = (await at('2024-09-02T09:00', 'status', 'c', '--format', 'json')).stdout;
    const units = (JSON.parse(september) as { instances: { unitId: string; started: boolean; cohort?: string }[] }).instances;
    expect(units.find((u) => u.unitId === '镇B')).toMatchObject({ started: true, cohort: '第二批' });
  });
});
