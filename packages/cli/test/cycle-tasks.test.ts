import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { YEARLY_CYCLE } from '../../../test/support/cycles.js';
import { rehearsedCampaign } from '../../../test/support/run-luoshi.js';

/** 周期 (issue 18): `luoshi tasks` shows each task's cycle in a cycled campaign, and `send` may name one. */

describe('given the yearly cycle 2024–2026 on a SQLite file', () => {
  it('when the tasks are listed in March 2025, then the cycle column shows 2024 and 2025; completing 2024\'s 自查报告 by naming its cycle makes it late', async () => {
    const { at, campaignFile, orgFile } = rehearsedCampaign('luoshi-cycle-', YEARLY_CYCLE, { id: '区委', units: [{ id: '甲' }] });
    expect((await at('2024-01-01T09:00', 'deploy', campaignFile)).code).toBe(EXIT.ok);
    expect((await at('2024-01-01T09:00', 'start', '年度循环', '--org', orgFile, '--campaign', 'c')).code).toBe(EXIT.ok);
    const table = (await at('2025-03-01T09:00', 'tasks', 'c/甲')).stdout;
    const rows = table.split('\n').map((line) => line.trim().split(/\s+/));
    expect(rows[0]?.slice(0, 4)).toEqual(['task', 'cycle', 'member', 'status']);
    expect(rows.filter((r) => r[0]?.startsWith('自查报告')).map((r) => [r[0], r[1], r[2]])).toEqual([
      ['自查报告', '2024', 'overdue'],
      ['自查报告.2025', '2025', 'open'],
    ]);
    const sent = await at('2025-03-01T09:00', 'send', 'c/甲', JSON.stringify({ type: 'task.completed', task: '自查报告', cycle: '2024' }));
    expect(sent.code).toBe(EXIT.ok);
    const json = JSON.parse((await at('2025-03-01T09:00', 'tasks', 'c/甲', '--format', 'json')).stdout) as { key: string; cycle?: string; status: string }[];
    expect(json.filter((t) => t.key.startsWith('自查报告')).map((t) => [t.key, t.cycle, t.status])).toEqual([
      ['自查报告', '2024', 'late'],
      ['自查报告.2025', '2025', 'open'],
    ]);
  });
});
