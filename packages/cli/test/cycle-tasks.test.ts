import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, runCli } from '../src/run-cli.js';
import { YEARLY_CYCLE } from '../../../test/support/cycles.js';

/** 周期 (issue 18): `luoshi tasks` shows each task's cycle in a cycled campaign, and `send` may name one. */
async function run(args: string[]) {
  let stdout = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: () => undefined, env: { LANG: 'C' } });
  return { code, stdout };
}

describe('given the yearly cycle 2024–2026 on a SQLite file', () => {
  it('when the tasks are listed in March 2025, then the cycle column shows 2024 and 2025; completing 2024\'s 自查报告 by naming its cycle makes it late', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-cycle-'));
    const db = join(dir, 'live.sqlite');
    writeFileSync(join(dir, 'campaign.yaml'), YEARLY_CYCLE);
    const org = join(dir, 'org.json');
    writeFileSync(org, JSON.stringify({ id: '区委', units: [{ id: '甲' }] }));
    const at = (now: string, ...args: string[]) => run([...args, '--db', db, '--now', now]);
    expect((await at('2024-01-01T09:00', 'deploy', join(dir, 'campaign.yaml'))).code).toBe(EXIT.ok);
    expect((await at('2024-01-01T09:00', 'start', '年度循环', '--org', org, '--campaign', 'c')).code).toBe(EXIT.ok);
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
