import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { compileMachine, compilePlan, type MachineEvent, type ProcessBundle, type Store } from '@luoshi/engine';
import { createActor, type AnyStateMachine } from 'xstate';
import { SEED_PROCESS, workloadEvent } from './seed-campaign.js';
import { since } from './stats.js';
import type { ThroughputResult } from './durable.js';

/** The seed campaign's compiled machine and its instances' persisted snapshots, read from a store. */
export interface RawInputs {
  readonly machine: AnyStateMachine;
  readonly snapshots: unknown[];
}

/** Compiles the deployed seed process as the engine does, and reads each instance's snapshot. */
export async function rawInputs(store: Store, instanceIds: readonly string[]): Promise<RawInputs> {
  const definition = await store.getDefinition(SEED_PROCESS);
  if (!definition) throw new Error(`${SEED_PROCESS} is not deployed`);
  const machine = compileMachine(compilePlan(JSON.parse(definition.body) as ProcessBundle, definition.version));
  const snapshots: unknown[] = [];
  for (const id of instanceIds) {
    const record = await store.getInstance(id);
    if (!record) throw new Error(`no instance ${id}`);
    snapshots.push(record.snapshot);
  }
  return { machine, snapshots };
}

/** What the bare XState run leaves for the bare SQLite run: one row's worth of text per instance. */
export interface RawRows {
  readonly snapshot: string[];
  readonly event: string[];
  readonly state: string[];
}

/**
 * Bare XState: per event, restore the instance's persisted snapshot (kept parsed, as the engine's
 * cache does), start, send, take the persisted snapshot and serialise it. Same machine, same events,
 * same order as the durable run. Mutates `inputs.snapshots` as it goes.
 */
export function rawXstate(inputs: RawInputs, members: number, rounds: number, round0: number, at: number): ThroughputResult & { rows: RawRows } {
  const count = inputs.snapshots.length;
  const rows: RawRows = { snapshot: new Array<string>(count), event: new Array<string>(count), state: new Array<string>(count) };
  let effects = 0;
  const start = performance.now();
  for (let r = round0; r < round0 + rounds; r++) {
    for (let u = 0; u < count; u++) {
      const event = { ...workloadEvent(r, u, members), at, actor: 'bench' } as MachineEvent;
      const actor = createActor(inputs.machine, { snapshot: inputs.snapshots[u] as never });
      actor.on('effect', () => void effects++);
      actor.start();
      actor.send(event);
      const next = actor.getPersistedSnapshot() as unknown as { value: unknown };
      actor.stop();
      rows.snapshot[u] = JSON.stringify(next);
      inputs.snapshots[u] = next;
      if (r === round0 + rounds - 1) {
        rows.event[u] = JSON.stringify(event);
        rows.state[u] = JSON.stringify(next.value);
      }
    }
  }
  const ms = since(start);
  if (effects === 0) throw new Error('the raw XState run raised no effects: the events did not apply');
  const events = rounds * count;
  return { events, ms, eventsPerSec: events / (ms / 1000), rows };
}

/**
 * Bare XState with live actors: each instance's actor is restored and started once and kept; per
 * event only send, take the persisted snapshot and serialise it. Not part of the ceiling: it shows
 * what an engine that kept actors alive between events (instead of restoring per event) could reach.
 */
export function rawXstateLive(inputs: RawInputs, members: number, rounds: number, round0: number, at: number): ThroughputResult {
  let effects = 0;
  const actors = inputs.snapshots.map((snapshot) => {
    const actor = createActor(inputs.machine, { snapshot: snapshot as never });
    actor.on('effect', () => void effects++);
    actor.start();
    return actor;
  });
  const start = performance.now();
  for (let r = round0; r < round0 + rounds; r++) {
    actors.forEach((actor, u) => {
      actor.send({ ...workloadEvent(r, u, members), at, actor: 'bench' } as MachineEvent);
      JSON.stringify(actor.getPersistedSnapshot());
    });
  }
  const ms = since(start);
  for (const actor of actors) actor.stop();
  if (effects === 0) throw new Error('the live XState run raised no effects: the events did not apply');
  const events = rounds * actors.length;
  return { events, ms, eventsPerSec: events / (ms / 1000) };
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
  /** Applies `events` events (instance n mod count), `perTransaction` per transaction, with the row texts given. */
  run(rows: RawRows, events: number): ThroughputResult;
  close(): void;
}

/**
 * Bare better-sqlite3 on a temp file (WAL, synchronous = NORMAL, prepared statements): per event,
 * insert a history row and update the instance's snapshot row (revision-checked) in one
 * transaction, with the text sizes the XState run produced. `perTransaction` > 1 groups events.
 */
export function openRawSqlite(dir: string, rows: RawRows, perTransaction = 1): RawSqlite {
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
