import { describe, expect, it } from 'vitest';
import { validateProcessText } from '@luoshi/dsl';
import { createEngine, createInProcessEngine, createMemoryStore, VirtualClock } from '@luoshi/engine';
import { call, handlerWith, processFiles } from '../packages/http/test/support.js';
import { minimalCampaign, unit } from './support/minimal-campaign.js';

/*
 * 活动标识 in a URL: every campaign read of the HTTP API names the campaign as one path segment
 * (`/v1/campaigns/{id}/rollup`), and a URL parser resolves the segments "." and ".." — even written
 * %2e%2e — before any router sees them (WHATWG URL, RFC 3986 §5.2.4). So `..` was accepted by
 * `POST /v1/campaigns` (201) and then never found: `/v1/campaigns/%2e%2e/rollup` is `/v1/rollup`.
 * Such an id is refused where a campaign is started, as "/" is. And U+2028 / U+2029 (line and
 * paragraph separators: invisible, a line break to many terminals) are refused as the other unseen
 * characters are, shown escaped.
 */

const ORGANISATION = { id: 'office', units: [{ id: 'u01' }] };

const CAMPAIGN = minimalCampaign({
  id: '路径',
  roles: [unit('单位', '各单位')],
  phases: [{ id: '实施', window: '1月至12月', body: 'tasks:\n  - { id: 报送, title: 报送, owner: 单位, due: 3月31日 }' }],
});

function definition() {
  const validated = validateProcessText(CAMPAIGN, { file: 'c.yaml' });
  if (!validated.definition) throw new Error(JSON.stringify(validated.diagnostics));
  return validated.definition;
}

describe('given the URL a campaign is read under', () => {
  it('when its id is "." or "..", even percent-encoded, then the path no longer names it (why such an id cannot be used)', () => {
    expect(new URL('http://localhost/v1/campaigns/%2e%2e/rollup').pathname).toBe('/v1/rollup');
    expect(new URL('http://localhost/v1/campaigns/./rollup').pathname).toBe('/v1/campaigns/rollup');
  });
});

describe('given campaign ids a URL path cannot carry, or with a line separator', () => {
  const refused: readonly (readonly [string, string])[] = [
    ['.', '"."'],
    ['..', '".."'],
    ['a\u2028b', '"a\\u2028b"'],
    ['a\u2029b', '"a\\u2029b"'],
  ];

  it('when the durable engine starts them, then each is ENGINE_INVALID_CAMPAIGN_ID, shown escaped, and nothing is stored', async () => {
    const store = createMemoryStore();
    const engine = createEngine({ store, clock: new VirtualClock(Date.parse('2024-01-02T09:00:00+08:00')) });
    await engine.deploy([definition()]);
    for (const [id, shown] of refused)
      await expect(engine.startCampaign({ process: '路径', organisation: ORGANISATION, campaignId: id }), JSON.stringify(id)).rejects.toMatchObject({
        code: 'ENGINE_INVALID_CAMPAIGN_ID',
        messages: {
          en: `The campaign id ${shown} cannot be used: a campaign id is 1 to 100 characters, not "." or "..", without "/" and without control or invisible characters. Nothing was started`,
          zh: `活动标识 ${shown} 不可用：活动标识应为 1 至 100 个字符，不能是“.”或“..”，不含“/”、控制字符或不可见字符。未启动活动`,
        },
      });
    expect(await store.listCampaigns()).toEqual([]);
    // Dots among other characters are ordinary text: one path segment like any other.
    for (const id of ['...', '.a', 'a.', 'v1.2']) expect((await engine.startCampaign({ process: '路径', organisation: ORGANISATION, campaignId: id })).campaignId).toBe(id);
    await engine.close();
  });

  it('when the in-process driver starts them, then it refuses them alike', async () => {
    const driver = createInProcessEngine({ clock: new VirtualClock(Date.parse('2024-01-02T09:00:00+08:00')) });
    await driver.deploy([definition()]);
    for (const [id] of refused) await expect(driver.startCampaign({ process: '路径', organisation: ORGANISATION, campaignId: id }), JSON.stringify(id)).rejects.toMatchObject({ code: 'ENGINE_INVALID_CAMPAIGN_ID' });
  });

  it('when POST /v1/campaigns names "..", then it answers 422 and starts nothing; a campaign "..." is started and read back at its URL', async () => {
    const { handler, engine } = handlerWith();
    expect((await call(handler, 'POST', '/v1/processes', { user: 'admin', body: { files: processFiles() } })).status).toBe(201);
    for (const id of ['.', '..']) {
      // Sent as raw JSON: the OpenAPI document's pattern refuses the id too, and this is deliberately broken input.
      const answer = await call(handler, 'POST', '/v1/campaigns', { user: 'admin', raw: JSON.stringify({ process: '机关作风建设年', organisation: ORGANISATION, campaignId: id }), headers: { 'content-type': 'application/json' } });
      expect({ status: answer.status, code: answer.body.code }, id).toEqual({ status: 422, code: 'ENGINE_INVALID_CAMPAIGN_ID' });
    }
    expect(await engine.store.listCampaigns()).toEqual([]);
    const started = await call(handler, 'POST', '/v1/campaigns', { user: 'admin', body: { process: '机关作风建设年', organisation: ORGANISATION, campaignId: '...' } });
    expect(started.status).toBe(201);
    const rollup = await call(handler, 'GET', `/v1/campaigns/${encodeURIComponent('...')}/rollup`, { user: 'admin' });
    expect({ status: rollup.status, campaignId: rollup.body.campaignId, units: rollup.body.units }).toEqual({ status: 200, campaignId: '...', units: 2 });
  });
});
