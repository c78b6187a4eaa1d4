import { member, minimalCampaign, unit } from '../../../../test/support/minimal-campaign.js';

/**
 * A campaign of units and members whose one task, each member's 承诺 (due when 11 March ends), flags a
 * member 个人逾期 when it goes overdue; `moreFlags` declares other flags (as YAML list lines) nobody is
 * given. Used by the flags-held and query-copies tests.
 */
export function memberOverdueCampaign(id: string, moreFlags = ''): string {
  return minimalCampaign({
    id,
    subjects: ['unit', 'member'],
    roles: [unit('单位', '各单位'), member('党员')],
    blocks: `
    flags:
      - { id: 个人逾期, title: 个人逾期 }${moreFlags}`,
    phases: [{ id: '动员', window: '3月', body: `
    tasks:
      - { id: 承诺, title: 个人承诺, owner: 党员, subject: member, due: 3月11日 }` }],
    after: `
    consequences:
      - id: 个人逾期
        title: 个人任务逾期
        on: { event: task-overdue, when: "subject.kind == 'member'" }
        subject: member
        flags: [个人逾期]`,
  });
}
