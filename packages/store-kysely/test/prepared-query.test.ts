import BetterSqlite3 from 'better-sqlite3';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { PreparedQuery } from '../src/prepared-query.js';
import type { Database } from '../src/schema.js';
import { defaultCapabilities } from '../src/store-capabilities.js';
import { StoreQueries } from '../src/store-queries.js';

/** A Kysely that compiles PostgreSQL and never connects. */
const postgres = (): Kysely<Database> =>
  new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });

describe('given a query prepared once', () => {
  it('when it runs with new values, then they are bound to its placeholders, reordered, repeated and beside constants', async () => {
    const db = new Kysely<{ t: { a: number; b: string } }>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
    await sql`create table t (a integer, b text)`.execute(db);
    await sql`insert into t values (1, 'x'), (2, 'y'), (3, 'x'), (4, 'z')`.execute(db);
    // `b` is used twice and before `a`; `limit 2` is a constant the builder made a parameter.
    const query = new PreparedQuery(2, (a: number, b: string) =>
      db.selectFrom('t').select('a').where('b', '=', b).where((eb) => eb.or([eb('a', '>=', a), eb('b', '=', b)])).orderBy('a').limit(2),
    );
    expect(query.sql).toBe('select "a" from "t" where "b" = ? and ("a" >= ? or "b" = ?) order by "a" limit ?');
    expect((await query.execute(db, [2, 'x'])).rows).toEqual([{ a: 1 }, { a: 3 }]);
    expect((await query.execute(db, [0, 'z'])).rows).toEqual([{ a: 4 }]);
    await db.destroy();
  });

  it('when a placeholder does not become a bound parameter, then preparing fails', () => {
    const db = postgres();
    const build = (id: string) => db.selectFrom('instances').selectAll().where('id', '=', id);
    expect(() => new PreparedQuery<readonly [string, string], unknown>(2, build)).toThrow(
      'Placeholder 1 of a prepared query is not a bound parameter',
    );
  });
});

describe('given the store’s per-event queries compiled for PostgreSQL', () => {
  it('when they are prepared, then their text is what the PostgreSQL compiler makes, with numbered parameters', () => {
    const queries = new StoreQueries(postgres(), defaultCapabilities);
    expect(queries.updateInstance.sql).toBe(
      'update "instances" set "phase" = $1, "overdue" = $2, "escalated" = $3, "ended" = $4, "snapshot" = $5, "revision" = $6 where "id" = $7 and "revision" = $8',
    );
    expect(queries.upsertTimers.of(2).sql).toBe(
      'insert into "timers" ("instance_id", "key", "due_at") values ($1, $2, $3), ($4, $5, $6) on conflict ("instance_id", "key") do update set "due_at" = "excluded"."due_at"',
    );
    expect(queries.insertOutbox.of(1).sql).toBe(
      'insert into "outbox" ("id", "instance_id", "effect", "created_at") values ($1, $2, $3, $4) on conflict ("id") do nothing returning "id"',
    );
    for (const query of [queries.getInstance, queries.insertHistory, queries.claimInstanceTimer, queries.claimCampaignTimer, queries.dueTimers, queries.nextTimer, queries.deleteTimers.of(3)]) {
      expect(query.sql).not.toContain('?');
      expect(query.sql).toMatch(/\$1\b/);
    }
    expect(queries.claimInstanceTimer.sql).toBe(
      'delete from "timers" where ("instance_id", "key") in (select "instance_id", "key" from "timers" where "instance_id" = $1 and "key" = $2 and "due_at" = $3 and not exists (select 1 as "one" from "timers" as "earlier" where ("earlier"."instance_id" in ($4, $5) and ("earlier"."due_at", "earlier"."instance_id", "earlier"."key") < ($6, $7, $8))) for update skip locked)',
    );
  });
});
