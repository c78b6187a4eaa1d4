// @ts-check
/*
 * The thread of `WalCheckpointer` (src/sqlite/wal-checkpointer.ts): its own better-sqlite3
 * connection to the store's file, copying the write-ahead log back into the database with passive
 * checkpoints, so the writer's thread never waits for that copy and its fsync. Plain JavaScript
 * outside src/, so the built package and the TypeScript sources under test start the same file.
 *
 * workerData: { file, intervalMs, state }. `state` is a SharedArrayBuffer of Int32 slots (see
 * `Slot` in wal-checkpointer.ts): the writer bumps REQUESTS to ask for a checkpoint now; after each
 * checkpoint this thread stores LOG, CHECKPOINTED and its duration in MICROS, the REQUESTS value it
 * served in SERVED, and bumps REPORTS; after serving a request it also posts { served }. Message
 * in: { type: 'stop' }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';

const LOG = 0;
const CHECKPOINTED = 1;
const REPORTS = 2;
const REQUESTS = 3;
const SERVED = 4;
const MICROS = 5;

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
const { file, intervalMs, state: buffer } = /** @type {{ file: string, intervalMs: number, state: SharedArrayBuffer }} */ (workerData);
const state = new Int32Array(buffer);
// The writer's connection chose WAL and its durability; a checkpoint syncs the log before copying
// and the database after, whatever `synchronous` says unless it is OFF (the default here is FULL).
const database = new BetterSqlite3(file, { fileMustExist: true });

let stopped = false;
port.on('message', (/** @type {{ type: string }} */ message) => {
  if (message.type !== 'stop') return;
  stopped = true;
  Atomics.notify(state, REQUESTS);
});

/** While the log grows fast (over BUSY_FRAMES per intervalMs), checkpoint often: each copy stays small and LOG fresh. */
const BUSY_INTERVAL_MS = Math.min(intervalMs, 20);
const BUSY_FRAMES = 256;

let seen = Atomics.load(state, REQUESTS);
// The first checkpoint comes soon: a store often starts with a burst of writes.
let pause = BUSY_INTERVAL_MS;
let last = { log: 0, at: performance.now() };
while (!stopped) {
  // Sleeps until the pause ends or the writer asks, leaving this thread's event loop free for 'stop'.
  const wait = Atomics.waitAsync(state, REQUESTS, seen, pause);
  if (wait.async) await wait.value;
  if (stopped) break;
  const requested = Atomics.load(state, REQUESTS);
  const started = performance.now();
  const [result] = /** @type {{ busy: number, log: number, checkpointed: number }[]} */ (database.pragma('wal_checkpoint(PASSIVE)'));
  const at = performance.now();
  // A smaller log than last time has restarted: all of it is new.
  const grown = result.log < last.log ? result.log : result.log - last.log;
  pause = grown * intervalMs >= BUSY_FRAMES * (at - last.at) ? BUSY_INTERVAL_MS : intervalMs;
  last = { log: result.log, at };
  Atomics.store(state, LOG, result.log);
  Atomics.store(state, CHECKPOINTED, result.checkpointed);
  Atomics.store(state, MICROS, Math.round((at - started) * 1000));
  Atomics.store(state, SERVED, requested);
  Atomics.add(state, REPORTS, 1);
  if (requested !== seen) port.postMessage({ served: requested });
  seen = requested;
}
database.close();
port.close();
