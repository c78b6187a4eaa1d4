import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../packages/cli/src/run-cli.js';
import { runLuoshi } from './support/run-luoshi.js';

/*
 * 活动标识 on the command line: `luoshi start --campaign` gives a new campaign its id, and an id no
 * campaign can have (empty, "." or "..", a "/", over 100 characters, a zero-width space) is how the
 * command was given: ENGINE_INVALID_CAMPAIGN_ID with exit 2, as CLI_BAD_TIME is, before the database
 * is created. The commands that name a campaign already stored (status, items, extensions, clock,
 * send/history/tasks, simulate --from, scenario fit) do not re-check its id (ids stored before the
 * rule stay readable, decision "A campaign id is 1–100 characters…"): one that names none is
 * ENGINE_CAMPAIGN_NOT_FOUND, exit 1, what the command acted on.
 */

const dir = () => mkdtempSync(join(tmpdir(), 'luoshi-cli-campaign-id-'));

/** The ids no campaign can be started with: empty, a URL's dot segment, a "/", 101 characters, a zero-width space. */
const BAD: readonly string[] = ['', '..', 'a/b', 'x'.repeat(101), 'a\u200bb'];

describe('given `luoshi start --campaign` with an id no campaign can have', () => {
  it('when each is given (the empty one too, which was taken for none and a fresh id), then ENGINE_INVALID_CAMPAIGN_ID, exit 2, and no database file is made', async () => {
    const folder = dir();
    const db = join(folder, 'never.sqlite');
    const org = join(folder, 'org.json');
    writeFileSync(org, JSON.stringify({ id: 'office', units: [{ id: 'u01' }] }));
    for (const id of BAD) {
      const run = await runLuoshi(['start', '标识', '--org', org, '--campaign', id, '--db', db]);
      expect({ code: run.code, stdout: run.stdout, code0: run.stderr.split(' ')[0] }, JSON.stringify(id)).toEqual({ code: EXIT.usage, stdout: '', code0: 'ENGINE_INVALID_CAMPAIGN_ID' });
      expect(existsSync(db), JSON.stringify(id)).toBe(false);
    }
  });

  it('when it is refused, then the message says what an id may be, in English and Chinese', async () => {
    const folder = dir();
    const org = join(folder, 'org.json');
    writeFileSync(org, JSON.stringify({ id: 'office', units: [{ id: 'u01' }] }));
    const args = ['start', '标识', '--org', org, '--campaign', '..', '--db', join(folder, 'never.sqlite')];
    expect(await runLuoshi(args)).toEqual({
      code: EXIT.usage,
      stdout: '',
      stderr: 'ENGINE_INVALID_CAMPAIGN_ID The campaign id ".." cannot be used: a campaign id is 1 to 100 characters, not "." or "..", without "/" and without control or invisible characters. Nothing was started\n',
    });
    expect((await runLuoshi([...args, '--lang', 'zh'])).stderr).toBe('ENGINE_INVALID_CAMPAIGN_ID 活动标识 ".." 不可用：活动标识应为 1 至 100 个字符，不能是“.”或“..”，不含“/”、控制字符或不可见字符。未启动活动\n');
  });
});

describe('given a read that names a campaign by such an id', () => {
  it('when the database holds none of that id, then it is ENGINE_CAMPAIGN_NOT_FOUND with exit 1 (stored ids are not re-checked)', async () => {
    const db = join(dir(), 'live.sqlite');
    expect((await runLuoshi(['migrate', '--db', db])).code).toBe(EXIT.ok);
    for (const args of [['status', '..'], ['items', 'x'.repeat(101)], ['clock', 'a\u200bb']]) {
      const run = await runLuoshi([...args, '--db', db]);
      expect({ code: run.code, code0: run.stderr.split(' ')[0] }, args.join(' ')).toEqual({ code: EXIT.invalid, code0: 'ENGINE_CAMPAIGN_NOT_FOUND' });
    }
  });
});
