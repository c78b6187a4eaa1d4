import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './schema.js';
import { capabilitiesOf } from './store-capabilities.js';

/*
 * Migrations are code, not files found at run time, so a bundled or installed package migrates the
 * same way. Every statement must be valid SQLite and PostgreSQL: Kysely's schema builder with
 * `text`, `integer` and `bigint` columns, named constraints, and partial indexes (both support them).
 * Where the two differ (how `outbox.seq` is generated), a capability flag decides.
 */

const initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const capabilities = capabilitiesOf(db);

    await db.schema
      .createTable('definitions')
      .addColumn('process_id', 'text', (column) => column.notNull())
      .addColumn('version', 'integer', (column) => column.notNull())
      .addColumn('hash', 'text', (column) => column.notNull())
      .addColumn('body', 'text', (column) => column.notNull())
      .addColumn('deployed_at', 'bigint', (column) => column.notNull())
      .addPrimaryKeyConstraint('definitions_pk', ['process_id', 'version'])
      .execute();

    await db.schema
      .createTable('campaigns')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('process_id', 'text', (column) => column.notNull())
      .addColumn('version', 'integer', (column) => column.notNull())
      .addColumn('year', 'integer', (column) => column.notNull())
      .addColumn('organisation', 'text', (column) => column.notNull())
      .addColumn('started_at', 'bigint', (column) => column.notNull())
      .execute();

    await db.schema
      .createTable('instances')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('campaign_id', 'text', (column) => column.notNull())
      .addColumn('unit_id', 'text', (column) => column.notNull())
      .addColumn('unit_path', 'text', (column) => column.notNull())
      .addColumn('phase', 'text', (column) => column.notNull())
      .addColumn('overdue', 'integer', (column) => column.notNull())
      .addColumn('escalated', 'integer', (column) => column.notNull())
      .addColumn('ended', 'integer', (column) => column.notNull())
      .addColumn('snapshot', 'text', (column) => column.notNull())
      .addColumn('revision', 'integer', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('instances_campaign_path').on('instances').columns(['campaign_id', 'unit_path']).execute();

    await db.schema
      .createTable('history')
      .addColumn('instance_id', 'text', (column) => column.notNull())
      .addColumn('revision', 'integer', (column) => column.notNull())
      .addColumn('type', 'text', (column) => column.notNull())
      .addColumn('event', 'text', (column) => column.notNull())
      .addColumn('actor', 'text')
      .addColumn('cause', 'text', (column) => column.notNull())
      .addColumn('at', 'bigint', (column) => column.notNull())
      .addColumn('state', 'text', (column) => column.notNull())
      .addColumn('idempotency_key', 'text')
      .addPrimaryKeyConstraint('history_pk', ['instance_id', 'revision'])
      .execute();
    // Partial: most events carry no key, and their rows then add no index entry. `on conflict do
    // nothing` without a target covers unique indexes too, in both databases.
    await db.schema
      .createIndex('history_idempotency_key')
      .unique()
      .on('history')
      .columns(['instance_id', 'idempotency_key'])
      .where(sql.ref('idempotency_key'), 'is not', null)
      .execute();

    await db.schema
      .createTable('timers')
      .addColumn('instance_id', 'text', (column) => column.notNull())
      .addColumn('key', 'text', (column) => column.notNull())
      .addColumn('due_at', 'bigint', (column) => column.notNull())
      .addPrimaryKeyConstraint('timers_pk', ['instance_id', 'key'])
      .execute();
    await db.schema.createIndex('timers_due').on('timers').columns(['due_at', 'instance_id', 'key']).execute();

    await db.schema
      .createTable('outbox')
      .addColumn('seq', capabilities.outboxSequence === 'rowid' ? 'integer' : 'bigint', (column) =>
        capabilities.outboxSequence === 'rowid' ? column.primaryKey() : column.generatedAlwaysAsIdentity().primaryKey(),
      )
      .addColumn('id', 'text', (column) => column.notNull())
      .addColumn('instance_id', 'text', (column) => column.notNull())
      .addColumn('effect', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('delivered_at', 'bigint')
      .addUniqueConstraint('outbox_id', ['id'])
      .execute();
    await db.schema
      .createIndex('outbox_pending')
      .on('outbox')
      .columns(['created_at', 'seq'])
      .where(sql.ref('delivered_at'), 'is', null)
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['outbox', 'timers', 'history', 'instances', 'campaigns', 'definitions']) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};

/**
 * Rehearsal clocks (演练时钟): a campaign with a row here is moved by its own clock, set with
 * `luoshi clock`, never by the wall clock. Only adds a table: a database from before it opens with
 * every campaign on the wall clock, as it ran.
 */
const campaignClocks: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('campaign_clocks')
      .addColumn('campaign_id', 'text', (column) => column.primaryKey())
      .addColumn('now', 'bigint', (column) => column.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('campaign_clocks').ifExists().execute();
  },
};

/** The store's migrations by name, in the order they apply. */
export const migrations: Readonly<Record<string, Migration>> = {
  '001_initial': initial,
  '002_campaign_clocks': campaignClocks,
};

/** Kysely `MigrationProvider` handing out the store's in-code migrations. */
export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};

const migrationTables = { migrationTableName: 'luoshi_migration', migrationLockTableName: 'luoshi_migration_lock' };

function migrator(db: Kysely<unknown>, disableTransactions: boolean): Migrator {
  return new Migrator({ db, provider: migrationProvider, disableTransactions, ...migrationTables });
}

async function runMigrator(db: Kysely<unknown>, disableTransactions: boolean): Promise<void> {
  const { error } = await migrator(db, disableTransactions).migrateToLatest();
  if (error !== undefined) throw error instanceof Error ? error : new Error(`Store migration failed: ${String(error)}`);
}

/**
 * Brings the store's tables up to the latest migration; running it again, or from a second
 * process at the same time, does nothing more. Throws the migration's error after rolling it back.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const untyped = db as unknown as Kysely<unknown>;
  const capabilities = capabilitiesOf(untyped);
  if (!capabilities.migrateInStoreTransaction) return runMigrator(untyped, false);
  await untyped.connection().execute(async (connection) => {
    await sql.raw(capabilities.begin).execute(connection);
    try {
      await runMigrator(connection, true);
      await sql`commit`.execute(connection);
    } catch (error) {
      await sql`rollback`.execute(connection).catch(() => undefined);
      throw error;
    }
  });
}

/**
 * The store's migrations the database has not had (every one, on a file with no Luoshi tables),
 * found without writing: a store opened read-only never migrates, and its queries on tables that are
 * missing or older would fail with a driver's error, so a reader asks first.
 */
export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const known = await migrator(db as unknown as Kysely<unknown>, true).getMigrations();
  return known.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}

/**
 * Migrations the database has had that this release does not know: a newer release wrote it, and
 * its tables may mean what this one cannot read. Read without writing; call it once
 * `pendingMigrations` is empty (the migration table then exists).
 */
export async function unknownMigrations(db: Kysely<Database>): Promise<string[]> {
  const executed = await sql<{ name: string }>`select name from luoshi_migration order by name`.execute(db);
  return executed.rows.map((row) => row.name).filter((name) => !Object.hasOwn(migrations, name));
}
