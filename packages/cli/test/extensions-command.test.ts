import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { extensionsCampaign } from '../../../test/support/extensions-campaign.js';
import { rehearsedCampaign } from '../../../test/support/run-luoshi.js';

/**
 * 申请延期 (issue 19): `luoshi extensions <campaign>` lists the requests waiting for 督查室, in text
 * and JSON; once decided, none. 整改方案 is due when 10 May 2024 ends (shown as the instant it falls
 * due, 2024-05-11 00:00); 甲县 asks for 16 May (2024-05-17 00:00).
 */
const CAMPAIGN = extensionsCampaign({
  extensions: 'extensions: { decidedBy: 督查室 }',
  window: '4月1日至6月30日',
  tasks: ['{ id: 整改方案, title: 整改方案, owner: 单位, due: 5月10日 }'],
});

describe('given a campaign allowing extensions on a SQLite file', () => {
  it('when 甲县 asks on 6 May for 整改方案 to be due 16 May, then luoshi extensions shows the request with both dues and the reason, and nothing once it is approved', async () => {
    const { at, campaignFile, orgFile } = rehearsedCampaign('luoshi-extensions-', CAMPAIGN, { id: '市', units: [{ id: '甲县' }] });
    expect((await at('2024-05-06T09:00', 'deploy', campaignFile)).code).toBe(EXIT.ok);
    expect((await at('2024-05-06T09:00', 'start', '限期整改', '--org', orgFile, '--campaign', 'c')).code).toBe(EXIT.ok);
    const asked = JSON.stringify({ type: 'extension.requested', task: '整改方案', until: '2024-05-16', reason: '需省厅批复' });
    expect((await at('2024-05-06T09:00', 'send', 'c/甲县', asked)).code).toBe(EXIT.ok);
    const text = (await at('2024-05-06T10:00', 'extensions', 'c', '--lang', 'zh')).stdout;
    expect(text).toMatch(/甲县\s+整改方案\s+2024-05-11 00:00\s+2024-05-17 00:00\s+0\s+需省厅批复/);
    const json = JSON.parse((await at('2024-05-06T10:00', 'extensions', 'c', '--format', 'json')).stdout) as { task: string; reason: string }[];
    expect(json.map((r) => [r.task, r.reason])).toEqual([['整改方案', '需省厅批复']]);
    expect((await at('2024-05-07T09:00', 'send', 'c/甲县', '{"type":"extension.decided","task":"整改方案","approved":true}')).code).toBe(EXIT.ok);
    expect(JSON.parse((await at('2024-05-07T10:00', 'extensions', 'c', '--format', 'json')).stdout)).toEqual([]);
  });
});
