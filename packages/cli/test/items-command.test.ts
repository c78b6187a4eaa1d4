import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, runCli } from '../src/run-cli.js';

/**
 * 督办事项 (issue 19): `luoshi items <campaign>` lists items with status, owner, due, light and level,
 * in text and JSON. The project's plan is 1,200 for 2024 (100 a month): 150 reported on 1 March
 * against 200 due is 25% short, yellow.
 */
const CAMPAIGN = `kind: campaign
id: 项目督办
title: 项目督办
source: { title: 测试 }
year: 2024
subjects: [unit]
roles:
  - { id: 投资办, title: 投资办, level: office }
  - { id: 县, title: 各县, level: unit }
items:
  - { id: 重点项目, title: 重点项目, levels: [县级, 市级] }
phases:
  - id: 推进
    title: 推进
    window: 1月至12月
    tasks:
      - { id: 年度报告, title: 年度报告, owner: 县, due: 12月31日 }
`;

async function run(args: string[]) {
  let stdout = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: () => undefined, env: { LANG: 'C' } });
  return { code, stdout };
}

describe('given a campaign with a 重点项目 on a SQLite file', () => {
  it('when its progress is short by 25% on 1 March, then luoshi items shows it 办理中, its owner, due, yellow and 县级, in text and JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-items-'));
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
    expect((await at('2024-01-02T09:00', 'deploy', join(dir, 'campaign.yaml'))).code).toBe(EXIT.ok);
    expect((await at('2024-01-02T09:00', 'start', '项目督办', '--org', org, '--campaign', 'c')).code).toBe(EXIT.ok);
    const opened = JSON.stringify({ type: 'item.opened', item: '环岛路', kind: '重点项目', owner: '李四', due: '2024-12-31', target: 1200 });
    expect((await at('2024-01-02T09:00', 'send', 'c/甲县', opened)).code).toBe(EXIT.ok);
    expect((await at('2024-03-01T09:00', 'send', 'c/甲县', '{"type":"item.progress","item":"环岛路","done":150}')).code).toBe(EXIT.ok);
    const text = (await at('2024-03-01T10:00', 'items', 'c', '--lang', 'zh')).stdout;
    // Due when 31 December ends, shown as tasks' are: the instant it falls due.
    expect(text).toMatch(/甲县\s+环岛路\s+重点项目\s+办理中\s+李四\s+2025-01-01 00:00\s+黄灯\s+1\/0\s+县级/);
    const json = JSON.parse((await at('2024-03-01T10:00', 'items', 'c', '--format', 'json')).stdout) as { item: string; light: string; level: string; done: number }[];
    expect(json.map((i) => [i.item, i.light, i.level, i.done])).toEqual([['环岛路', 'yellow', '县级', 150]]);
  });

  it('when the campaign has lights and the office labels the project red, then luoshi status counts the items by light and shows the unit red', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-items-'));
    const db = join(dir, 'live.sqlite');
    writeFileSync(join(dir, 'campaign.yaml'), CAMPAIGN.replace('items:', 'lights: { yellowBefore: 3个工作日 }\nitems:'));
    const org = join(dir, 'org.json');
    // The project is listed for 甲县 at the start (the organisation's key-project list).
    writeFileSync(org, JSON.stringify({ id: '市', units: [{ id: '甲县', items: [{ id: '环岛路', kind: '重点项目', target: 1200 }] }, { id: '乙县' }] }));
    expect((await run(['deploy', join(dir, 'campaign.yaml'), '--db', db])).code).toBe(EXIT.ok);
    expect((await run(['start', '项目督办', '--org', org, '--campaign', 'c', '--db', db, '--now', '2024-01-02T09:00'])).code).toBe(EXIT.ok);
    expect((await run(['send', 'c/甲县', '{"type":"item.assessed","item":"环岛路","light":"red"}', '--db', db])).code).toBe(EXIT.ok);
    const text = (await run(['status', 'c', '--db', db])).stdout;
    expect(text).toContain('Items by light: red 1, yellow 0, green 0, blue 0');
    expect(text).toMatch(/甲县\s+推进\s+red/);
    const json = JSON.parse((await run(['status', 'c', '--db', db, '--format', 'json'])).stdout) as { rollup: { lights: { items: Record<string, number> } }; instances: { unitId: string; itemLights?: Record<string, number> }[] };
    expect(json.rollup.lights.items).toEqual({ green: 0, yellow: 0, red: 1, blue: 0 });
    expect(json.instances.find((i) => i.unitId === '甲县')?.itemLights).toEqual({ green: 0, yellow: 0, red: 1, blue: 0 });
  });
});
