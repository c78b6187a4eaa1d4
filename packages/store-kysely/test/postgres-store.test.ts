import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@luoshi/engine';
import { StoreConflictError } from '@luoshi/engine';
import { describeStoreContract } from '@luoshi/engine/testing';
import { PostgresDialect, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createKyselyStore, openPostgresPool, storeFromUrl } from '../src/index.js';
import { describeClaimDueTimersContract } from './support/claim-due-timers-contract.js';
import { bump, unit } from './support/instance-fixtures.js';
import { PostgresTestDatabase } from './support/postgres-test-database.js';

const contract = new PostgresTestDatabase('contract');
const dialectContract = new PostgresTestDatabase('dialect contract');
const scenarios = new PostgresTestDatabase('scenarios');
const claims = new PostgresTestDatabase('claims');

afterAll(async () => {
  await Promise.all([contract.drop(), dialectContract.drop(), scenarios.drop(), claims.drop()]);
});

describeStoreContract('Kysely on PostgreSQL', async () => createKyselyStore({ url: await contract.fresh() }), {
  requireTransactionBatch: true,
});

describeStoreContract(
  'Kysely on a caller-built PostgresDialect',
  async () => createKyselyStore({ dialect: new PostgresDialect({ pool: openPostgresPool(await dialectContract.fresh()) }) }),
  { requireTransactionBatch: true },
);

describeClaimDueTimersContract('Kysely on PostgreSQL', async () => {
  const url = await claims.fresh();
  return [await createKyselyStore({ url }), await createKyselyStore({ url })];
});

/** A promise with its `resolve`, to hold a transaction open until the test lets it go. */
function gate(): { readonly wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

describe('given a PostgreSQL store', () => {
  it('when the store is closed and opened again, then everything committed is still there and bigints read as numbers', async () => {
    const url = await scenarios.fresh();
    const first = await createKyselyStore({ url });
    await first.transaction(async (tx) => {
      await tx.insertInstance(unit('i1'));
      await tx.replaceTimers('i1', [{ instanceId: 'i1', key: 'deadline', dueAt: 1_800_000_000_000 }]);
      await tx.addOutbox([{ id: 'o1', instanceId: 'i1', effect: '{}', createdAt: 7 }]);
    });
    await expect(first.transaction(async () => Promise.reject(new Error('lost')))).rejects.toThrow('lost');
    await first.close();

    const second = await createKyselyStore({ url });
    expect(await second.getInstance('i1')).toEqual(unit('i1'));
    expect(await second.nextTimer()).toEqual({ instanceId: 'i1', key: 'deadline', dueAt: 1_800_000_000_000 });
    const rows = await second.db.selectFrom('outbox').select(['seq', 'created_at']).execute();
    expect(rows).toEqual([{ seq: 1, created_at: 7 }]);
    await second.close();
  });

  it('when two stores open a new database at once, then migrations run exactly once', async () => {
    const url = await scenarios.fresh();
    const [a, b] = await Promise.all([createKyselyStore({ url }), createKyselyStore({ url })]);
    const applied = await sql<{ name: string }>`select name from luoshi_migration order by name`.execute(a.db);
    expect(applied.rows.map((row) => row.name)).toEqual(['001_initial', '002_campaign_clocks']);
    await a.close();
    await b.close();
  });

  it('when two stores (two pools) race conflicting updates, then conflicts are retried and every update is kept', async () => {
    const url = await scenarios.fresh();
    const a = await createKyselyStore({ url });
    const b = await createKyselyStore({ url });
    await a.transaction((tx) => tx.insertInstance(unit('shared')));
    const rounds = 40;
    const conflicts = await Promise.all(Array.from({ length: rounds }, (_, n) => bump(n % 2 === 0 ? a : b, 'shared', n % 4 < 2)));
    expect(await b.getInstance('shared')).toMatchObject({ overdue: rounds, revision: 1 + rounds });
    expect(conflicts.reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    await a.close();
    await b.close();
  });

  it('when transactions overlap, then each runs on its own connection and none sees the others’ uncommitted writes', async () => {
    const store = await createKyselyStore({ url: await scenarios.fresh() });
    const held = gate();
    const started = gate();
    const slow = store.transaction(async (tx) => {
      await tx.insertInstance(unit('slow'));
      started.open();
      await held.wait;
      return tx.getInstance('fast');
    });
    await started.wait;
    // Commits while `slow` is still open on another connection.
    await store.transaction(async (tx) => {
      expect(await tx.getInstance('slow')).toBeUndefined();
      await tx.insertInstance(unit('fast'));
    });
    expect(await store.getInstance('fast')).toEqual(unit('fast'));
    expect(await store.getInstance('slow')).toBeUndefined();
    held.open();
    // Read committed: the open transaction sees what committed meanwhile.
    expect(await slow).toEqual(unit('fast'));
    expect(await store.getInstance('slow')).toEqual(unit('slow'));
    await store.close();
  });

  it('when more transactions run at once than the pool has connections, then they wait for one and all commit', async () => {
    const store = await createKyselyStore({ url: await scenarios.fresh(), maxConnections: 2 });
    const backends = new Set<number>();
    await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        store.transaction(async (tx) => {
          await tx.insertInstance(unit(`u${n}`));
          await new Promise((resolve) => setTimeout(resolve, 5));
        }),
      ),
    );
    for (let n = 0; n < 4; n++) {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db);
      backends.add(Number(rows[0]?.pid));
    }
    expect(backends.size).toBeLessThanOrEqual(2);
    expect((await store.listInstances('c1')).length).toBe(12);
    await store.close();
  });

  it('when a function of a batch makes the database fail a statement, then its savepoint is rolled back and the others commit', async () => {
    const store = await createKyselyStore({ url: await scenarios.fresh() });
    const outcomes = await store.transactionBatch([
      (tx) => tx.insertInstance(unit('a')),
      async (tx) => {
        await tx.insertInstance(unit('b'));
        // integer out of range: a driver error, which aborts everything after it up to the savepoint.
        await tx.updateInstance(unit('b', { overdue: 2 ** 40, revision: 2 }), 1);
      },
      (tx) => tx.insertInstance(unit('c')),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await store.listInstances('c1')).map((record) => record.id)).toEqual(['a', 'c']);
    await store.close();
  });
});

