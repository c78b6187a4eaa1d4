import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '@luoshi/engine';
import { createKyselyStore } from '@luoshi/store-kysely';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { runLuoshi as run } from '../../../test/support/run-luoshi.js';

const processesDir = fileURLToPath(new URL('../../../processes/', import.meta.url));

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const done = ['send', 'zf/u01', '{"type":"task.completed","task":"支部组织动员"}', '--actor', '张三'];

/** 机关作风建设年 (seed 002) started on a rehearsal clock on 2 April 2010; 支部组织动员 is due 31 May (shown as 1 June 00:00). */
async function rehearsal() {
  const dir = mkdtempSync(join(tmpdir(), 'luoshi-clock-'));
  const db = join(dir, 'live.sqlite');
  const org = join(dir, 'org.json');
  writeFileSync(org, JSON.stringify({ id: 'office', units: [{ id: 'u01', members: [{ id: '张三' }] }, { id: 'u02' }] }));
  expect((await run(['deploy', processesDir, '--db', db])).code).toBe(EXIT.ok);
  const started = await run(['start', '机关作风建设年', '--org', org, '--campaign', 'zf', '--db', db, '--now', '2010-04-02T09:00']);
  expect(started.stdout).toBe('Started campaign zf (机关作风建设年 v1), 3 units, on a rehearsal clock at 2010-04-02 09:00:00\n');
  const at = (...args: string[]) => run([...args, '--db', db]);
  const task = async (unit: string) =>
    (JSON.parse((await at('tasks', `zf/${unit}`, '--format', 'json')).stdout) as { item: string; status: string }[]).find((t) => t.item === '支部组织动员')?.status;
  return { db, at, task };
}

