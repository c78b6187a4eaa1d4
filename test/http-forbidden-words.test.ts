import { describe, expect, it } from 'vitest';
import { createEngine, createMemoryStore, VirtualClock } from '@luoshi/engine';
import { createHandler, type Actor } from '@luoshi/http';
import { shanghai } from './support/campaign-harness.js';
import { checkedDefinitions } from './support/checked-inputs.js';
import { STANDING_CAMPAIGN, STANDING_ORGANISATION, STANDING_PROCESS } from './support/standing-close-campaign.js';

/*
 * 403 in both languages: an actor of another organisation (外市办) asks for the whole of campaign c
 * (its closing, 终止活动, or its roll-up) or for the campaign's instances. Each refusal names what was
 * asked for in the language of its message: the Chinese one said "无权查看或办理 the whole of campaign c".
 */

const outsider: Actor = { id: '外市', roles: ['办公室'], units: ['外市办'] };

async function refusal(method: string, path: string, body?: unknown): Promise<{ status: number; code: string; zh: string; en: string }> {
  const engine = createEngine({ store: createMemoryStore(), clock: new VirtualClock(shanghai('2024-01-01T09:00:00')) });
  await engine.deploy(checkedDefinitions(STANDING_CAMPAIGN));
  await engine.startCampaign({ process: STANDING_PROCESS, organisation: STANDING_ORGANISATION, campaignId: 'c' });
  const handler = createHandler({ engine, authenticate: async () => outsider });
  const response = await handler(
    new Request(`http://localhost${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
  );
  const json = (await response.json()) as { code: string; message: { zh: string; en: string } };
  return { status: response.status, code: json.code, zh: json.message.zh, en: json.message.en };
}

describe('given an actor of another organisation (外市办) and campaign c over 县委办', () => {
  it('when it asks to close the whole campaign, then 403 names 活动 c 的全部单位 in Chinese and the whole of campaign c in English', async () => {
    expect(await refusal('POST', '/v1/campaigns/c/close', { reason: '废止' })).toEqual({
      status: 403,
      code: 'HTTP_FORBIDDEN',
      zh: '外市 无权查看或办理 活动 c 的全部单位：不在其所属单位（外市办）及其下级单位范围内',
      en: '外市 may not see or act on the whole of campaign c: it is outside the units 外市 belongs to (外市办) and the units under them',
    });
  });

  it('when it asks for the roll-up of the whole campaign or for its instances, then the Chinese refusal is Chinese too', async () => {
    expect((await refusal('GET', '/v1/campaigns/c/rollup')).zh).toBe('外市 无权查看或办理 活动 c 的全部单位：不在其所属单位（外市办）及其下级单位范围内');
    expect((await refusal('GET', '/v1/campaigns/c/instances')).zh).toBe('外市 无权查看或办理 活动 c：不在其所属单位（外市办）及其下级单位范围内');
  });
});
