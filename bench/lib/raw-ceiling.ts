import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { compileMachine, compilePlan, type MachineEvent, type ProcessBundle, type SnapshotData, type Store } from '@luoshi/engine';
import { createActor, type Actor, type AnyStateMachine } from 'xstate';
import { SEED_PROCESS, workloadEvent } from './seed-campaign.js';
import { since } from './stats.js';
import type { ThroughputResult } from './durable.js';

/*
 * 原始上限 — the raw ceiling: the fastest correct combination of the parts the engine is built on,
 * doing the same work per event. Live XState actors (restored and started once, kept) send each
 * event and serialise the persisted snapshot, the event and the state value; bare better-sqlite3
 * writes the history row and the revision-checked instance row, 64 events per transaction (the
 * engine's default group commit). The two parts are timed apart and combined as 1 / (1/x + 1/s).
 * "Correct": after the same events the live actors hold the state the engine stored
 * (`assertSameAsStore`). The SQL part writes only the history and instance rows, not the outbox row
 * half the durable events also write: the ceiling errs high, never low.
 */

/** Events per transaction in the ceiling's SQL part: the engine's default `batchSize`. */
export const CEILING_PER_TRANSACTION = 64;

/** What XState restores an actor from: its persisted-snapshot shape, without child actors or history. */
export interface XstatePersisted {
  readonly status: 'active';
  readonly value: unknown;
  readonly context: object;
  readonly children: Record<string, never>;
  readonly historyValue: Record<string, never>;
}

/** The seed campaign's compiled machine and, per instance, what XState restores it from. */
export interface RawInputs {
  readonly machine: AnyStateMachine;
  readonly snapshots: readonly XstatePersisted[];
}

/** Compiles the deployed seed process as the engine does, and reads each instance's stored snapshot. */
export async function rawInputs(store: Store, instanceIds: readonly string[]): Promise<RawInputs> {
  const definition = await store.getDefinition(SEED_PROCESS);
  if (!definition) throw new Error(`${SEED_PROCESS} is not deployed`);
  const machine = compileMachine(compilePlan(JSON.parse(definition.body) as ProcessBundle, definition.version));
  const snapshots: XstatePersisted[] = [];
  for (const id of instanceIds) {
    const record = await store.getInstance(id);
    if (!record) throw new Error(`no instance ${id}`);
    snapshots.push(xstatePersisted(id, record.snapshot));
  }
  return { machine, snapshots };
}

/**
 * The engine's stored format, version 2 (`{ formatVersion: 2, value, context }`, see the engine's
 * runtime/stored-format.ts), as XState's persisted snapshot. Sub-processes are regions of the
 * statechart, so there are no child actors; the machine has no history states.
 */
function xstatePersisted(id: string, stored: SnapshotData): XstatePersisted {
  const { formatVersion, value, context } = stored as { formatVersion?: unknown; value?: unknown; context?: unknown };
  if (formatVersion !== 2 || value === undefined || typeof context !== 'object' || context === null) {
    throw new Error(`instance ${id}: stored snapshot is not the engine's format version 2`);
  }
  return { status: 'active', value, context, children: {}, historyValue: {} };
}

/** What the XState part leaves for the SQL part: each instance's latest row texts. */
export interface RawRows {
  readonly snapshot: string[];
  readonly event: string[];
  readonly state: string[];
}

/** One live actor per instance, restored and started once. */
export interface LiveActors {
  /**
   * Sends `rounds` rounds of the workload (one event per actor per round, same events and order as
   * the durable run), per event taking the persisted snapshot and serialising it, the event and the
   * state value: the texts a store writes. Throws unless every actor's events applied.
   */
  run(members: number, rounds: number, round0: number, at: number): ThroughputResult & { rows: RawRows };
  stop(): void;
}

/** Restores and starts one actor per instance from `inputs` (not timed). */
export function startLiveActors(inputs: RawInputs): LiveActors {
  const actors: Actor<AnyStateMachine>[] = inputs.snapshots.map((snapshot) => {
    const actor = createActor(inputs.machine, { snapshot: snapshot as never });
    actor.start();
    return actor;
  });
  const count = actors.length;
  return {
    run(members, rounds, round0, at) {
      const rows: RawRows = { snapshot: new Array<string>(count), event: new Array<string>(count), state: new Array<string>(count) };
      const before = actors.map((actor) => actor.getSnapshot().context as unknown);
      const start = performance.now();
      for (let r = round0; r < round0 + rounds; r++) {
        for (let u = 0; u < count; u++) {
          const actor = actors[u] as Actor<AnyStateMachine>;
          const event = { ...workloadEvent(r, u, members), at, actor: 'bench' } as MachineEvent;
          actor.send(event);
          const persisted = actor.getPersistedSnapshot() as unknown as { value: unknown };
          rows.snapshot[u] = JSON.stringify(persisted);
          rows.event[u] = JSON.stringify(event);
          rows.state[u] = JSON.stringify(persisted.value);
        }
      }
      const ms = since(start);
      assertApplied(actors, before);
      const events = rounds * count;
      return { events, ms, eventsPerSec: events / (ms / 1000), rows };
    },
    stop() {
      for (const actor of actors) actor.stop();
    },
  };
}

