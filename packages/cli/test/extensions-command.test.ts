import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, runCli } from '../src/run-cli.js';

/**
 * 申请延期 (issue 19): `luoshi extensions <campaign>` lists the requests waiting for 督查室, in text
 * and JSON; once decided, none. 整改方案 is due when 10 May 2024 ends (shown as the instant it falls
 * due, 2024-05-11 00:00); 甲县 asks for 16 May (2024-05-17 00:00).
 */
const CAMPAIGN = `kind: campaign
id: 限期整改
title: 限期整改
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 督查室, title: 督查室, level: office }
  - { id: 单位, title: 各单位, level: unit }
extensions: { decidedBy: 督查室 }
phases:
  - id: 整改
    title: 整改
    window: 4月1日至6月30日
    tasks:
      - { id: 整改方案, title: 整改方案, owner: 单位, due: 5月10日 }
`;

async function run(args: string[]) {
  let stdout = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: () => undefined, env: { LANG: 'C' } });
  return { code, stdout };
}

describe('given a campaign allowing extensions on a SQLite file', () => {
  it('when 甲县 asks on 6 May for 整改方案 to be due 16 May, then luoshi extensions shows the request with both dues and the reason, and nothing once it is approved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-extensions-'));
    const db = join(dir, 'live.sqlite');
    writeFileSync(join(dir, 'campaign.yaml'), CAMPAIGN);
    const org = join(dir, 'org.json');
    writeFileSync(org, JSON.stringify({ id: '市', units: [{ id: '甲县' }] }));
    // Deployed now; started on a rehearsal clock at its time; every later step first moves the campaign's clock to its time.
    const at = async (now: string, ...args: string[]) => {
      if (args[0] === 'deploy') return run([...args, '--db', db]);
      if (args[0] === 'start') return run([...args, '--db', db, '--now', now]);
      expect((await run(['clock', 'c', '--set', now, '--db', db])).code).toBe(EXIT.ok);
      return run([...args, '--db', db]);
    };
    expect((await at('2024-05-06T09:00', 'deploy', join(dir, 'campaign.yaml'))).code).toBe(EXIT.ok);
    expect((await at('2024-05-06T09:00', 'start', '限期整改', '--org', org, '--campaign', 'c')).code).toBe(EXIT.ok);
    const asked = JSON.stringify({ type: 'extension.requested', task: '整改方案', until: '2024-05-16', reason: '需省厅批复' });
    expect((await at('2024-05-06T09:00', 'send', 'c/甲县', asked)).code).toBe(EXIT.ok);
    const text = (await at('2024-05-06T10:00', 'extensions', 'c', '--lang', 'zh')).stdout;
    expect(text).toMatch(/甲县\s+整改方案\s+2024-05-11 00:00\s+2024-05-17 00:00\s+0\s+需省厅批复/);
    const json = JSON.parse((await at('2024-05-06T10:00', 'extensions', 'c', '--format', 'json')).stdout) as { task: string; reason: string }[];
    expect(json.map((r) => [r.task, r.reason])).toEqual([['整改方案', '需省厅批复']]);
    expect((await at('2024-05-07T09:00', 'send', 'c/甲县', '{"type":"extension.decided","task":"整改方案","approved":true}')).code).toBe(EXIT.ok);
    expect(JSON.parse((await at('2024-05-07T10:00', 'extensions', 'c', '--format', 'json')).stdout)).toEqual([]);
  });
});
