import type { OrganisationUnit } from '@luoshi/engine';

/**
 * D6 三亚's office over one district, 吉阳区, and its key-project list: one project with a year plan of
 * 1,200 (万元, 100 a month) and the area's own society-wide investment task, 6,000 (500 a month).
 */
export const D6_ORGANISATION: OrganisationUnit = {
  id: '市投资办',
  units: [
    {
      id: '吉阳区',
      items: [
        { id: '凤凰岛二期', kind: '重点项目', owner: '某集团', target: 1200 },
        { id: '吉阳区全社会投资', kind: '片区投资任务', target: 6000 },
      ],
    },
  ],
};

/** The office acting in D6's process (投资办 holds the office's role). */
export const D6_OFFICE = { actor: '投资办', roles: ['投资办'] } as const;