describe('given due timers on PostgreSQL', () => {
  it('when another transaction holds a due timer locked, then claimDueTimers skips it without waiting and claims it once released', async () => {
    const store = await createKyselyStore({ url: await scenarios.fresh() });
    await store.transaction((tx) =>
      tx.replaceTimers('i1', [
        { instanceId: 'i1', key: 'a', dueAt: 1 },
        { instanceId: 'i1', key: 'b', dueAt: 2 },
      ]),
    );
    const locked = gate();
    const release = gate();
    const holder = store.db.transaction().execute(async (trx) => {
      await sql`select key from timers where key = 'a' for update`.execute(trx);
      locked.open();
      await release.wait;
    });
    await locked.wait;
    expect(await store.claimDueTimers(10, 10)).toEqual([{ instanceId: 'i1', key: 'b', dueAt: 2 }]);
    release.open();
    await holder;
    expect(await store.claimDueTimers(10, 10)).toEqual([{ instanceId: 'i1', key: 'a', dueAt: 1 }]);
    await store.close();
  });
});

describe('given the claim rule on PostgreSQL, with two stores (two processes) on one database', () => {
  it('when one transaction holds a claimed timer uncommitted, then the other is refused that timer and the instance’s later ones at once, and gets them after the commit', async () => {
    const url = await scenarios.fresh();
    const a = await createKyselyStore({ url });
    const b = await createKyselyStore({ url });
    const t = (instanceId: string, key: string, dueAt: number) => ({ instanceId, key, dueAt });
    await a.transaction(async (tx) => {
      await tx.replaceTimers('c1/u1', [t('c1/u1', 'first', 1), t('c1/u1', 'second', 2)]);
      await tx.replaceTimers('c1/u2', [t('c1/u2', 'other', 2)]);
      await tx.replaceTimers('c1', [t('c1', 'ranking:r', 3)]);
    });
    const claimed = gate();
    const release = gate();
    const holder = a.transaction(async (tx) => {
      expect(await tx.claimTimer(t('c1/u1', 'first', 1))).toBe(true);
      claimed.open();
      await release.wait;
    });
    await claimed.wait;
    const started = performance.now();
    const [first, second, other, ranking] = await b.transaction(async (tx) => [
      await tx.claimTimer(t('c1/u1', 'first', 1)), // locked by `a`: skipped, not waited for
      await tx.claimTimer(t('c1/u1', 'second', 2)), // `first` still exists for everyone but `a`
      await tx.claimTimer(t('c1/u2', 'other', 2)), // another instance: free
      await tx.claimTimer(t('c1', 'ranking:r', 3)), // c1/u1's `first` and `second` are earlier
    ]);
    expect([first, second, other, ranking]).toEqual([false, false, true, false]);
    expect(performance.now() - started).toBeLessThan(2_000);
    release.open();
    await holder;
    expect(await b.transaction((tx) => tx.claimTimer(t('c1', 'ranking:r', 3)))).toBe(false);
    expect(await b.transaction((tx) => tx.claimTimer(t('c1/u1', 'second', 2)))).toBe(true);
    expect(await b.transaction((tx) => tx.claimTimer(t('c1', 'ranking:r', 3)))).toBe(true);
    await a.close();
    await b.close();
  });

  it('when two transactions deadlock on instance rows, then the victim fails with StoreConflictError (retried by the engine)', async () => {
    const url = await scenarios.fresh();
    const a = await createKyselyStore({ url });
    const b = await createKyselyStore({ url });
    await a.transaction(async (tx) => {
      await tx.insertInstance(unit('x'));
      await tx.insertInstance(unit('y'));
    });
    const both = gate();
    let arrived = 0;
    const meet = async () => {
      if (++arrived === 2) both.open();
      await both.wait;
    };
    // Each updates one row, then waits for the other to have done the same, then updates the other's row.
    const cross = (store: Store, first: string, second: string) =>
      store.transaction(async (tx) => {
        await tx.updateInstance(unit(first, { overdue: 1, revision: 2 }), 1);
        await meet();
        await tx.updateInstance(unit(second, { overdue: 2, revision: 2 }), 1);
      });
    const outcomes = await Promise.allSettled([cross(a, 'x', 'y'), cross(b, 'y', 'x')]);
    const failures = outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => outcome.reason as unknown);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(StoreConflictError);
    expect((failures[0] as Error).cause).toMatchObject({ code: '40P01' });
    await a.close();
    await b.close();
  });
});

