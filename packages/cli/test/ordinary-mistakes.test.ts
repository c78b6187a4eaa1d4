import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { runLuoshi as run } from '../../../test/support/run-luoshi.js';

const processesDir = fileURLToPath(new URL('../../../processes/', import.meta.url));
const packageJson = fileURLToPath(new URL('../package.json', import.meta.url));

const tempDir = () => mkdtempSync(join(tmpdir(), 'luoshi-mistakes-'));
/** No stack trace: no "    at fn (file.js:1:2)" line, no error class name printed by Node. */
const NO_TRACE = /^\s+at |Error:|node:internal/m;

describe('given ordinary mistakes on the command line (never a stack trace)', () => {
  it('when --version is asked, then it prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
    expect(await run(['--version'])).toEqual({ code: EXIT.ok, stdout: `${version}\n`, stderr: '' });
  });

  it('when a read names a --db that does not exist, then CLI_DATABASE_MISSING with exit 2 and no file is created', async () => {
    const db = join(tempDir(), 'typo.sqlite');
    for (const command of [['status', 'zf'], ['tasks', 'zf/u01'], ['history', 'zf/u01'], ['send', 'zf/u01', '{"type":"task.completed","task":"x"}'], ['clock', 'zf']]) {
      const refused = await run([...command, '--db', db]);
      expect(refused.code, command[0]).toBe(EXIT.usage);
      expect(refused.stderr, command[0]).toBe(
        `CLI_DATABASE_MISSING There is no database ${db}: a command that reads never creates one. Create it with \`luoshi migrate\`, \`deploy\` or \`start\`, or check --db\n`,
      );
      expect(existsSync(db), command[0]).toBe(false);
    }
    expect((await run(['status', 'zf', '--db', db, '--lang', 'zh'])).stderr).toMatch(/^CLI_DATABASE_MISSING 数据库 .* 不存在：查询命令不会新建数据库/);
    // migrate creates it.
    expect((await run(['migrate', '--db', db])).code).toBe(EXIT.ok);
    expect(existsSync(db)).toBe(true);
  });

  it('when the event given to send is not JSON, then CLI_EVENT_INVALID with where it stopped, exit 2, in both languages', async () => {
    const db = join(tempDir(), 'c.sqlite');
    expect((await run(['migrate', '--db', db])).code).toBe(EXIT.ok);
    const refused = await run(['send', 'zf/u01', '{"type":', '--db', db]);
    expect(refused.code).toBe(EXIT.usage);
    // Eight characters, the text ends after the eighth: it stopped at the ninth.
    expect(refused.stderr).toBe('CLI_EVENT_INVALID The event is not valid JSON (at character 9): give one JSON object, e.g. \'{"type":"task.completed","task":"报送方案"}\'\n');
    const zh = await run(['send', 'zf/u01', "{type:'x'}", '--db', db, '--lang', 'zh']);
    expect(zh.stderr).toMatch(/^CLI_EVENT_INVALID 事件不是有效的 JSON（第 2 个字符处）/);
  });

  it('when the event given to send has a field its type does not read, or lacks one, then CLI_EVENT_SHAPE naming it, exit 2, the database untouched (as HTTP answers 422)', async () => {
    const db = join(tempDir(), 'c.sqlite');
    expect((await run(['migrate', '--db', db])).code).toBe(EXIT.ok);
    const before = readFileSync(db);
    const typo = await run(['send', 'zf/u01', '{"type":"task.completed","task":"报送方案","perod":"2024-05"}', '--db', db]);
    expect(typo.code).toBe(EXIT.usage);
    expect(typo.stderr).toMatch(/^CLI_EVENT_SHAPE The event does not fit the shape of its type, nothing was sent: .*perod/);
    expect(typo.stderr).not.toMatch(NO_TRACE);
    const missing = await run(['send', 'zf/u01', '{"type":"task.completed"}', '--db', db, '--lang', 'zh']);
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toMatch(/^CLI_EVENT_SHAPE 事件不符合其类型的格式，未发送：.*task/);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('when --org is missing, a directory, not JSON, or /etc/passwd, then a coded error with exit 2 that never quotes the file, and no database is created', async () => {
    const dir = tempDir();
    const db = join(dir, 'c.sqlite');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "id": "office",\n  "units": [],\n}');
    const start = (org: string, env?: Record<string, string>) => run(['start', '机关作风建设年', '--org', org, '--db', db], env);
    expect(await start(join(dir, 'none.json'))).toMatchObject({ code: EXIT.usage, stderr: `CLI_FILE_UNREADABLE Cannot read the organisation file ${join(dir, 'none.json')}: no such file\n` });
    expect(await start(dir)).toMatchObject({ code: EXIT.usage, stderr: expect.stringMatching(/^CLI_FILE_UNREADABLE /) });
    // Line 4, column 1: the "}" after a trailing comma, where a property name was expected.
    expect(await start(broken)).toMatchObject({ code: EXIT.usage, stderr: `CLI_FILE_INVALID The organisation file ${broken}:4:1 cannot be used: not valid JSON\n` });
    expect((await start(broken, { LANG: 'zh_CN.UTF-8' })).stderr).toBe(`CLI_FILE_INVALID 组织文件 ${broken}:4:1 无法使用：不是有效的 JSON\n`);
    if (existsSync('/etc/passwd')) {
      const passwd = await start('/etc/passwd');
      expect(passwd.code).toBe(EXIT.usage);
      // JSON.parse's own message here quotes the text ("root:x:0:0…") and gives no position: neither is shown.
      expect(passwd.stderr).toBe('CLI_FILE_INVALID The organisation file /etc/passwd cannot be used: not valid JSON\n');
      expect(passwd.stderr).not.toContain('root');
    }
    expect(existsSync(db)).toBe(false);
  });

  it('when `luoshi run` is given a broken --org or --events file, then the same coded errors, exit 2', async () => {
    const dir = tempDir();
    const events = join(dir, 'events.json');
    writeFileSync(events, '{"not": "an array"}');
    const file = join(processesDir, '002-jiguan-zuofeng.yaml');
    expect(await run(['run', file, '--db', join(dir, 'r.sqlite'), '--org', '/etc/passwd'])).toMatchObject({ code: EXIT.usage, stderr: expect.not.stringContaining('root') });
    expect(await run(['run', file, '--db', join(dir, 'r.sqlite'), '--events', events])).toMatchObject({
      code: EXIT.usage,
      stderr: `CLI_FILE_INVALID The event script file ${events} cannot be used: not a JSON array of events\n`,
    });
  });

  it('when the database is a file that is not SQLite, then STORE_CORRUPT with exit 1 and no stack trace', async () => {
    const db = join(tempDir(), 'notes.sqlite');
    writeFileSync(db, 'these are my notes, not a database\n'.repeat(200));
    const refused = await run(['status', 'zf', '--db', db]);
    expect(refused.code).toBe(EXIT.invalid);
    expect(refused.stderr).toMatch(/^STORE_CORRUPT /);
    expect(refused.stderr).not.toMatch(NO_TRACE);
  });
});

