import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryRecord, Store } from '@luoshi/engine';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createKyselyStore, type KyselyStore } from '../src/index.js';
import { unit } from './support/instance-fixtures.js';
import { PostgresTestDatabase } from './support/postgres-test-database.js';
import { TcpProxy } from './support/tcp-proxy.js';

/*
 * What the store does when its database fails under it: a PostgreSQL server out of reach or a
 * connection cut (STORE_UNAVAILABLE, retried while nothing had begun, never a crash), and text no
 * database can hold (a NUL character: STORE_INVALID_TEXT on writes, "not found" on look-ups, alike
 * on SQLite and PostgreSQL).
 */

const lost = new PostgresTestDatabase('faults lost');
const outage = new PostgresTestDatabase('faults outage');
const text = new PostgresTestDatabase('faults text');
const dirs: string[] = [];
const stores: KyselyStore[] = [];
const proxies: TcpProxy[] = [];

afterAll(async () => {
  for (const store of stores) await store.close().catch(() => undefined);
  for (const proxy of proxies) await proxy.close();
  await Promise.all([lost.drop(), outage.drop(), text.drop()]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function open(config: Parameters<typeof createKyselyStore>[0]): Promise<KyselyStore> {
  const store = await createKyselyStore(config);
  stores.push(store);
  return store;
}

/** Ends every connection to the database `url` names except the caller's, as an administrator (or a crash) would. */
async function terminateBackends(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    for (const { pid } of rows) await client.query('select pg_terminate_backend($1)', [pid]);
    return rows.length;
  } finally {
    await client.end();
  }
}

describe('given a PostgreSQL store whose connections are ended by the server', () => {
  it('when the connection of a running transaction is terminated, then the process survives, the transaction fails with STORE_UNAVAILABLE, and the next call works on a new connection', async () => {
    const url = await lost.fresh();
    const store = await open({ url });
    await store.transaction((tx) => tx.insertInstance(unit('a')));
    const failed = store.transaction(async (tx) => {
      await tx.getInstance('a');
      expect(await terminateBackends(url)).toBeGreaterThan(0);
      // pg learns of the end from the socket; its client emits `error` while checked out.
      await pause(300);
      await tx.updateInstance({ ...unit('a'), overdue: 5, revision: 2 }, 1);
    });
    await expect(failed).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(await store.getInstance('a')).toMatchObject({ revision: 1, overdue: 0 });
    await store.transaction(async (tx) => tx.updateInstance({ ...unit('a'), overdue: 1, revision: 2 }, 1));
    expect(await store.getInstance('a')).toMatchObject({ revision: 2, overdue: 1 });
  });

  it('when its idle connections are terminated, then the next reads and writes succeed', async () => {
    const url = await lost.fresh();
    const store = await open({ url });
    await store.transaction((tx) => tx.insertInstance(unit('b')));
    // Several connections in the pool, all idle.
    await Promise.all(Array.from({ length: 4 }, () => store.transaction((tx) => tx.getInstance('b'))));
    expect(await terminateBackends(url)).toBeGreaterThan(0);
    await store.transaction(async (tx) => tx.updateInstance({ ...unit('b'), overdue: 1, revision: 2 }, 1));
    expect(await store.getInstance('b')).toMatchObject({ revision: 2 });
  });
});

describe('given a PostgreSQL store whose server goes out of reach', () => {
  it('when it is down, then calls fail with STORE_UNAVAILABLE; when it is back, then the store recovers by itself', async () => {
    const direct = await outage.fresh();
    const proxy = await TcpProxy.start(new URL(direct).hostname, Number(new URL(direct).port));
    proxies.push(proxy);
    const store = await open({ url: proxy.through(direct), retry: { retryForMs: 300 } });
    await store.transaction((tx) => tx.insertInstance(unit('c')));

    proxy.down();
    await expect(store.getInstance('c')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(store.transaction((tx) => tx.updateInstance({ ...unit('c'), revision: 2 }, 1))).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
    await expect(store.history('c')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });

    proxy.up();
    expect(await store.getInstance('c')).toMatchObject({ revision: 1 });
    await store.transaction((tx) => tx.updateInstance({ ...unit('c'), revision: 2 }, 1));
    expect(await store.getInstance('c')).toMatchObject({ revision: 2 });
  });

  it('when it comes back while a call is still trying, then that call succeeds', async () => {
    const direct = await outage.fresh();
    const proxy = await TcpProxy.start(new URL(direct).hostname, Number(new URL(direct).port));
    proxies.push(proxy);
    // A generous budget: the call must still be trying when the proxy lets it through.
    const store = await open({ url: proxy.through(direct), retry: { retryForMs: 30_000 } });
    await store.transaction((tx) => tx.insertInstance(unit('d')));
    proxy.down();
    const read = store.getInstance('d');
    const write = store.transaction((tx) => tx.updateInstance({ ...unit('d'), revision: 2 }, 1));
    await pause(400);
    proxy.up();
    expect(await read).toMatchObject({ id: 'd' });
    await write;
    expect(await store.getInstance('d')).toMatchObject({ revision: 2 });
  });
});

const NUL = '\u0000';
const history = (instanceId: string, overrides: Partial<HistoryRecord> = {}): HistoryRecord => ({
  instanceId,
  revision: 2,
  type: 'task.completed',
  event: JSON.stringify({ type: 'task.completed', task: `a${NUL}b` }),
  actor: '张三',
  cause: 'host',
  at: 1000,
  state: '"open"',
  idempotencyKey: null,
  ...overrides,
});

function describeNulText(name: string, create: () => Promise<Store>): void {
  describe(`given a ${name} store and text holding a NUL character`, () => {
    it('when a write holds one in an id, a name or a key, then it is refused with STORE_INVALID_TEXT and nothing is stored', async () => {
      const store = await create();
      await store.transaction((tx) => tx.insertInstance(unit('ok')));
      const writes: [string, (tx: Parameters<Parameters<Store['transaction']>[0]>[0]) => Promise<unknown>][] = [
        ['process id', (tx) => tx.insertDefinition({ processId: `p${NUL}`, version: 1, hash: 'h', body: '{}', deployedAt: 1 })],
        ['campaign id', (tx) => tx.insertCampaign({ id: `c${NUL}`, processId: 'p', version: 1, year: 2010, organisation: '{}', startedAt: 1 })],
        ['instance id', (tx) => tx.insertInstance(unit(`x${NUL}`))],
        ['unit id', (tx) => tx.insertInstance(unit('y', { unitId: `u${NUL}` }))],
        ['actor', (tx) => tx.appendHistory(history('ok', { actor: `张${NUL}三` }))],
        ['idempotency key', (tx) => tx.appendHistory(history('ok', { idempotencyKey: `k${NUL}` }))],
        ['timer key', (tx) => tx.replaceTimers('ok', [{ instanceId: 'ok', key: `t${NUL}`, dueAt: 5 }])],
        ['effect id', (tx) => tx.addOutbox([{ id: `e${NUL}`, instanceId: 'ok', effect: '{}', createdAt: 1 }])],
      ];
      for (const [field, write] of writes) {
        const refused = store.transaction(write);
        await expect(refused, field).rejects.toMatchObject({ code: 'STORE_INVALID_TEXT' });
        await expect(refused, field).rejects.toThrow(`the ${field} holds a NUL character (U+0000)`);
      }
      // The JSON columns keep a NUL as `\u0000`: an event whose payload holds one is stored.
      await store.transaction((tx) => tx.appendHistory(history('ok')));
      expect(await store.history('ok')).toHaveLength(1);
      expect(await store.listDefinitions()).toEqual([]);
      expect(await store.listCampaigns()).toEqual([]);
      expect(await store.getInstance('y')).toBeUndefined();
      expect(await store.timers('ok')).toEqual([]);
      expect(await store.pendingOutbox(10)).toEqual([]);
    });

    it('when a look-up names an id holding one, then it answers "not found", as for any id never stored', async () => {
      const store = await create();
      await store.transaction((tx) => tx.insertInstance(unit('ok')));
      expect(await store.getInstance(`ok${NUL}`)).toBeUndefined();
      expect(await store.getCampaign(`c1${NUL}`)).toBeUndefined();
      expect(await store.getDefinition(`p${NUL}`)).toBeUndefined();
      expect(await store.listInstances(`c1${NUL}`)).toEqual([]);
      expect(await store.history(`ok${NUL}`)).toEqual([]);
      expect(await store.timers(`ok${NUL}`)).toEqual([]);
      await store.markDelivered([`e${NUL}`], 1);
      const inside = await store.transaction(async (tx) => ({
        instance: await tx.getInstance(`ok${NUL}`),
        key: await tx.hasIdempotencyKey('ok', `k${NUL}`),
        claimed: await tx.claimTimer({ instanceId: `ok${NUL}`, key: 't', dueAt: 1 }),
      }));
      expect(inside).toEqual({ instance: undefined, key: false, claimed: false });
    });
  });
}

describeNulText('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'luoshi-faults-'));
  dirs.push(dir);
  return open({ sqlite: join(dir, `${dirs.length}.sqlite`) });
});
describeNulText('PostgreSQL', async () => open({ url: await text.fresh() }));

describe('given a SQLite file damaged where the history is', () => {
  async function damagedFile(): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-damaged-'));
    dirs.push(dir);
    const file = join(dir, 'damaged.sqlite');
    const store = await createKyselyStore({ sqlite: file });
    await store.transaction((tx) => tx.insertInstance(unit('ok')));
    await store.transaction((tx) => tx.appendHistory(history('ok')));
    const { rows } = await sql<{ rootpage: number }>`select rootpage from sqlite_master where name = 'history'`.execute(store.db);
    await store.close();
    const page = rows[0]?.rootpage as number;
    const bytes = readFileSync(file);
    bytes.fill(0xa5, (page - 1) * 4096, page * 4096);
    writeFileSync(file, bytes);
    return file;
  }

  it('when it is opened, then quick_check refuses it with STORE_CORRUPT naming the file', async () => {
    const file = await damagedFile();
    await expect(createKyselyStore({ sqlite: file })).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining(file) });
  });

  it('when it is too large to check when opened, then the first statement that meets the damage fails with STORE_CORRUPT, not a raw SqliteError', async () => {
    const file = await damagedFile();
    const store = await open({ sqlite: file, quickCheckUpToBytes: 0 });
    expect(await store.getInstance('ok')).toMatchObject({ id: 'ok' });
    await expect(store.history('ok')).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    await expect(store.transaction((tx) => tx.appendHistory(history('ok', { revision: 3 })))).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });
});
