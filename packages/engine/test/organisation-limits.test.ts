import { describe, expect, it } from 'vitest';
import type { OrganisationUnit } from '@luoshi/engine';
import { engineWith } from './support/harness.js';

// An organisation comes from a host (an HTTP body, `luoshi start --org`): whatever its shape, it is
// refused with ENGINE_INVALID_ORGANISATION, never a stack overflow or a 500, and nothing is stored.
const CAMPAIGN = `
kind: campaign
id: 组织
title: 组织
source: { title: 测试 }
year: 2024
subjects: [unit]
roles: [{ id: 单位, title: 单位, level: unit }]
phases:
  - { id: 实施, title: 实施, window: 1月至12月, tasks: [{ id: 报送, title: 报送, owner: 单位, due: 6月30日 }] }
`;

/** `[[[…]]]`, `depth` lists deep. */
function nested(depth: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

const refused: readonly [string, unknown][] = [
  ['an id that is a list nested 150,000 deep', { id: nested(150_000) }],
  ['a member id nested 150,000 deep', { id: 'office', members: [{ id: nested(150_000) }] }],
  ['an extra key nested 150,000 deep', { id: 'office', note: nested(150_000) }],
  ['a kind nested 200 deep', { id: 'office', kind: nested(200) }],
  ['a unit id with a right-to-left override', { id: 'office', units: [{ id: '\u202eevil' }] }],
  ['a unit id with a zero-width space', { id: 'office', units: [{ id: 'u\u200b01' }] }],
  ['a member id with a NUL', { id: 'office', members: [{ id: 'a\u0000b' }] }],
  ['a unit id of 201 characters', { id: 'office', units: [{ id: 'u'.repeat(201) }] }],
];

describe('given an organisation that a host sends', () => {
  it.each(refused)('when it holds %s, then the start is refused with ENGINE_INVALID_ORGANISATION and no campaign exists', async (_name, organisation) => {
    const { engine } = await engineWith(CAMPAIGN, { start: '2024-01-02T09:00:00' });
    await expect(engine.startCampaign({ process: '组织', organisation: organisation as OrganisationUnit, campaignId: 'c' })).rejects.toMatchObject({
      code: 'ENGINE_INVALID_ORGANISATION',
    });
    await expect(engine.rollup('c')).rejects.toMatchObject({ code: 'ENGINE_CAMPAIGN_NOT_FOUND' });
  });

  it('when its ids are 200 characters long or named like Object.prototype members, then they are ordinary units', async () => {
    const { engine } = await engineWith(CAMPAIGN, { start: '2024-01-02T09:00:00' });
    const long = 'u'.repeat(200);
    const organisation = { id: 'office', units: [{ id: long }, { id: 'constructor' }, { id: '__proto__' }] };
    const started = await engine.startCampaign({ process: '组织', organisation, campaignId: 'c' });
    expect(started.instances.map((i) => i.unitId)).toEqual(['office', long, 'constructor', '__proto__']);
  });
});