/**
 * The events applied: every actor is still active and its records (context) are a new object (the
 * rules assign a new context when an event changes anything; an event the machine ignored, or a
 * failed rule, leaves the old one). Effects no longer prove it: rules note them only inside the
 * engine's step.
 */
function assertApplied(actors: readonly Actor<AnyStateMachine>[], before: readonly unknown[]): void {
  let unchanged = 0;
  actors.forEach((actor, u) => {
    const snapshot = actor.getSnapshot();
    if (snapshot.status !== 'active') throw new Error(`the live XState run: actor ${u} is ${snapshot.status}`);
    if (snapshot.context === before[u]) unchanged++;
  });
  if (unchanged > 0) throw new Error(`the live XState run: ${unchanged} of ${actors.length} actors kept their context: the events did not apply`);
}

/**
 * The ceiling did the engine's work: after the same events in the same order, each live actor's
 * state value and records (its latest snapshot text in `rows`) equal the instance's stored ones.
 * Not timed. Throws naming the first instance that differs.
 */
export async function assertSameAsStore(store: Store, instanceIds: readonly string[], rows: RawRows): Promise<void> {
  for (const [u, id] of instanceIds.entries()) {
    const record = await store.getInstance(id);
    if (!record) throw new Error(`no instance ${id}`);
    const stored = xstatePersisted(id, record.snapshot);
    const live = JSON.parse(rows.snapshot[u] as string) as { value: unknown; context: unknown };
    if (JSON.stringify(live.value) !== JSON.stringify(stored.value) || JSON.stringify(live.context) !== JSON.stringify(stored.context)) {
      throw new Error(`the live XState run and the engine disagree on instance ${id} after the same events`);
    }
  }
}

/** The store's instances and history tables (same columns, keys and indexes), in bare SQL. */
const SCHEMA = `
create table instances (id text primary key, campaign_id text not null, unit_id text not null, unit_path text not null,
  phase text not null, overdue integer not null, escalated integer not null, ended integer not null,
  snapshot text not null, revision integer not null);
create index instances_campaign_path on instances (campaign_id, unit_path);
create table history (instance_id text not null, revision integer not null, type text not null, event text not null,
  actor text, cause text not null, at bigint not null, state text not null, idempotency_key text,
  constraint history_pk primary key (instance_id, revision),
  constraint history_idempotency_key unique (instance_id, idempotency_key));
`;

/** A bare better-sqlite3 database with the store's two tables, seeded with one row per instance. */
export interface RawSqlite {
  /** Applies `events` events (event n to instance n mod count), `perTransaction` per transaction, with the row texts given. */
  run(rows: RawRows, events: number): ThroughputResult;
  close(): void;
}

/**
 * Bare better-sqlite3 on a temp file (WAL, synchronous = NORMAL, prepared statements): per event,
 * insert a history row and update the instance's snapshot row (revision-checked), with the texts
 * the XState part produced; `perTransaction` events (the last group may be short) per transaction,
 * one `db.transaction` call each.
 */
export function openRawSqlite(dir: string, rows: RawRows, perTransaction = CEILING_PER_TRANSACTION): RawSqlite {
  const db = new BetterSqlite3(join(dir, `raw-${perTransaction}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  const count = rows.snapshot.length;
  const revisions = new Array<number>(count).fill(1);
  const insertInstance = db.prepare(
    `insert into instances (id, campaign_id, unit_id, unit_path, phase, overdue, escalated, ended, snapshot, revision)
     values (?, 'bench', ?, ?, '组织实施', 0, 0, 0, ?, 1)`,
  );
  db.transaction(() => {
    for (let u = 0; u < count; u++) insertInstance.run(`bench/u${u}`, `u${u}`, `/office/u${u}/`, rows.snapshot[u]);
  })();
  const insertHistory = db.prepare(
    `insert into history (instance_id, revision, type, event, actor, cause, at, state, idempotency_key)
     values (?, ?, ?, ?, 'bench', 'host', ?, ?, null)`,
  );
  const update = db.prepare(
    `update instances set phase = '组织实施', overdue = 1, escalated = 0, ended = 0, snapshot = ?, revision = ?
     where id = ? and revision = ?`,
  );
  const group = db.transaction((texts: RawRows, from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const u = n % count;
      const revision = (revisions[u] as number) + 1;
      const id = `bench/u${u}`;
      insertHistory.run(id, revision, 'score.given', texts.event[u], 1276531200000, texts.state[u]);
      if (update.run(texts.snapshot[u], revision, id, revision - 1).changes !== 1) throw new Error('revision conflict');
      revisions[u] = revision;
    }
  });
  return {
    run(texts, events) {
      const start = performance.now();
      for (let n = 0; n < events; n += perTransaction) group(texts, n, Math.min(events, n + perTransaction));
      const ms = since(start);
      return { events, ms, eventsPerSec: events / (ms / 1000) };
    },
    close: () => db.close(),
  };
}

/** Mean UTF-8 size of the snapshots in `rows`. */
export function snapshotBytes(rows: RawRows): number {
  return rows.snapshot.reduce((sum, s) => sum + Buffer.byteLength(s), 0) / rows.snapshot.length;
}
