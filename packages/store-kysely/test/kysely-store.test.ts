import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { InstanceRecord } from '@luoshi/engine';
import { describeStoreContract } from '@luoshi/engine/testing';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteDialect, sql } from 'kysely';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createKyselyStore, migrateToLatest, openSqliteDatabase } from '../src/index.js';
import { describeClaimDueTimersContract } from './support/claim-due-timers-contract.js';
import { bump, unit } from './support/instance-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'luoshi-store-kysely-'));
let files = 0;
const freshFile = (): string => join(dir, `store-${++files}.db`);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describeStoreContract('Kysely on SQLite :memory:', () => createKyselyStore({ sqlite: ':memory:' }), {
  requireTransactionBatch: true,
});

describeStoreContract('Kysely on a SQLite file', () => createKyselyStore({ sqlite: freshFile() }), {
  requireTransactionBatch: true,
});

describeStoreContract(
  'Kysely on a caller-built SqliteDialect',
  () => createKyselyStore({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) }),
  { requireTransactionBatch: true },
);

describeClaimDueTimersContract('Kysely on a SQLite file', async () => {
  const file = freshFile();
  return [await createKyselyStore({ sqlite: file }), await createKyselyStore({ sqlite: file })];
});

describe('given a SQLite file store', () => {
  it('when the store is closed and the file reopened, then everything committed is still there', async () => {
    const file = freshFile();
    const first = await createKyselyStore({ sqlite: file });
    await first.transaction(async (tx) => {
      await tx.insertInstance(unit('i1'));
      await tx.appendHistory({
        instanceId: 'i1',
        revision: 1,
        type: 'xstate.init',
        event: '{}',
        actor: null,
        cause: 'start',
        at: 5,
        state: '"动员部署"',
        idempotencyKey: 'start-i1',
      });
      await tx.replaceTimers('i1', [{ instanceId: 'i1', key: 'deadline', dueAt: 1_800_000_000_000 }]);
      await tx.addOutbox([
        { id: 'o1', instanceId: 'i1', effect: '{"kind":"notify"}', createdAt: 7 },
        { id: 'o2', instanceId: 'i1', effect: '{"kind":"notify"}', createdAt: 7 },
      ]);
    });
    await first.markDelivered(['o1'], 9);
    await expect(first.transaction(async () => Promise.reject(new Error('lost')))).rejects.toThrow('lost');
    await first.close();

    const second = await createKyselyStore({ sqlite: file });
    expect(await second.getInstance('i1')).toEqual(unit('i1'));
    expect((await second.history('i1')).map((entry) => entry.idempotencyKey)).toEqual(['start-i1']);
    expect(await second.nextTimer()).toEqual({ instanceId: 'i1', key: 'deadline', dueAt: 1_800_000_000_000 });
    expect((await second.pendingOutbox(10)).map((effect) => effect.id)).toEqual(['o2']);
    const delivered = await second.db.selectFrom('outbox').select(['id', 'delivered_at']).orderBy('id').execute();
    expect(delivered.map((row) => [row.id, row.delivered_at === null ? null : Number(row.delivered_at)])).toEqual([
      ['o1', 9],
      ['o2', null],
    ]);
    await second.close();
  });

  it('when the store is opened again, also by two stores at once, then migrations run exactly once', async () => {
    const file = freshFile();
    await (await createKyselyStore({ sqlite: file })).close();
    const [a, b] = await Promise.all([createKyselyStore({ sqlite: file }), createKyselyStore({ sqlite: file })]);
    await migrateToLatest(a.db);
    const applied = await sql<{ name: string }>`select name from luoshi_migration order by name`.execute(a.db);
    expect(applied.rows.map((row) => row.name)).toEqual(['001_initial', '002_campaign_clocks']);
    const pragmas = openSqliteDatabase(file).database;
    expect(pragmas.pragma('journal_mode', { simple: true })).toBe('wal');
    pragmas.close();
    await a.close();
    await b.close();
  });

  it('when two stores on one file race conflicting updates, then conflicts are retried and none fails with SQLITE_BUSY', async () => {
    const file = freshFile();
    const a = await createKyselyStore({ sqlite: file });
    const b = await createKyselyStore({ sqlite: file });
    await a.transaction((tx) => tx.insertInstance(unit('shared')));
    const rounds = 40;
    const conflicts = await Promise.all(
      Array.from({ length: rounds }, (_, n) => bump(n % 2 === 0 ? a : b, 'shared', n % 4 < 2)),
    );
    expect(await b.getInstance('shared')).toMatchObject({ overdue: rounds, revision: 1 + rounds });
    expect(conflicts.reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    await a.close();
    await b.close();
  });

  it('when another thread (its own connection, its own event loop) writes the same instance, then begin immediate and the busy timeout keep every update', async () => {
    const file = freshFile();
    const store = await createKyselyStore({ sqlite: file });
    await store.transaction((tx) => tx.insertInstance(unit('shared')));
    const script = join(dir, 'writer.mjs');
    writeFileSync(
      script,
      `import { parentPort, workerData } from 'node:worker_threads';
const { createKyselyStore } = await import(workerData.module);
const store = await createKyselyStore({ sqlite: workerData.file });
parentPort.postMessage('ready');
let conflicts = 0;
for (let n = 0; n < workerData.updates; n++) {
  for (;;) {
    const before = n % 2 === 0 ? undefined : await store.getInstance('shared');
    try {
      await store.transaction(async (tx) => {
        const current = before ?? (await tx.getInstance('shared'));
        await new Promise((resolve) => setImmediate(resolve));
        await tx.updateInstance({ ...current, overdue: current.overdue + 1, revision: current.revision + 1 }, current.revision);
      });
      break;
    } catch (error) {
      if (error.code !== 'STORE_REVISION_CONFLICT') throw error;
      conflicts++;
    }
  }
}
await store.close();
parentPort.postMessage({ conflicts });
`,
    );
    const updates = 150;
    const module = new URL('../dist/index.js', import.meta.url);
    expect(existsSync(module), 'build store-kysely first (npx tsc -b packages/store-kysely)').toBe(true);
    const worker = new Worker(script, { workerData: { module: module.href, file, updates } });
    const messages: unknown[] = [];
    const next = () =>
      new Promise<unknown>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    let reply = next();
    expect(await reply).toBe('ready');
    reply = next();
    let conflicts = 0;
    for (let n = 0; n < updates; n++) conflicts += await bump(store, 'shared', n % 2 === 0);
    messages.push(await reply);
    await worker.terminate();
    expect(await store.getInstance('shared')).toMatchObject({ overdue: 2 * updates, revision: 1 + 2 * updates });
    expect(messages).toEqual([{ conflicts: expect.any(Number) }]);
    await store.close();
  });
});

describe('given the prepared-statement cache', () => {
  it('when the same queries run many times, then each SQL text is prepared once and reused', async () => {
    const database = openSqliteDatabase(':memory:');
    const store = await createKyselyStore({ dialect: new SqliteDialect({ database }) });
    await store.transaction((tx) => tx.insertInstance(unit('i1')));
    await store.transaction((tx) => tx.replaceTimers('i1', [{ instanceId: 'i1', key: 'deadline', dueAt: 10 }]));
    await store.getInstance('i1');
    const prepare = vi.spyOn(database.database, 'prepare');
    const before = database.stats;
    for (let revision = 1; revision <= 300; revision++) {
      await store.transaction(async (tx) => {
        const current = (await tx.getInstance('i1')) as InstanceRecord;
        await tx.updateInstance({ ...current, revision: revision + 1 }, revision);
        await tx.replaceTimers('i1', [{ instanceId: 'i1', key: 'deadline', dueAt: 10 }]);
      });
      await store.getInstance('i1');
    }
    const after = database.stats;
    expect(prepare.mock.calls.length).toBeLessThanOrEqual(3);
    expect(after.size - before.size).toBeLessThanOrEqual(3);
    expect(after.hits - before.hits).toBeGreaterThanOrEqual(300 * 6 - 3);
    expect((await store.getInstance('i1'))?.revision).toBe(301);
    prepare.mockRestore();
    await store.close();
  });

  it('when more distinct statements run than the cache holds, then it stays at its capacity and results stay right', async () => {
    const database = openSqliteDatabase(':memory:', { statementCacheSize: 8 });
    const store = await createKyselyStore({ dialect: new SqliteDialect({ database }) });
    const effects = Array.from({ length: 60 }, (_, n) => ({ id: `o${n}`, instanceId: 'i1', effect: '{}', createdAt: n }));
    await store.transaction((tx) => tx.addOutbox(effects));
    for (let count = 1; count <= 30; count++) {
      // `in (?, ?, …)` with a different number of values is a different SQL text each time.
      await store.markDelivered(
        effects.slice(0, count).map((effect) => effect.id),
        1000 + count,
      );
      expect(database.stats.size).toBeLessThanOrEqual(8);
    }
    expect((await store.pendingOutbox(100)).map((effect) => effect.id)).toEqual(effects.slice(30).map((effect) => effect.id));
    await store.close();
    expect(database.database.open).toBe(false);
  });
});
