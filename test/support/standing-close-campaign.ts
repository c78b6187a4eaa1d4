import type { OrganisationUnit } from '@luoshi/engine';
import { minimalCampaign, office, unit } from './minimal-campaign.js';

/**
 * 常态督查 — a standing mechanism (长效机制, no end date) that offers NO decision to end it: every unit
 * reports monthly (月报, 每月, due 25 days after each month opens), owes one 整改方案 due 9月30日, and is
 * assessed and ranked every year (年度考核 due 12月20日, 年度排名 on 12月25日, the last flagged 末位).
 * Before `closeCampaign` such a mechanism could not be closed at all; the tests of the office's
 * closing (终止活动) run on it, in the engine, over HTTP and through the CLI.
 */
export const STANDING_PROCESS = '常态督查';
export const STANDING_CAMPAIGN = minimalCampaign({
  id: STANDING_PROCESS,
  roles: [office('办公室'), unit('单位', '各单位')],
  blocks: `
    start: 2024-01-01
    standing: true
    scale: { units: 5 }
    flags:
      - { id: 末位, title: 年度考核末位, subject: unit, lasts: year }`,
  phases: [{ id: '常态', body: `
    tasks:
      - { id: 整改方案, title: 整改方案, owner: 单位, due: 9月30日 }
    recurring:
      - { id: 月报, title: 每月报送, owner: 单位, every: 每月, dueWithin: 25天 }
    evaluations:
      - { id: 年度考核, title: 年度考核, by: 办公室, subject: unit, every: 每年, due: 12月20日 }` }],
  after: `
    rankings:
      - { id: 年度排名, title: 年度排名, subject: unit, at: 12月25日, weights: { 年度考核: 1 }, bottom: { count: 1, flags: [末位] } }`,
});

/** 县委办 over two towns: 甲镇 with two villages, 乙镇 with one. A closing under 甲镇 reaches 甲镇, 甲一村, 甲二村. */
export const STANDING_ORGANISATION: OrganisationUnit = {
  id: '县委办',
  units: [
    { id: '甲镇', units: [{ id: '甲一村' }, { id: '甲二村' }] },
    { id: '乙镇', units: [{ id: '乙一村' }] },
  ],
};