describe('given a database URL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'luoshi-store-url-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('when storeFromUrl gets no URL, then it reads LUOSHI_DATABASE_URL, and without it fails saying so', async () => {
    const saved = process.env['LUOSHI_DATABASE_URL'];
    try {
      process.env['LUOSHI_DATABASE_URL'] = await scenarios.fresh();
      const store = await storeFromUrl();
      await store.transaction((tx) => tx.insertInstance(unit('env')));
      const { rows } = await sql<{ version: string }>`select version()`.execute(store.db);
      expect(rows[0]?.version).toMatch(/^PostgreSQL/);
      await store.close();
      delete process.env['LUOSHI_DATABASE_URL'];
      await expect(storeFromUrl()).rejects.toThrow('LUOSHI_DATABASE_URL');
    } finally {
      if (saved === undefined) delete process.env['LUOSHI_DATABASE_URL'];
      else process.env['LUOSHI_DATABASE_URL'] = saved;
    }
  });

  it('when the URL is sqlite: or a file path, then the store is SQLite on that file', async () => {
    for (const url of [`sqlite:${join(dir, 'a.db')}`, `sqlite://${join(dir, 'b.db')}`, join(dir, 'c.db'), 'sqlite::memory:', ':memory:']) {
      const store = await storeFromUrl(url);
      await store.transaction((tx) => tx.insertInstance(unit('i1')));
      const { rows } = await sql<{ version: string }>`select sqlite_version() as version`.execute(store.db);
      expect(rows[0]?.version).toMatch(/^3\./);
      await store.close();
    }
    const reopened = await storeFromUrl(join(dir, 'a.db'));
    expect(await reopened.getInstance('i1')).toEqual(unit('i1'));
    await reopened.close();
  });

  it('when the scheme is unknown, then the store is not created', async () => {
    await expect(createKyselyStore({ url: 'mysql://root@127.0.0.1/luoshi' })).rejects.toThrow('Unsupported database URL scheme "mysql:"');
  });
});
