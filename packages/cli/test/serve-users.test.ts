import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { runLuoshi } from '../../../test/support/run-luoshi.js';
import { serve, type Serving } from '../src/serve-command.js';

const processesDir = fileURLToPath(new URL('../../../processes/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'luoshi-serve-users-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], env: Record<string, string> = {}) => runLuoshi(args, { LANG: 'C', ...env });

let file = 0;
/** Writes a users file and answers its path. */
function usersFile(content: string | Buffer): string {
  const path = join(dir, `users-${++file}.json`);
  writeFileSync(path, content);
  return path;
}

// Every name an object inherits: a users file read as a plain object with `users[token]` gave each of
// these an actor (the inherited function or object), with no roles, on every route.
const inherited = [...new Set(['__proto__', ...Object.getOwnPropertyNames(Object.prototype)])];

describe('luoshi serve with a users file', () => {
  const db = join(dir, 'serve.sqlite');
  let serving: Serving;
  beforeAll(async () => {
    expect((await run(['deploy', processesDir, '--db', db])).code).toBe(EXIT.ok);
    const org = join(dir, 'org.json');
    writeFileSync(org, JSON.stringify({ id: 'office', units: [{ id: 'u01', members: [{ id: '张三' }] }, { id: 'u02' }] }));
    expect((await run(['start', '机关作风建设年', '--org', org, '--campaign', 'zf', '--db', db])).code).toBe(EXIT.ok);
    const users = usersFile(
      JSON.stringify({
        't-admin': { id: '管理员甲', roles: ['管理员'] },
        't-branch': { id: '张三', roles: ['支部'], units: ['u01'] },
        // A token may itself be a prototype name: it is the operator's string, looked up in a Map.
        // (Computed, the key is an own property; `__proto__: …` in a literal would set the prototype.)
        ['__proto__']: { id: '李四', roles: ['党员'], units: ['u01'] },
      }),
    );
    serving = await serve({ database: { sqlite: db }, port: 0, host: '127.0.0.1', users, tickMs: 60_000 });
  });
  afterAll(() => serving.close());

  const send = (method: string, path: string, token: string, body?: unknown) =>
    fetch(`${serving.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('answers 401 to a bearer token that is an Object.prototype name, on every route, and changes nothing', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/v1/processes'],
      ['GET', `/v1/processes/${encodeURIComponent('机关作风建设年')}`],
      ['POST', '/v1/processes', { files: [{ file: 'x.yaml', text: 'kind: campaign' }] }],
      ['POST', '/v1/campaigns', { process: '机关作风建设年', campaignId: 'evil', organisation: { id: 'office', units: [{ id: 'u01' }] } }],
      ['GET', '/v1/campaigns/zf/instances'],
      ['GET', '/v1/campaigns/zf/rollup'],
      ['GET', '/v1/instances/zf%2Fu01'],
      ['GET', '/v1/instances/zf%2Fu01/history'],
      ['POST', '/v1/instances/zf%2Fu01/events', { type: 'task.completed', task: '支部组织动员' }],
    ];
    for (const token of inherited.filter((t) => t !== '__proto__'))
      for (const [method, path, body] of routes) {
        const response = await send(method, path, token, body);
        expect(response.status, `Bearer ${token}: ${method} ${path}`).toBe(401);
        expect(((await response.json()) as { code: string }).code).toBe('HTTP_UNAUTHENTICATED');
      }
    const admin = await send('GET', '/v1/campaigns/evil/instances', 't-admin');
    expect(admin.status).toBe(404);
    const history = (await (await send('GET', '/v1/instances/zf%2Fu01/history', 't-admin')).json()) as unknown[];
    expect(history).toHaveLength(1);
  });

  it('authenticates the tokens the file names, "__proto__" included, with their roles and units', async () => {
    expect((await send('GET', '/v1/instances/zf%2Fu01', 't-branch')).status).toBe(200);
    // 张三 is of u01: u02 is not his to read.
    expect((await send('GET', '/v1/instances/zf%2Fu02', 't-branch')).status).toBe(403);
    expect((await send('GET', '/v1/instances/zf%2Fu01', '__proto__')).status).toBe(200);
    // 李四 holds 党员, not 支部: forbidden, whatever the task's state.
    const refused = await send('POST', '/v1/instances/zf%2Fu01/events', '__proto__', { type: 'task.completed', task: '支部组织动员' });
    expect(refused.status).toBe(403);
    // Deploying needs the administrator role (管理员).
    expect((await send('POST', '/v1/processes', 't-branch', { files: [{ file: 'x.yaml', text: 'kind: campaign' }] })).status).toBe(403);
  });
});

describe('luoshi serve refuses a bad users file before opening anything', () => {
  const big = Buffer.alloc(1024 * 1024 + 1, ' ');
  big.write('{"t": {"id": "x", "roles": ["a"]}}');
  const cases: [string, () => string, string, string][] = [
    ['a missing file', () => join(dir, 'no-such-users.json'), 'CLI_USERS_FILE_UNREADABLE', 'no-such-users.json'],
    ['a directory', () => {
      const d = join(dir, 'a-directory');
      mkdirSync(d, { recursive: true });
      return d;
    }, 'CLI_USERS_FILE_UNREADABLE', 'a-directory'],
    ['text that is not JSON', () => usersFile('{\n  "t-1": { "id": "张三", "roles": ["支部"] },\n}'), 'CLI_USERS_FILE_INVALID', ':3:1'],
    ['a list instead of an object', () => usersFile('[{ "id": "张三", "roles": ["支部"] }]'), 'CLI_USERS_FILE_INVALID', 'object'],
    ['no user at all', () => usersFile('{}'), 'CLI_USERS_FILE_INVALID', 'no user'],
    ['a user without roles', () => usersFile('{\n  "t-1": { "id": "张三" }\n}'), 'CLI_USERS_FILE_INVALID', ':2:3'],
    ['a user with an empty list of roles', () => usersFile('{ "t-1": { "id": "张三", "roles": [] } }'), 'CLI_USERS_FILE_INVALID', 'roles'],
    ['a role that is not a text', () => usersFile('{ "t-1": { "id": "张三", "roles": ["支部", 3] } }'), 'CLI_USERS_FILE_INVALID', 'roles'],
    ['an empty id', () => usersFile('{ "t-1": { "id": "", "roles": ["支部"] } }'), 'CLI_USERS_FILE_INVALID', '"id"'],
    ['a misspelt field', () => usersFile('{ "t-1": { "id": "张三", "role": ["支部"] } }'), 'CLI_USERS_FILE_INVALID', '"role"'],
    ['units that are not a list', () => usersFile('{ "t-1": { "id": "张三", "roles": ["支部"], "units": "u01" } }'), 'CLI_USERS_FILE_INVALID', 'units'],
    ['an empty list of units', () => usersFile('{ "t-1": { "id": "张三", "roles": ["支部"], "units": [] } }'), 'CLI_USERS_FILE_INVALID', 'units'],
    ['a unit id with "/"', () => usersFile('{ "t-1": { "id": "张三", "roles": ["支部"], "units": ["a/b"] } }'), 'CLI_USERS_FILE_INVALID', 'a/b'],
    ['a user that is not an object', () => usersFile('{ "t-1": ["支部"] }'), 'CLI_USERS_FILE_INVALID', 'object'],
    ['a token with a space', () => usersFile('{ "t 1": { "id": "张三", "roles": ["支部"] } }'), 'CLI_USERS_FILE_INVALID', 'token'],
    ['invalid UTF-8', () => usersFile(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])), 'CLI_USERS_FILE_INVALID', 'UTF-8'],
    ['a file over 1 MB', () => usersFile(big), 'CLI_USERS_FILE_INVALID', '1048576'],
    ['a unit id nested 100,000 lists deep', () => usersFile(`{ "t-1": { "id": "张三", "roles": ["支部"], "units": [${'['.repeat(100_000)}${']'.repeat(100_000)}] } }`), 'CLI_USERS_FILE_INVALID', '(a list)'],
  ];

  it.each(cases)('%s: exit 2 with a coded message in English and Chinese, no database created', async (_what, make, code, fragment) => {
    const users = make();
    const db = join(dir, `never-${++file}.sqlite`);
    const en = await run(['serve', '--db', db, '--port', '0', '--users', users, '--lang', 'en']);
    expect(en.code).toBe(EXIT.usage);
    expect(en.stderr.startsWith(`${code} `)).toBe(true);
    expect(en.stderr).toContain(fragment);
    // A token is a secret: never printed.
    expect(en.stderr).not.toContain('t-1');
    const zh = await run(['serve', '--db', db, '--port', '0', '--users', users, '--lang', 'zh']);
    expect(zh.code).toBe(EXIT.usage);
    expect(zh.stderr).toMatch(new RegExp(`^${code} .*用户文件`));
    expect(existsSync(db)).toBe(false);
  });
});