describe('given a campaign started on a rehearsal clock on 2 April 2010 (演练时钟)', () => {
  it('when status, tasks and history are read, long after its deadlines by the wall clock, then nothing fires and the file is unchanged', async () => {
    const { db, at, task } = await rehearsal();
    const before = sha(db);
    expect((await at('status', 'zf')).stdout).toContain('动员部署 3; 0 overdue task(s)');
    expect(await task('u02')).toBe('open');
    expect((await at('history', 'zf/u02', '--format', 'json')).code).toBe(EXIT.ok);
    expect(sha(db)).toBe(before);
    expect((await at('clock', 'zf')).stdout).toBe("Campaign zf's rehearsal clock: 2010-04-02 09:00:00\n");
  });

  it('when a wall-clock worker round runs on the database, then it fires none of the campaign\'s timers', async () => {
    const { db, task } = await rehearsal();
    const engine = createEngine({ store: await createKyselyStore({ sqlite: db }) });
    try {
      expect(await engine.runDueTimers()).toBe(0);
      expect(await engine.nextTimerAt()).toBeUndefined();
    } finally {
      await engine.close();
    }
    expect(await task('u02')).toBe('open');
  });

  it('when its clock is set to 1 July, then the deadline of 31 May fires at its own time, and an event sent then is stamped 1 July and late', async () => {
    const { at, task } = await rehearsal();
    const moved = await at('clock', 'zf', '--set', '2010-07-01T09:00');
    expect(moved.code).toBe(EXIT.ok);
    expect(moved.stdout).toMatch(/^Campaign zf's rehearsal clock: 2010-04-02 09:00:00 → 2010-07-01 09:00:00, \d+ timer\(s\) fired\n$/);
    expect(await task('u02')).toBe('overdue');
    const history = JSON.parse((await at('history', 'zf/u02', '--format', 'json')).stdout) as { cause: string; at: number }[];
    const firstTimer = history.find((h) => h.cause === 'timer');
    // The first timer after the start is not stamped 1 July: each fired at its own due time, in order.
    expect(firstTimer?.at).toBeLessThan(Date.parse('2010-07-01T01:00:00Z'));
    expect(history.map((h) => h.at)).toEqual([...history.map((h) => h.at)].sort((a, b) => a - b));
    expect((await at(...done)).stdout).toContain('Applied: zf/u01');
    const u01 = (await at('tasks', 'zf/u01')).stdout;
    expect(u01).toMatch(/支部组织动员\s+late\s+2010-06-01 00:00\s+支部\s+2010-07-01 09:00/);
  });

  it('when its clock is set before where it stands, then CLI_CLOCK_BACKWARDS with exit 1, in English and Chinese, and nothing is written', async () => {
    const { db, at } = await rehearsal();
    expect((await at('clock', 'zf', '--advance', '90d')).code).toBe(EXIT.ok);
    const before = sha(db);
    const refused = await at('clock', 'zf', '--set', '2010-05-10T09:00');
    expect(refused).toEqual({
      code: EXIT.invalid,
      stdout: '',
      stderr: "CLI_CLOCK_BACKWARDS Campaign zf's clock stands at 2010-07-01 09:00:00; 2010-05-10 09:00:00 is before it (times in Asia/Shanghai), and time never runs backwards. Nothing was done; give a later time\n",
    });
    const zh = await run(['clock', 'zf', '--set', '2010-05-10T09:00', '--db', db], { LANG: 'zh_CN.UTF-8' });
    expect(zh.stderr).toBe('CLI_CLOCK_BACKWARDS 活动 zf 的时钟已到 2010-07-01 09:00:00，2010-05-10 09:00:00 早于此时（Asia/Shanghai 时间），时间不能倒流。未作任何处理，请给出更晚的时间\n');
    expect(sha(db)).toBe(before);
    // The same time is no move backwards: nothing falls due, nothing fires.
    expect((await at('clock', 'zf', '--set', '2010-07-01T09:00')).stdout).toContain('0 timer(s) fired');
  });

  it('when the clock is asked oddly, then each is a coded error: both --set and --advance, a bad duration, a bad time, an unknown campaign', async () => {
    const { at } = await rehearsal();
    expect(await at('clock', 'zf', '--set', '2010-05-01T09:00', '--advance', '1d')).toMatchObject({ code: EXIT.usage, stderr: expect.stringMatching(/^CLI_CLOCK_HOW /) });
    expect(await at('clock', 'zf', '--advance', '7x')).toMatchObject({ code: EXIT.usage, stderr: expect.stringMatching(/^CLI_BAD_DURATION "7x" is not a duration/) });
    expect(await at('clock', 'zf', '--set', 'May 10')).toMatchObject({ code: EXIT.usage, stderr: expect.stringMatching(/^CLI_BAD_TIME /) });
    expect(await at('clock', 'nope', '--advance', '1d')).toMatchObject({ code: EXIT.invalid, stderr: expect.stringMatching(/^ENGINE_CAMPAIGN_NOT_FOUND /) });
  });

  it('when the clock would pass the end of 9999 (14,800,000 weeks on from 2010, still a safe integer of ms but past Date\'s range), or a time given has no four-digit year, then a coded error and nothing is written', async () => {
    const { db, at } = await rehearsal();
    const before = sha(db);
    expect(await at('clock', 'zf', '--advance', '14800000w')).toEqual({
      code: EXIT.usage,
      stdout: '',
      stderr: "CLI_CLOCK_TOO_FAR Campaign zf's clock cannot be moved past the end of 9999 (from 2010-04-02 09:00:00 by 14800000w; times in Asia/Shanghai). Nothing was done; give a shorter duration\n",
    });
    for (const time of ['-002010-01-01', '+010000-01-01T00:00', '0000-06-01'])
      expect(await at('clock', 'zf', '--set', time), time).toMatchObject({ code: EXIT.usage, stderr: expect.stringMatching(/^CLI_BAD_TIME /) });
    expect(sha(db)).toBe(before);
    expect(JSON.parse((await at('clock', 'zf', '--format', 'json')).stdout)).toMatchObject({ now: Date.parse('2010-04-02T09:00:00+08:00') });
  });

  it('when advanced by 1w2d, then the clock stands nine days on', async () => {
    const { at } = await rehearsal();
    expect((await at('clock', 'zf', '--advance', '1w2d')).stdout).toContain('2010-04-02 09:00:00 → 2010-04-11 09:00:00');
    expect(JSON.parse((await at('clock', 'zf', '--format', 'json')).stdout)).toEqual({ campaignId: 'zf', rehearsal: true, now: Date.parse('2010-04-11T01:00:00Z') });
  });
});

describe('luoshi worker', () => {
  it('when stopped, then it closes and exits 0; on a database that does not exist it is CLI_DATABASE_MISSING and creates nothing', async () => {
    const { db } = await rehearsal();
    const stop = new AbortController();
    const working = run(['worker', '--db', db, '--tick', '50'], { LANG: 'C' }, stop.signal);
    stop.abort();
    const stopped = await working;
    expect(stopped.code).toBe(EXIT.ok);
    expect(stopped.stderr).toContain(`Worker firing due timers on ${db}`);
    const missing = join(mkdtempSync(join(tmpdir(), 'luoshi-clock-')), 'none.sqlite');
    const refused = await run(['worker', '--db', missing]);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.stderr).toMatch(/^CLI_DATABASE_MISSING There is no database /);
    expect(existsSync(missing)).toBe(false);
  });
});
