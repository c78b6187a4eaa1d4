import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, runCli } from '../src/run-cli.js';

/** 批次 (issue 18): `luoshi status` shows a unit whose cohort has not started as 未启动, with its start. */
const CAMPAIGN = `kind: campaign
id: 分批推开
title: 分批推开
source: { title: 测试 }
year: 2024
subjects: [unit]
cohorts:
  - { id: 第二批, title: 第二批, start: 9月1日 }
roles:
  - { id: 镇, title: 各镇, level: unit }
phases:
  - id: 整治
    title: 整治
    window: 3月至12月
    tasks:
      - { id: 实施方案, title: 本镇实施方案, owner: 镇, due: 整治后20天内 }
`;

async function run(args: string[]) {
  let stdout = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: () => undefined, env: { LANG: 'C' } });
  return { code, stdout };
}

describe('given a campaign on a SQLite file where 镇B is in the second batch (9月1日)', () => {
  it('when the status is asked in May and in September, then 镇B is not started until 1 September, then in its phase', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-cohort-'));
    const db = join(dir, 'live.sqlite');
    writeFileSync(join(dir, 'campaign.yaml'), CAMPAIGN);
    const org = join(dir, 'org.json');
    writeFileSync(org, JSON.stringify({ id: '县', units: [{ id: '镇A' }, { id: '镇B', cohort: '第二批' }] }));
    // Deployed now; started on a rehearsal clock at its time; every later step first moves the campaign's clock to its time.
    const at = async (now: string, ...args: string[]) => {
      if (args[0] === 'deploy') return run([...args, '--db', db]);
      if (args[0] === 'start') return run([...args, '--db', db, '--now', now]);
      expect((await run(['clock', 'c', '--set', now, '--db', db])).code).toBe(EXIT.ok);
      return run([...args, '--db', db]);
    };
    expect((await at('2024-03-01T09:00', 'deploy', join(dir, 'campaign.yaml'))).code).toBe(EXIT.ok);
    expect((await at('2024-03-01T09:00', 'start', '分批推开', '--org', org, '--campaign', 'c')).code).toBe(EXIT.ok);
    const may = (await at('2024-05-06T09:00', 'status', 'c', '--lang', 'zh')).stdout;
    expect(may).toContain('整治（未启动，2024-09-01 00:00 起）');
    expect((await at('2024-05-06T09:00', 'status', 'c')).stdout).toContain('整治 (not started until 2024-09-01 00:00)');
    const september = (await at('2024-09-02T09:00', 'status', 'c', '--format', 'json')).stdout;
    const units = (JSON.parse(september) as { instances: { unitId: string; started: boolean; cohort?: string }[] }).instances;
    expect(units.find((u) => u.unitId === '镇B')).toMatchObject({ started: true, cohort: '第二批' });
  });
});
