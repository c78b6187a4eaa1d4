import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The store package's helper: one database per suite on the server the global setup provides.
import { PostgresTestDatabase } from '../../store-kysely/test/support/postgres-test-database.js';
import { EXIT } from '../src/run-cli.js';
import { runLuoshi } from '../../../test/support/run-luoshi.js';
import { serve } from '../src/serve-command.js';

const processesDir = fileURLToPath(new URL('../../../processes/', import.meta.url));
const database = new PostgresTestDatabase('cli live');
const dirs: string[] = [];
const tempDir = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

const run = (args: string[], env: Record<string, string> = {}) => runLuoshi(args, { LANG: 'C', ...env });

afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

describe('given a campaign operated from the terminal on PostgreSQL', () => {
  let url: string;
  let org: string;
  beforeAll(async () => {
    url = await database.fresh();
    const dir = tempDir('luoshi-cli-pg-');
    org = join(dir, 'org.json');
    writeFileSync(org, JSON.stringify({ id: 'office', units: [{ id: 'u01', members: [{ id: '张三' }] }, { id: 'u02' }] }));
  });

  it('when migrated, deployed, started and sent an event with --url, then status and tasks show the event', async () => {
    // A rehearsal: started on a clock of its own at its time; every later step first moves that clock to its time.
    const at = async (now: string, ...args: string[]) => {
      if (args[0] === 'migrate' || args[0] === 'deploy') return run([...args, '--url', url]);
      if (args[0] === 'start') return run([...args, '--url', url, '--now', now]);
      expect((await run(['clock', 'zf', '--set', now, '--url', url])).code).toBe(EXIT.ok);
      return run([...args, '--url', url]);
    };
    const migrated = await at('2010-04-02T09:00', 'migrate');
    expect(migrated).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect(migrated.stdout).toContain(`Database ready: ${url}`);
    expect((await at('2010-04-02T09:00', 'deploy', processesDir)).stdout).toMatch(/机关作风建设年\s+1\s+yes/);
    expect((await at('2010-04-02T09:00', 'start', '机关作风建设年', '--org', org, '--campaign', 'zf')).stdout).toContain('Started campaign zf');
    const send = ['send', 'zf/u01', '{"type":"task.completed","task":"支部组织动员"}', '--actor', '张三', '--key', 'req-1'];
    expect((await at('2010-05-10T09:00', ...send)).stdout).toContain('Applied: zf/u01 revision 2, phase 动员部署');
    expect((await at('2010-05-10T09:05', ...send)).stdout).toContain('Duplicate, not applied again (revision 2)');

    const status = JSON.parse((await at('2010-05-10T09:10', 'status', 'zf', '--format', 'json')).stdout) as {
      instances: { unitId: string; revision: number }[];
    };
    expect(Object.fromEntries(status.instances.map((i) => [i.unitId, i.revision]))).toMatchObject({ u01: 2, u02: 1 });
    const tasks = async (unit: string) =>
      JSON.parse((await at('2010-05-10T09:10', 'tasks', `zf/${unit}`, '--format', 'json')).stdout) as { item: string; status: string; completedBy?: string }[];
    expect((await tasks('u01')).find((t) => t.item === '支部组织动员')?.status).toBe('done');
    expect((await tasks('u02')).find((t) => t.item === '支部组织动员')?.status).toBe('open');
    expect((await at('2010-05-10T09:10', 'history', 'zf/u01')).stdout).toMatch(/2\s+2010-05-10 09:00\s+task\.completed 支部组织动员\s+host\s+张三\s+req-1/);
  });

  it('when only LUOSHI_DATABASE_URL names the server, then the commands use it', async () => {
    const status = await run(['status', 'zf'], { LUOSHI_DATABASE_URL: url });
    expect(status.code).toBe(EXIT.ok);
    expect(status.stdout).toMatch(/u01\s+动员部署\s+0\s+0\s+2/);
  });

  it('when serving the API with --url, then it answers from the same database', async () => {
    const dir = tempDir('luoshi-cli-pg-serve-');
    const users = join(dir, 'users.json');
    writeFileSync(users, JSON.stringify({ 't-1': { id: '张三', roles: ['支部'] } }));
    const serving = await serve({ database: { url }, port: 0, host: '127.0.0.1', users, tickMs: 60_000 });
    try {
      const response = await fetch(`${serving.url}/v1/instances/zf%2Fu01`, { headers: { authorization: 'Bearer t-1' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ unitId: 'u01', revision: 2 });
    } finally {
      await serving.close();
    }
  });
});

describe('choosing the database', () => {
  it('refuses --db together with --url, in either language, with exit code 2 and opening nothing', async () => {
    const dir = tempDir('luoshi-cli-both-');
    const db = join(dir, 'never.sqlite');
    for (const command of [['migrate'], ['status', 'zf'], ['tasks', 'zf/u01']]) {
      const en = await run([...command, '--db', db, '--url', 'postgres://nobody@127.0.0.1:1/none', '--lang', 'en']);
      expect(en).toMatchObject({ code: EXIT.usage, stdout: '' });
      expect(en.stderr).toBe('CLI_DB_AND_URL Give either --db <sqlite file> or --url <database URL>, not both\n');
    }
    const zh = await run(['status', 'zf', '--db', db, '--url', 'postgres://x@127.0.0.1:1/y'], { LANG: 'zh_CN.UTF-8' });
    expect(zh.code).toBe(EXIT.usage);
    expect(zh.stderr).toContain('CLI_DB_AND_URL --db（SQLite 文件）与 --url（数据库地址）只能二选一');
    const served = await run(['serve', '--db', db, '--url', 'postgres://x@127.0.0.1:1/y', '--users', join(dir, 'users.json')]);
    expect(served.code).toBe(EXIT.usage);
    expect(served.stderr).toContain('CLI_DB_AND_URL');
    expect(existsSync(db)).toBe(false);
  });

  it('refuses a URL of an unknown scheme as a usage error, and a server that is not there as exit 1', async () => {
    const bad = await run(['status', 'zf', '--url', 'mysql://root@localhost/luoshi']);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toContain('CLI_BAD_DATABASE_URL The database URL from --url is not usable: Unsupported database URL scheme "mysql:"');
    const fromEnv = await run(['status', 'zf'], { LUOSHI_DATABASE_URL: 'mysql://root@localhost/luoshi', LANG: 'zh_CN.UTF-8' });
    expect(fromEnv.code).toBe(EXIT.usage);
    expect(fromEnv.stderr).toContain('环境变量 LUOSHI_DATABASE_URL 中的数据库地址无法使用');
    const down = await run(['status', 'zf', '--url', 'postgres://nobody:secret@127.0.0.1:1/none']);
    expect(down.code).toBe(EXIT.invalid);
    expect(down.stderr).toMatch(/^CLI_DATABASE_UNAVAILABLE Cannot open the database postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: /);
  });

  it('lets --db beat LUOSHI_DATABASE_URL', async () => {
    const dir = tempDir('luoshi-cli-dbwins-');
    const db = join(dir, 'rehearsal.sqlite');
    const migrated = await run(['migrate', '--db', db], { LUOSHI_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(migrated).toMatchObject({ code: EXIT.ok, stdout: `Database ready: ${db}\n` });
  });
});
