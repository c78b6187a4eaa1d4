import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'packages/cli/bin/luoshi.js');

function luoshi(...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the luoshi command as installed', () => {
  it('validates the bundled processes with exit 0 and no warnings', () => {
    const { code, stdout } = luoshi('validate', 'processes/');
    expect(stdout.trim()).toBe('7 file(s) checked: 0 error(s), 0 warning(s)');
    expect(code).toBe(0);
  });

  it('exits 1 with file:line:column when a semantic error is inserted into a bundled file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-e2e-'));
    cpSync(join(root, 'processes'), dir, { recursive: true });
    const file = join(dir, '004-jiguan-chuangxin.yaml');
    const text = readFileSync(file, 'utf8').replace('owner: 一把手', 'owner: 二把手');
    writeFileSync(file, text);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('owner: 二把手')) + 1;
    const column = (lines[line - 1] as string).indexOf('二把手') + 1;
    const { code, stdout } = luoshi('validate', dir);
    expect(code).toBe(1);
    expect(stdout).toContain(`${file}:${line}:${column}: error DSL_UNKNOWN_REFERENCE Unknown role "二把手"`);
  });

  it('exits 2 on a usage error', () => {
    expect(luoshi('validate', '--format', 'xml', 'processes/').code).toBe(2);
  });

  it('draws a diagram of a bundled campaign', () => {
    // Labels follow the language: LANG is English here, so the sub-process reads in English, and --lang zh in Chinese.
    const { code, stdout } = luoshi('diagram', 'processes/004-jiguan-chuangxin.yaml');
    expect(code).toBe(0);
    expect(stdout).toContain('Sub-process: Public satisfaction survey');
    expect(stdout).not.toContain('子流程：');
    const zh = luoshi('diagram', '--lang', 'zh', 'processes/004-jiguan-chuangxin.yaml');
    expect(zh.code).toBe(0);
    expect(zh.stdout).toContain('子流程：群众满意度测评');
  });

  it('runs seed 002 for a year on a SQLite file with the sample script and prints what happened', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'luoshi-e2e-')), 'run.sqlite');
    const { code, stdout, stderr } = luoshi('run', 'processes/002-jiguan-zuofeng.yaml', '--events', 'examples/events/002-sample.json', '--db', db);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('25 units, database');
    expect(stdout).toContain('Scripted events: 345, refused: 0');
    expect(stdout).toContain('Phases at the end: ended 25');
    // The script verifies three complaints against u01-m1 and two against u02-m3.
    expect(stdout).toMatch(/举报投诉查实 rung 1: 2\n\s+举报投诉查实 rung 2: 2\n\s+举报投诉查实 rung 3: 1/);
    expect(stdout).toMatch(/年底评选十佳单位；末位且重点整改的单位接受质询: top u15 u16 u17 u18 u19 u20 u21 u22 u23 u24; bottom u05/);
  });

  it('refuses an event script for a unit that does not exist, counting it as refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-e2e-'));
    const script = join(dir, 'events.json');
    writeFileSync(script, JSON.stringify([{ at: '2010-05-01T09:00', unit: 'u99', event: { type: 'task.completed', task: '支部组织动员' } }]));
    const { code, stdout } = luoshi('run', 'processes/002-jiguan-zuofeng.yaml', '--events', script, '--db', join(dir, 'r.sqlite'), '--units', '3', '--members', '1');
    expect(code).toBe(0);
    expect(stdout).toContain('Scripted events: 1, refused: 1');
    expect(stdout).toContain('2010-05-01T09:00 u99 task.completed: ENGINE_INSTANCE_NOT_FOUND');
  });
});

