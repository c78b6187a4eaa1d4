import { minimalCampaign, office, unit } from './minimal-campaign.js';

/**
 * 分批亮牌 — a campaign of monthly-carded items (`every: 每月`) whose units start in two cohorts (批次):
 * the first with the campaign on 1 January, the second on 1 July; one phase over the whole year.
 */
export const COHORT_CARDS_CAMPAIGN = minimalCampaign({
  id: '分批亮牌',
  roles: [office('投资办'), unit('片区', '各片区')],
  blocks: `
    cohorts:
      - { id: 一批, title: 第一批, start: 1月1日 }
      - { id: 二批, title: 第二批, start: 7月1日 }
    items:
      - { id: 重点项目, title: 重点项目, by: 投资办, every: 每月 }`,
  phases: [{ id: '亮牌', window: '1月1日至12月31日' }],
});
