import { CompiledQuery, sql, type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool } from 'kysely';
import { PreparedQuery, PreparedQueryFamily } from './prepared-query.js';
import type { Database, HistoryTable, InstancesTable, TimersTable } from './schema.js';
import type { StoreCapabilities } from './store-capabilities.js';

type TimerRow = Pick<Selectable<TimersTable>, 'instance_id' | 'key' | 'due_at'>;

/**
 * The statements of the per-event path, each built with Kysely's builder and compiled by the
 * store's dialect once, when the store is created; see `PreparedQuery`. Everything else the store
 * runs is rarer and is built per call.
 */
export class StoreQueries {
  readonly begin: CompiledQuery;
  readonly commit = CompiledQuery.raw('commit');
  readonly rollback = CompiledQuery.raw('rollback');
  // One savepoint name, released each time: the same SQL text, so the same prepared statement.
  readonly savepoint = CompiledQuery.raw('savepoint luoshi_batch');
  readonly rollbackToSavepoint = CompiledQuery.raw('rollback to savepoint luoshi_batch');
  readonly releaseSavepoint = CompiledQuery.raw('release savepoint luoshi_batch');

  readonly getInstance: PreparedQuery<readonly [id: string], Selectable<InstancesTable>>;
  /** Writes the columns an event may change, never the identity columns (so no index is touched). */
  readonly updateInstance: PreparedQuery<
    readonly [phase: string, overdue: number, escalated: number, ended: number, snapshot: string, revision: number, id: string, expected: number],
    unknown
  >;
  readonly insertHistory: PreparedQuery<
    readonly [
      instanceId: string,
      revision: number,
      type: string,
      event: string,
      actor: string | null,
      cause: string,
      at: number,
      state: string,
      idempotencyKey: string | null,
    ],
    unknown
  >;
  readonly historyRevision: PreparedQuery<readonly [instanceId: string, revision: number], { revision: number }>;
  readonly idempotencyKey: PreparedQuery<readonly [instanceId: string, key: string], { revision: number }>;
  /** The history entry recorded with an idempotency key (the partial unique index finds it). */
  readonly idempotentEntry: PreparedQuery<readonly [instanceId: string, key: string], Selectable<HistoryTable>>;
  /** The latest `at` of an instance's history (a range of the primary key); null when it has none. */
  readonly instanceTime: PreparedQuery<readonly [instanceId: string], { at: number | string | bigint | null }>;
  readonly timersOf: PreparedQuery<readonly [instanceId: string], Pick<TimerRow, 'key' | 'due_at'>>;
  /** `[instanceId, key…]`: deletes those keys of one instance. */
  readonly deleteTimers: PreparedQueryFamily<unknown>;
  /** `[instanceId, key, dueAt, key, dueAt…]`: inserts or moves timers of one instance. */
  readonly upsertTimers: PreparedQueryFamily<unknown>;
  /** Claims an instance's timer unless a timer of the instance or of its campaign sorts before it. */
  readonly claimInstanceTimer: PreparedQuery<readonly [instanceId: string, key: string, dueAt: number, campaignId: string], unknown>;
  /**
   * Claims a campaign-wide timer unless a timer of the campaign or of one of its instances (ids
   * starting with `prefix`, the campaign id and "/", `prefixLength` characters) sorts before it.
   */
  readonly claimCampaignTimer: PreparedQuery<
    readonly [campaignId: string, key: string, dueAt: number, prefix: string, prefixLength: number],
    unknown
  >;
  /** `[id, instanceId, effect, createdAt…]`: inserts effects, skipping taken ids; returns the ids inserted. */
  readonly insertOutbox: PreparedQueryFamily<{ id: string }>;
  readonly dueTimers: PreparedQuery<readonly [until: number, limit: number], TimerRow>;
  readonly nextTimer: PreparedQuery<readonly [], TimerRow>;
  /** Deletes up to `limit` due timers, earliest first, and returns them (in no particular order). */
  readonly claimDueTimers: PreparedQuery<readonly [until: number, limit: number], TimerRow>;