describe('operating a live campaign from the terminal', () => {
  it('deploys, starts, sends (once per key), and shows status, history and tasks, on one SQLite file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-live-'));
    const db = join(dir, 'live.sqlite');
    const org = join(dir, 'org.json');
    writeFileSync(org, JSON.stringify({ id: 'office', units: [{ id: 'u01', members: [{ id: '张三' }] }, { id: 'u02' }] }));
    // A rehearsal: started on a clock of its own at its time; every later step first moves that clock to its time.
    const at = (now: string, ...args: string[]) => {
      if (args[0] === 'migrate' || args[0] === 'deploy') return luoshi(...args, '--db', db);
      if (args[0] === 'start') return luoshi(...args, '--db', db, '--now', now);
      expect(luoshi('clock', 'zf', '--set', now, '--db', db).code).toBe(0);
      return luoshi(...args, '--db', db);
    };
    expect(at('2010-04-02T09:00', 'migrate').code).toBe(0);
    expect(at('2010-04-02T09:00', 'deploy', 'processes/').stdout).toMatch(/机关作风建设年\s+1\s+yes/);
    expect(at('2010-04-02T09:00', 'start', '机关作风建设年', '--org', org, '--campaign', 'zf').stdout).toContain('Started campaign zf');
    const send = ['send', 'zf/u01', '{"type":"task.completed","task":"支部组织动员"}', '--actor', '张三', '--key', 'req-1'];
    expect(at('2010-05-10T09:00', ...send).stdout).toContain('Applied: zf/u01 revision 2, phase 动员部署');
    expect(at('2010-05-10T09:05', ...send).stdout).toContain('Duplicate, not applied again (revision 2)');
    const refused = at('2010-05-10T09:10', 'send', 'zf/u01', '{"type":"task.completed","task":"不存在"}');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ENGINE_UNKNOWN_TASK');
    // On 2 June the deadline of 31 May has passed for u02, and both units are in 组织实施.
    const status = JSON.parse(at('2010-06-02T09:00', 'status', 'zf', '--format', 'json').stdout) as { rollup: { overdueUnits: number; phases: Record<string, number> } };
    expect(status.rollup).toMatchObject({ overdueUnits: 2, phases: { 组织实施: 3 } });
    const history = at('2010-06-02T09:00', 'history', 'zf/u01').stdout;
    expect(history).toMatch(/2\s+2010-05-10 09:00\s+task\.completed 支部组织动员\s+host\s+张三\s+req-1/);
    const tasks = JSON.parse(at('2010-06-02T09:00', 'tasks', 'zf/u02', '--status', 'overdue', '--format', 'json').stdout) as { item: string }[];
    expect(tasks.map((t) => t.item)).toEqual(['支部组织动员']);
  }, 180_000); // ten processes each start the CLI afresh: 5–7 s apiece on a loaded 2-core machine
});

describe('luoshi serve', () => {
  it('serves the API on a SQLite file with bearer tokens, and stops on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-serve-'));
    const db = join(dir, 'api.sqlite');
    const users = join(dir, 'users.json');
    // 管理员: starting a campaign over HTTP needs the administrator role.
    writeFileSync(users, JSON.stringify({ 't-1': { id: '张三', roles: ['支部', '管理员'] } }));
    expect(luoshi('deploy', 'processes/', '--db', db).code).toBe(0);
    const child = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0', '--users', users], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /Luoshi API on (http:\/\/[^\s/]+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    try {
      expect((await fetch(`${url}/openapi.json`)).status).toBe(200);
      expect((await fetch(`${url}/v1/instances/x%2Fy`)).status).toBe(401);
      const started = await fetch(`${url}/v1/campaigns`, {
        method: 'POST',
        headers: { authorization: 'Bearer t-1', 'content-type': 'application/json' },
        body: JSON.stringify({ process: '机关作风建设年', campaignId: 'api', organisation: { id: 'office', units: [{ id: 'u01' }] } }),
      });
      expect(started.status).toBe(201);
      const state = (await (await fetch(`${url}/v1/instances/api%2Fu01`, { headers: { authorization: 'Bearer t-1' } })).json()) as { unitId: string };
      expect(state.unitId).toBe('u01');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});

