import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DSL_LIMITS, validateProcessText } from '@luoshi/dsl';
import { createEngine, createInProcessEngine, createMemoryStore, VirtualClock } from '@luoshi/engine';
import { call, handlerWith, processFiles } from '../packages/http/test/support.js';
import { minimalCampaign, unit } from './support/minimal-campaign.js';
import { runLuoshi } from './support/run-luoshi.js';

/*
 * 活动标识 — a campaign id a host gives is 1 to 100 characters (DSL_LIMITS.campaignIdLength, stated
 * in docs/reference.md's limits), without "/" and without control or invisible characters: it
 * begins every instance id, timer and history row and is shown in terminals and reports. The engine
 * accepted any text (thousands of characters, a direction override that makes it read as another,
 * a NUL that only the store refused). One check, `checkedCampaignId`, where a campaign is started:
 * the library's two engines, HTTP and `luoshi start`; ENGINE_INVALID_CAMPAIGN_ID, nothing started.
 */

const CAMPAIGN = minimalCampaign({
  id: '标识',
  roles: [unit('单位', '各单位')],
  phases: [{ id: '实施', window: '1月至12月', body: 'tasks:\n  - { id: 报送, title: 报送, owner: 单位, due: 3月31日 }' }],
});
const ORGANISATION = { id: 'office', units: [{ id: 'u01' }] };

/** Ids refused, each for its own reason, with what the message shows of it. */
const REFUSED: readonly (readonly [string, string])[] = [
  ['', '""'],
  ['a/b', '"a/b"'],
  ['x'.repeat(DSL_LIMITS.campaignIdLength + 1), `"${'x'.repeat(40)}…"`],
  ['zf\u0000b', '"zf\\u0000b"'],
  ['a\nb', '"a\\nb"'],
  ['\u202eevil', '"\\u202eevil"'],
  ['zero\u200bwidth', '"zero\\u200bwidth"'],
  ['lone\ud800', '"lone\\ud800"'],
];

/** Ids that start as before: the ids the tests use, the longest allowed, Han text, prototype names. */
const ACCEPTED = ['c', 'zf', 'sim', 'r-1a2b3c4d', '__proto__', 'constructor', '2010年机关作风建设年', 'x'.repeat(DSL_LIMITS.campaignIdLength), 'with space'];

function definition() {
  const validated = validateProcessText(CAMPAIGN, { file: 'c.yaml' });
  if (!validated.definition) throw new Error(JSON.stringify(validated.diagnostics));
  return validated.definition;
}

describe('given campaign ids that cannot be used, started through the library', () => {
  it('when the durable engine starts them, then each is ENGINE_INVALID_CAMPAIGN_ID showing the id escaped, and nothing is stored', async () => {
    const store = createMemoryStore();
    const engine = createEngine({ store, clock: new VirtualClock(Date.parse('2024-01-02T09:00:00+08:00')) });
    await engine.deploy([definition()]);
    for (const [id, shown] of REFUSED) {
      const refused = engine.startCampaign({ process: '标识', organisation: ORGANISATION, campaignId: id });
      await expect(refused, JSON.stringify(id)).rejects.toMatchObject({
        code: 'ENGINE_INVALID_CAMPAIGN_ID',
        messages: {
          en: `The campaign id ${shown} cannot be used: a campaign id is 1 to 100 characters, not "." or "..", without "/" and without control or invisible characters. Nothing was started`,
          zh: `活动标识 ${shown} 不可用：活动标识应为 1 至 100 个字符，不能是“.”或“..”，不含“/”、控制字符或不可见字符。未启动活动`,
        },
      });
    }
    expect(await store.listCampaigns()).toEqual([]);
    for (const id of ACCEPTED) expect((await engine.startCampaign({ process: '标识', organisation: ORGANISATION, campaignId: id })).campaignId).toBe(id);
    await engine.close();
  });

  it('when the in-process driver (the simulator\'s) starts them, then it refuses them alike', async () => {
    const driver = createInProcessEngine({ clock: new VirtualClock(Date.parse('2024-01-02T09:00:00+08:00')) });
    await driver.deploy([definition()]);
    for (const [id] of REFUSED) await expect(driver.startCampaign({ process: '标识', organisation: ORGANISATION, campaignId: id }), JSON.stringify(id)).rejects.toMatchObject({ code: 'ENGINE_INVALID_CAMPAIGN_ID' });
    for (const id of ACCEPTED) expect((await driver.startCampaign({ process: '标识', organisation: ORGANISATION, campaignId: id })).campaignId).toBe(id);
  });
});

describe('given campaign ids that cannot be used, started over HTTP', () => {
  it('when POST /v1/campaigns names one, then it answers 422 ENGINE_INVALID_CAMPAIGN_ID and no campaign is started', async () => {
    const { handler, engine } = handlerWith();
    expect((await call(handler, 'POST', '/v1/processes', { user: 'admin', body: { files: processFiles() } })).status).toBe(201);
    for (const [id] of REFUSED) {
      // Sent as raw JSON: the OpenAPI document's pattern and lengths refuse the id too, and this is deliberately broken input.
      const answer = await call(handler, 'POST', '/v1/campaigns', { user: 'admin', raw: JSON.stringify({ process: '机关作风建设年', organisation: ORGANISATION, campaignId: id }), headers: { 'content-type': 'application/json' } });
      expect({ status: answer.status, code: answer.body.code }, JSON.stringify(id)).toEqual({ status: 422, code: 'ENGINE_INVALID_CAMPAIGN_ID' });
    }
    expect(await engine.store.listCampaigns()).toEqual([]);
  });
});

describe('given a campaign id that cannot be used, started by `luoshi start --campaign`', () => {
  it('when the id has "/" or is 101 characters, then it is ENGINE_INVALID_CAMPAIGN_ID (exit 2, a usage error) before the database is created', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-campaign-id-'));
    const org = join(dir, 'org.json');
    writeFileSync(org, JSON.stringify(ORGANISATION));
    for (const id of ['a/b', 'x'.repeat(101)]) {
      const db = join(dir, 'never.sqlite');
      const outcome = await runLuoshi(['start', '标识', '--org', org, '--campaign', id, '--db', db, '--now', '2024-01-02T09:00']);
      expect(outcome.code, id).toBe(2);
      expect(outcome.stderr, id).toMatch(/^ENGINE_INVALID_CAMPAIGN_ID The campaign id "/);
      expect(existsSync(db), id).toBe(false);
    }
  });
});
