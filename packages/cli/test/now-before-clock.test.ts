import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT, runCli } from '../src/run-cli.js';

const processesDir = fileURLToPath(new URL('../../../processes/', import.meta.url));

async function run(args: string[], env: Record<string, string> = { LANG: 'C' }) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env });
  return { code, stdout, stderr };
}

describe('given a campaign on a SQLite file whose timers fired up to 1 July (时间不倒流)', () => {
  async function campaign() {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-now-'));
    const db = join(dir, 'live.sqlite');
    const org = join(dir, 'org.json');
    writeFileSync(org, JSON.stringify({ id: 'office', units: [{ id: 'u01', members: [{ id: '张三' }] }, { id: 'u02' }] }));
    const at = (now: string, ...args: string[]) => run([...args, '--db', db, '--now', now]);
    expect((await at('2010-04-02T09:00', 'deploy', processesDir)).code).toBe(EXIT.ok);
    expect((await at('2010-04-02T09:00', 'start', '机关作风建设年', '--org', org, '--campaign', 'zf')).code).toBe(EXIT.ok);
    // Opening the database on 1 July fires every timer due by then: 支部组织动员 (due 31 May) is overdue.
    expect((await at('2010-07-01T09:00', 'status', 'zf')).code).toBe(EXIT.ok);
    const history = async () => (await at('2010-07-01T09:00', 'history', 'zf/u01', '--format', 'json')).stdout;
    const task = async (now = '2010-07-01T09:00') =>
      (JSON.parse((await at(now, 'tasks', 'zf/u01', '--format', 'json')).stdout) as { item: string; status: string }[]).find((t) => t.item === '支部组织动员')?.status;
    return { db, at, history, task };
  }

  const done = ['send', 'zf/u01', '{"type":"task.completed","task":"支部组织动员"}', '--actor', '张三'];

  it('when an event is sent with --now 10 May, then it is refused with CLI_NOW_BEFORE_CLOCK and exit 1, in English and Chinese, and nothing is written', async () => {
    const { db, at, history, task } = await campaign();
    const before = await history();
    expect(await task()).toBe('overdue');

    const refused = await at('2010-05-10T09:00', ...done);
    expect(refused.code).toBe(EXIT.invalid);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      "CLI_NOW_BEFORE_CLOCK The time given with --now, 2010-05-10 09:00:00, is before the database's clock, 2010-07-01 09:00:00: its campaigns have already applied events up to then, and time never runs backwards. Nothing was done; give a later --now\n",
    );
    const zh = await run([...done, '--db', db, '--now', '2010-05-10T09:00'], { LANG: 'zh_CN.UTF-8' });
    expect(zh.code).toBe(EXIT.invalid);
    expect(zh.stderr).toContain('CLI_NOW_BEFORE_CLOCK --now 给出的时间 2010-05-10 09:00:00 早于数据库的时钟 2010-07-01 09:00:00');

    expect(await history()).toBe(before);
    expect(await task()).toBe('overdue');
  });

  it('when --now is 1970, year −1 or a minute before the clock, for any command, then it is refused and nothing is written', async () => {
    const { at, history } = await campaign();
    const before = await history();
    for (const now of ['1970-01-01T00:00', '-000001-05-10T09:00', '2010-07-01T08:59']) {
      for (const command of [done, ['status', 'zf'], ['deploy', processesDir]]) {
        const refused = await at(now, ...command);
        expect(refused.code).toBe(EXIT.invalid);
        expect(refused.stderr).toMatch(/^CLI_NOW_BEFORE_CLOCK /);
      }
    }
    expect(await history()).toBe(before);
  });

  it('when --now is the clock itself or later, then the event is applied: at the clock it is one moment, later the task is done late', async () => {
    const { at, task } = await campaign();
    const same = await at('2010-07-01T09:00', 'send', 'zf/u02', '{"type":"task.completed","task":"支部组织动员"}');
    expect(same.code).toBe(EXIT.ok);
    const later = await at('2010-07-02T09:00', ...done);
    expect(later.code).toBe(EXIT.ok);
    expect(later.stdout).toContain('Applied: zf/u01');
    expect(await task('2010-07-02T09:00')).toBe('late');
  });
});