describe('luoshi simulate', () => {
  it('runs the lax scenario of seed 002 twice and prints the aggregate as JSON, and writes report.json', () => {
    const out = mkdtempSync(join(tmpdir(), 'luoshi-sim-'));
    const { code, stdout, stderr } = luoshi('simulate', 'processes/002-jiguan-zuofeng.yaml', '--scenario', 'examples/scenarios/002-lax.yaml', '--runs', '2', '--format', 'json', '--out', out);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { scenario: string; runs: number; seeds: number[]; organisation: { units: number }; ladders: Record<string, Record<string, { mean: number; p5: number; p95: number }>> };
    expect(result).toMatchObject({ scenario: '002-lax', runs: 2, organisation: { units: 73 } });
    expect(result.seeds).toHaveLength(2);
    const rung3 = result.ladders['举报投诉查实']?.['3'];
    expect(rung3?.p5).toBeLessThanOrEqual(rung3?.mean ?? -1);
    expect(rung3?.mean).toBeLessThanOrEqual(rung3?.p95 ?? -1);
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe(stdout);
  });

  it('prints a text summary with mean [p5, p95] on a smaller organisation, without a progress bar off a terminal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-sim-'));
    const scenario = join(dir, 'small.yaml');
    writeFileSync(scenario, readFileSync(join(root, 'examples/scenarios/002-lax.yaml'), 'utf8').replace('units: 73', 'units: 6'));
    const { code, stdout, stderr } = luoshi('simulate', 'processes/002-jiguan-zuofeng.yaml', '--scenario', scenario, '--runs', '3', '--threads', '1', '--seed', '5');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Scenario 002-lax, campaign 机关作风建设年, 6 units with 30 members, 3 run(s) (seed 5)');
    expect(stdout).toContain('Period: 2010-04-01 – 2010-12-31');
    expect(stdout).toMatch(/举报投诉查实\s+1\s+[\d.]+ \[\d+, \d+\]/);
  });

  it('exits 1 with file:line:column when the scenario has an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-sim-'));
    const scenario = join(dir, 'bad.yaml');
    const text = readFileSync(join(root, 'examples/scenarios/002-lax.yaml'), 'utf8').replace('neverProbability: 0.1', 'neverProbability: 1.5');
    writeFileSync(scenario, text);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('neverProbability: 1.5')) + 1;
    const column = (lines[line - 1] as string).indexOf('1.5') + 1;
    const { code, stdout, stderr } = luoshi('simulate', 'processes/002-jiguan-zuofeng.yaml', '--scenario', scenario);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${scenario}:${line}:${column}: error SIM_`);
  });
});

describe('luoshi simulate --out', () => {
  it('writes report.json, a self-contained report.html (Chinese for a Chinese campaign), results.csv and units.csv beside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-sim-'));
    const scenario = join(dir, 'small.yaml');
    writeFileSync(scenario, readFileSync(join(root, 'examples/scenarios/002-lax.yaml'), 'utf8').replace('units: 73', 'units: 6'));
    const out = join(dir, 'out');
    const { code, stdout, stderr } = luoshi('simulate', 'processes/002-jiguan-zuofeng.yaml', '--scenario', scenario, '--runs', '2', '--threads', '1', '--out', out);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(join(out, 'report.html'));
    const result = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { rankings: Record<string, unknown>; timeline: { phases: { title: string }[] }; monthly: unknown[] };
    expect(result.monthly).toHaveLength(9);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="zh-CN">');
    // No URL; one inline script (sorting and searching tables), the charts drawn as SVG without it.
    expect(html).not.toMatch(/https?:|src=|href=/i);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html.match(/<svg/g)?.length).toBe(html.match(/<figure class="chart"/g)?.length);
    for (const file of ['results.csv', 'units.csv']) expect(readFileSync(join(out, file), 'utf8').startsWith('\uFEFF')).toBe(true);
    for (const p of result.timeline.phases) expect(html).toContain(p.title);
    for (const id of Object.keys(result.rankings)) expect(html).toContain(id);
  });
});
