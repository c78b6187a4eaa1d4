import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { validateProcessText } from '@luoshi/dsl';
import { checkedCampaignId, createEngine, createMemoryStore, VirtualClock } from '@luoshi/engine';
import { openApiDocument } from '@luoshi/http';
import { call, handlerWith, processFiles } from '../packages/http/test/support.js';
import { minimalCampaign, unit } from './support/minimal-campaign.js';

/*
 * 活动标识 in the OpenAPI document: `StartCampaignRequest.campaignId` carries the engine's rule as
 * `pattern`, `minLength` and `maxLength`, so a client that checks a body against the document
 * refuses exactly the ids `checkedCampaignId` refuses. Length is counted in code points on both
 * sides (JSON Schema's `maxLength` does; the engine counted UTF-16 units, so 100 emoji — 200 units —
 * were refused though a reader counts 100 characters).
 */

const HAN_100 = '数'.repeat(100);
const EMOJI_100 = '😀'.repeat(100);
const ASTRAL_HAN_100 = '𠀀'.repeat(100);

/** Each id, and whether it may name a new campaign (by the rule's text, not by either implementation). */
const TABLE: readonly (readonly [id: string, accepted: boolean, why: string])[] = [
  ['', false, 'empty'],
  ['.', false, 'a URL dot segment'],
  ['..', false, 'a URL dot segment'],
  ['...', true, 'three dots are no dot segment'],
  ['.a', true, 'a dot is allowed elsewhere'],
  ['a/b', false, 'a "/" separates campaign from unit'],
  ['x'.repeat(100), true, '100 characters'],
  ['x'.repeat(101), false, '101 characters'],
  ['a\u200bb', false, 'a zero-width space (invisible format, Cf)'],
  ['a\u202eb', false, 'a direction override (Cf)'],
  ['a\u0000b', false, 'a NUL (control, Cc)'],
  ['a\nb', false, 'a line feed (control, Cc)'],
  ['a\u2028b', false, 'a line separator (Zl)'],
  ['a\u2029b', false, 'a paragraph separator (Zp)'],
  ['lone\ud800', false, 'a lone surrogate (Cs)'],
  ['数字化-2026', true, 'Han, a hyphen and digits'],
  ['with space', true, 'a space is seen'],
  [HAN_100, true, '100 Han characters'],
  [`${HAN_100}数`, false, '101 Han characters'],
  [EMOJI_100, true, '100 emoji, 200 UTF-16 units'],
  [`${EMOJI_100}😀`, false, '101 emoji'],
  [ASTRAL_HAN_100, true, '100 Han characters outside the BMP (CJK Extension B)'],
  [`${'x'.repeat(99)}😀`, true, '99 letters and an emoji: 100 characters, 101 units'],
];

function documentCheck(): (id: string) => boolean {
  const schemas = (openApiDocument() as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } }).components.schemas;
  const schema = schemas.StartCampaignRequest?.properties.campaignId as Record<string, unknown>;
  expect(schema).toMatchObject({ type: 'string', minLength: 1, maxLength: 100, pattern: expect.any(String) });
  // Ajv as a client would use it: ECMAScript patterns with the u flag, lengths in code points (its defaults).
  const validate = new Ajv({ strict: false }).compile(schema);
  return (id) => validate(id);
}

function engineAccepts(id: string): boolean {
  try {
    checkedCampaignId(id);
    return true;
  } catch (error) {
    expect(error).toMatchObject({ code: 'ENGINE_INVALID_CAMPAIGN_ID' });
    return false;
  }
}

describe('the campaign-id rule in the OpenAPI document and in the engine', () => {
  it('when each id of the table is checked by both, then both accept and refuse it as the rule says', () => {
    const documentAccepts = documentCheck();
    for (const [id, accepted, why] of TABLE) {
      expect({ engine: engineAccepts(id), document: documentAccepts(id) }, why).toEqual({ engine: accepted, document: accepted });
    }
  });

  it('when a campaign is started with 100 emoji or 100 astral Han characters, then it starts and is read back under that id', async () => {
    const validated = validateProcessText(
      minimalCampaign({ id: '标识', roles: [unit('单位')], phases: [{ id: '实施', window: '1月至12月', body: 'tasks:\n  - { id: 报送, title: 报送, owner: 单位, due: 3月31日 }' }] }),
      { file: 'c.yaml' },
    );
    if (!validated.definition) throw new Error(JSON.stringify(validated.diagnostics));
    const engine = createEngine({ store: createMemoryStore(), clock: new VirtualClock(Date.parse('2024-01-02T09:00:00+08:00')) });
    await engine.deploy([validated.definition]);
    for (const id of [EMOJI_100, ASTRAL_HAN_100]) {
      expect((await engine.startCampaign({ process: '标识', organisation: { id: 'office', units: [{ id: 'u01' }] }, campaignId: id })).campaignId).toBe(id);
      expect((await engine.state(`${id}/u01`)).unitId).toBe('u01');
    }
    await engine.close();
  });

  it('when POST /v1/campaigns names an id the document refuses, then the answer is still 422 ENGINE_INVALID_CAMPAIGN_ID (not HTTP_INVALID_BODY), and 100 emoji are started', async () => {
    const { handler } = handlerWith();
    expect((await call(handler, 'POST', '/v1/processes', { user: 'admin', body: { files: processFiles() } })).status).toBe(201);
    const organisation = { id: 'office', units: [{ id: 'u01' }] };
    for (const id of ['..', `${EMOJI_100}😀`, 'a\u200bb']) {
      // Sent as raw JSON: the document refuses the body, which is the point.
      const answer = await call(handler, 'POST', '/v1/campaigns', { user: 'admin', raw: JSON.stringify({ process: '机关作风建设年', organisation, campaignId: id }), headers: { 'content-type': 'application/json' } });
      expect({ status: answer.status, code: answer.body.code }, JSON.stringify(id)).toEqual({ status: 422, code: 'ENGINE_INVALID_CAMPAIGN_ID' });
    }
    const started = await call(handler, 'POST', '/v1/campaigns', { user: 'admin', body: { process: '机关作风建设年', organisation, campaignId: EMOJI_100 } });
    expect({ status: started.status, campaignId: started.body.campaignId }).toEqual({ status: 201, campaignId: EMOJI_100 });
  });
});
