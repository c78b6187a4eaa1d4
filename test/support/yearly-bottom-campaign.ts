import { minimalCampaign, office, unit } from './minimal-campaign.js';

/**
 * 年度末位 — a standing mechanism (no end date) whose yearly ranking on 12月25日 flags its last unit
 * 末位 for the campaign year (`lasts: year`): the flag lapses at the instant the year ends. One
 * assessment a year (年度考核, due 12月20日) feeds the ranking; the office's decision 终止 ends it.
 * Shared by the simulator's tests of the flags counted at the end of a span of years (the run's, and
 * each unit's).
 */
export const YEARLY_BOTTOM_PROCESS = '年度末位';
export const YEARLY_BOTTOM_CAMPAIGN = minimalCampaign({
  id: YEARLY_BOTTOM_PROCESS,
  roles: [office('办公室'), unit('单位', '各单位')],
  blocks: `
    start: 2024-01-01
    standing: true
    scale: { units: 5 }
    flags:
      - { id: 末位, title: 年度考核末位, subject: unit, lasts: year }`,
  phases: [{ id: '常态', body: `
    exit: decision
    evaluations:
      - { id: 年度考核, title: 年度考核, by: 办公室, subject: unit, every: 每年, due: 12月20日 }
    decisions:
      - { id: 终止, title: 终止, by: 办公室, options: [{ id: 终止, next: end }] }` }],
  after: `
    rankings:
      - { id: 年度排名, title: 年度排名, subject: unit, at: 12月25日, weights: { 年度考核: 1 }, bottom: { count: 1, flags: [末位] } }`,
});