describe('given the language of the messages', () => {
  it('when commander refuses an unknown option or a missing one under a Chinese locale, then it says so in Chinese, with exit 2', async () => {
    const unknown = await run(['status', 'zf', '--bogus'], { LANG: 'zh_CN.UTF-8' });
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toMatch(/^错误：未知选项 --bogus\n/);
    const missing = await run(['start', '机关作风建设年'], { LANG: 'zh_CN.UTF-8' });
    expect(missing.stderr).toMatch(/^错误：未给出必需的选项 --org <file>\n/);
    expect(missing.stderr).toContain('用法：');
    expect((await run(['statu'], { LANG: 'C' })).stderr).toMatch(/^error: unknown command 'statu'/);
    expect((await run(['statu', '--lang', 'zh'], { LANG: 'en_US.UTF-8' })).stderr).toMatch(/^错误：未知命令 statu\n（是否要用 status？）/);
  });

  it('when there is no LANG (or LANG=C), then the configuration file chooses; --lang and a named LANG beat it; a broken one is CLI_CONFIG_INVALID', async () => {
    const dir = tempDir();
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ lang: 'zh' }));
    const missing = (env: Record<string, string>, ...more: string[]) => run(['status', 'zf', '--db', join(dir, 'none.sqlite'), ...more], env);
    expect((await missing({ LUOSHI_CONFIG: config })).stderr).toMatch(/^CLI_DATABASE_MISSING 数据库/);
    expect((await missing({ LUOSHI_CONFIG: config, LANG: 'C' })).stderr).toMatch(/^CLI_DATABASE_MISSING 数据库/);
    expect((await missing({ LUOSHI_CONFIG: config, LANG: 'en_GB.UTF-8' })).stderr).toMatch(/^CLI_DATABASE_MISSING There is/);
    expect((await missing({ LUOSHI_CONFIG: config }, '--lang', 'en')).stderr).toMatch(/^CLI_DATABASE_MISSING There is/);
    // The default place: XDG_CONFIG_HOME/luoshi/config.json (HOME/.config/luoshi on Linux and macOS).
    const home = tempDir();
    const xdg = join(home, '.config');
    await import('node:fs').then((fs) => fs.mkdirSync(join(xdg, 'luoshi'), { recursive: true }));
    writeFileSync(join(xdg, 'luoshi', 'config.json'), '{"lang":"zh"}');
    expect((await missing({ HOME: home })).stderr).toMatch(/^CLI_DATABASE_MISSING 数据库/);
    writeFileSync(config, '{"lang":"fr"}');
    expect(await missing({ LUOSHI_CONFIG: config })).toMatchObject({ code: EXIT.usage, stderr: `CLI_CONFIG_INVALID The configuration file ${config} cannot be used: "lang" must be "zh" or "en"\n` });
  });
});

describe('given luoshi serve with --users /etc/passwd', () => {
  it('when it refuses the file, then the message never quotes a line of it', async () => {
    if (!existsSync('/etc/passwd')) return;
    const refused = await run(['serve', '--db', join(tempDir(), 'c.sqlite'), '--users', '/etc/passwd', '--port', '0']);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.stderr).toBe('CLI_USERS_FILE_INVALID The users file /etc/passwd cannot be used: not valid JSON\n');
  });
});