  constructor(db: Kysely<Database>, capabilities: StoreCapabilities) {
    this.begin = CompiledQuery.raw(capabilities.begin);
    this.getInstance = new PreparedQuery(1, (id) => db.selectFrom('instances').selectAll().where('id', '=', id));
    this.updateInstance = new PreparedQuery(8, (phase, overdue, escalated, ended, snapshot, revision, id, expected) =>
      db
        .updateTable('instances')
        .set({ phase, overdue, escalated, ended, snapshot, revision })
        .where('id', '=', id)
        .where('revision', '=', expected),
    );
    this.insertHistory = new PreparedQuery(9, (instance_id, revision, type, event, actor, cause, at, state, idempotency_key) =>
      db
        .insertInto('history')
        .values({ instance_id, revision, type, event, actor, cause, at, state, idempotency_key })
        .onConflict((conflict) => conflict.doNothing()),
    );
    this.historyRevision = new PreparedQuery(2, (instanceId, revision) =>
      db.selectFrom('history').select('revision').where('instance_id', '=', instanceId).where('revision', '=', revision),
    );
    this.idempotencyKey = new PreparedQuery(2, (instanceId, key) =>
      db.selectFrom('history').select('revision').where('instance_id', '=', instanceId).where('idempotency_key', '=', key),
    );
    this.idempotentEntry = new PreparedQuery(2, (instanceId, key) =>
      db.selectFrom('history').selectAll().where('instance_id', '=', instanceId).where('idempotency_key', '=', key),
    );
    this.instanceTime = new PreparedQuery(1, (instanceId) =>
      db.selectFrom('history').select((eb) => eb.fn.max('at').as('at')).where('instance_id', '=', instanceId),
    );
    this.timersOf = new PreparedQuery(1, (instanceId) =>
      db.selectFrom('timers').select(['key', 'due_at']).where('instance_id', '=', instanceId),
    );
    this.deleteTimers = new PreparedQueryFamily(
      (count) =>
        new PreparedQuery(1 + count, (...params: readonly unknown[]) =>
          db
            .deleteFrom('timers')
            .where('instance_id', '=', params[0] as string)
            .where('key', 'in', params.slice(1) as string[]),
        ),
    );
    this.upsertTimers = new PreparedQueryFamily(
      (count) =>
        new PreparedQuery(1 + 2 * count, (...params: readonly unknown[]) =>
          db
            .insertInto('timers')
            .values(
              Array.from({ length: count }, (_, row) => ({
                instance_id: params[0] as string,
                key: params[1 + 2 * row] as string,
                due_at: params[2 + 2 * row] as number,
              })),
            )
            .onConflict((conflict) =>
              conflict.columns(['instance_id', 'key']).doUpdateSet((update) => ({ due_at: update.ref('excluded.due_at') })),
            ),
        ),
    );
    // The claim rule in one statement: the timer is picked only when no related timer sorts before it
    // (as this statement's snapshot shows them: a timer another transaction has claimed but not
    // committed still counts), and on PostgreSQL locked `for update skip locked`, so a claimer never
    // waits for a timer another holds. The check sits inside the locking select, so a refused timer
    // is not locked (a lock would outlive the savepoint and keep others from it until this commit).
    const claim = (
      instanceId: string,
      key: string,
      dueAt: number,
      related: (earlier: ExpressionBuilder<Database & { earlier: TimersTable }, 'earlier'>) => Expression<SqlBool>,
    ) => {
      const earlier = db
        .selectFrom('timers as earlier')
        .select(sql.lit(1).as('one'))
        .where((eb) =>
          eb.and([
            related(eb),
            eb(eb.refTuple('earlier.due_at', 'earlier.instance_id', 'earlier.key'), '<', eb.tuple(dueAt, instanceId, key)),
          ]),
        );
      const target = db
        .selectFrom('timers')
        .select(['instance_id', 'key'])
        .where('instance_id', '=', instanceId)
        .where('key', '=', key)
        .where('due_at', '=', dueAt)
        .where((eb) => eb.not(eb.exists(earlier)));
      const picked = capabilities.claimSkipsLocked ? target.forUpdate().skipLocked() : target;
      return db.deleteFrom('timers').where((eb) => eb(eb.refTuple('instance_id', 'key'), 'in', picked.$asTuple('instance_id', 'key')));
    };
    this.claimInstanceTimer = new PreparedQuery(4, (instanceId, key, dueAt, campaignId) =>
      claim(instanceId, key, dueAt, (eb) => eb('earlier.instance_id', 'in', [instanceId, campaignId])),
    );
    this.claimCampaignTimer = new PreparedQuery(5, (campaignId, key, dueAt, prefix, prefixLength) =>
      claim(campaignId, key, dueAt, (eb) =>
        eb.or([
          eb('earlier.instance_id', '=', campaignId),
          // substr, not like: campaign ids may hold "_" and SQLite's like ignores case.
          eb(sql<string>`substr(${eb.ref('earlier.instance_id')}, 1, ${prefixLength})`, '=', prefix),
        ]),
      ),
    );
    this.insertOutbox = new PreparedQueryFamily(
      (count) =>
        new PreparedQuery(4 * count, (...params: readonly unknown[]) =>
          db
            .insertInto('outbox')
            .values(
              Array.from({ length: count }, (_, row) => ({
                id: params[4 * row] as string,
                instance_id: params[4 * row + 1] as string,
                effect: params[4 * row + 2] as string,
                created_at: params[4 * row + 3] as number,
              })),
            )
            .onConflict((conflict) => conflict.column('id').doNothing())
            .returning('id'),
        ),
    );
    this.dueTimers = new PreparedQuery(2, (until, limit) =>
      db
        .selectFrom('timers')
        .select(['instance_id', 'key', 'due_at'])
        .where('due_at', '<=', until)
        .where(onWallClock)
        .orderBy('due_at')
        .orderBy('instance_id')
        .orderBy('key')
        .limit(limit),
    );
    this.claimDueTimers = new PreparedQuery(2, (until, limit) => {
      const due = db
        .selectFrom('timers')
        .select(['instance_id', 'key'])
        .where('due_at', '<=', until)
        .orderBy('due_at')
        .orderBy('instance_id')
        .orderBy('key')
        .limit(limit);
      return db
        .deleteFrom('timers')
        .where((eb) => {
          const picked = capabilities.claimSkipsLocked ? due.forUpdate().skipLocked() : due;
          return eb(eb.refTuple('instance_id', 'key'), 'in', picked.$asTuple('instance_id', 'key'));
        })
        .returning(['instance_id', 'key', 'due_at']);
    });
    this.nextTimer = new PreparedQuery(0, () =>
      db.selectFrom('timers').select(['instance_id', 'key', 'due_at']).where(onWallClock).orderBy('due_at').orderBy('instance_id').orderBy('key').limit(1),
    );
  }
}

/**
 * A timer of a campaign on the wall clock: none of `campaign_clocks` is its campaign, which is its
 * instance id up to the first "/" (`campaign/unit`) or the whole id (a campaign's ranking timer).
 * Campaign ids hold no "/". With no rehearsal clock the subquery finds nothing at once.
 */
export const onWallClock = sql<SqlBool>`not exists (select 1 from campaign_clocks c where c.campaign_id = timers.instance_id or substr(timers.instance_id, 1, length(c.campaign_id) + 1) = c.campaign_id || '/')`;

/** A timer of the campaign `campaignId` (its instances' and its own). */
export function ofCampaign(campaignId: string): Expression<SqlBool> {
  return sql<SqlBool>`(timers.instance_id = ${campaignId} or substr(timers.instance_id, 1, ${campaignId.length + 1}) = ${`${campaignId}/`})`;
}
