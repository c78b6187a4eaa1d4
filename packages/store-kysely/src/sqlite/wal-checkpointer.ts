import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
// Named type imports: a default import in the shipped .d.ts needs esModuleInterop in the consumer.
import type { Database } from 'better-sqlite3';
import type { AsyncLock } from '../async-lock.js';

/** Tuning of `WalCheckpointer`; the defaults suit the store. */
export interface WalCheckpointerOptions {
  /** Milliseconds between the worker's passive checkpoints (200 unless given). */
  readonly intervalMs?: number;
  /**
   * Log frames (pages) past which the checkpointer briefly holds this process's writes back so the
   * log can start again from its beginning (8192, about 32 MB with 4 KB pages, unless given).
   */
  readonly restartFrames?: number;
}

/** Int32 slots of the state shared with the worker (worker/wal-checkpoint-worker.js). */
const Slot = {
  /** Frames in the log at the last checkpoint. */
  Log: 0,
  /** Frames of it copied into the database by that checkpoint. */
  Checkpointed: 1,
  /** Checkpoints done. */
  Reports: 2,
  /** Checkpoints asked for by this thread. */
  Requests: 3,
  /** The `Requests` value the last checkpoint started after. */
  Served: 4,
  /** How long the last checkpoint took, in microseconds. */
  Micros: 5,
} as const;

const SLOTS = 6;
/** A catch-up holds writes back once a checkpoint of the bulk took at most this long (µs)… */
const QUICK_CHECKPOINT_MICROS = 1500;
/** …or after this many of them: each copies what the writes added during the one before. */
const CATCH_UP_ROUNDS = 4;
const WORKER_URL = new URL('../../worker/wal-checkpoint-worker.js', import.meta.url);
/** The log file is cut back to this size when it restarts after a spike (`journal_size_limit`). */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;
/**
 * The log size at which the writer stops relying on the worker and checkpoints on its own thread:
 * a worker starved of CPU (a loaded machine) must not let the log grow without bound.
 */
const HARD_LIMIT_BYTES = 80 * 1024 * 1024;
/** Commits between two looks at the log file's size for the hard limit (a `stat` each). */
const HARD_LIMIT_EVERY = 128;
/** The longest writes are held back waiting for the worker, or `stop` waits before terminating it. */
const WAIT_LIMIT_MS = 2000;

/**
 * Checkpoints a SQLite file's write-ahead log from a worker thread with its own connection, so
 * the writer's thread never runs a checkpoint (copying pages back into the database and syncing
 * it): SQLite's automatic checkpoint runs inside the `commit` that passes 1,000 pages and blocks
 * the event loop for milliseconds. The writer's connection gets `wal_autocheckpoint = 0`; the
 * worker runs `PRAGMA wal_checkpoint(PASSIVE)`, which never waits for readers or writers, every
 * `intervalMs` or when asked.
 *
 * A passive checkpoint that overlaps a commit leaves the newest frames behind, and SQLite starts
 * the log again from its beginning only when a write transaction begins with every frame copied,
 * so under continuous writes the file would keep growing. `afterCommit` (called by the store after
 * each commit; it reads a few shared integers) notices a log past `restartFrames` and asks for
 * checkpoints of the bulk, one after the other, until one is quick (each copies only what the
 * writes added during the one before), then for a last one inside `lock` (the process's write
 * queue for the file): writes wait that long, without blocking the event loop, and the next
 * transaction restarts the log. Both steps are driven by commits and shared memory, not by
 * messages, so a writer that never yields to the event loop is caught up too.
 *
 * The worker is unref'd and never keeps the process alive, except while writes wait for it or
 * `stop` waits for it to close. If it fails, the writer's connection goes back to automatic
 * checkpoints and a warning is emitted.
 */
export class WalCheckpointer {
  readonly #database: Database;
  readonly #lock: AsyncLock;
  readonly #restartFrames: number;
  readonly #state = new Int32Array(new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT));
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  /** Called with the `Served` value of each reply to a request. */
  readonly #waiting = new Set<(served: number | undefined) => void>();
  /** `idle`, or the request whose checkpoint copies the bulk, or `holding` writes for the last one. */
  #catchUp: 'idle' | 'holding' | number = 'idle';
  #rounds = 0;
  /** Reports up to this one have been looked at. */
  #handledReports = 0;
  /** The log size that starts a catch-up: `restartFrames`, doubled after each catch-up that did not restart the log. */
  #threshold: number;
  /** The log size at the end of the last catch-up, until the next report tells whether the log restarted. */
  #heldAt: number | undefined;
  #stopping = false;
  #running = true;
  readonly #walFile: string;
  #commits = 0;
  /** The log was past the hard limit and its truncating checkpoint found the worker's running. */
  #overLimit = false;

  /** Starts the worker for `database`'s file and turns off the automatic checkpoint of `database`. */
  constructor(database: Database, lock: AsyncLock, options: WalCheckpointerOptions = {}) {
    this.#database = database;
    this.#lock = lock;
    this.#restartFrames = options.restartFrames ?? 8192;
    this.#threshold = this.#restartFrames;
    this.#walFile = `${resolve(database.name)}-wal`;
    database.pragma('wal_autocheckpoint = 0');
    database.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
    this.#worker = new Worker(WORKER_URL, {
      workerData: { file: resolve(database.name), intervalMs: options.intervalMs ?? 200, state: this.#state.buffer },
    });
    this.#worker.on('message', (message: { served: number }) => {
      for (const reply of [...this.#waiting]) reply(message.served);
    });
    this.#worker.on('error', (error) => this.#fail(error));
    // After the listeners: adding a 'message' listener refs the worker's port again.
    this.#worker.unref();
    this.#exited = new Promise((resolveExit) => {
      this.#worker.once('exit', () => {
        if (!this.#stopping) this.#fail(new Error('the checkpoint worker exited'));
        this.#running = false;
        for (const reply of [...this.#waiting]) reply(undefined);
        resolveExit();
      });
    });
  }

  /** To be called after each commit of the writer's connection, inside the write queue: cheap. */
  afterCommit(): void {
    const look = ++this.#commits % HARD_LIMIT_EVERY === 0 || this.#overLimit;
    if (look && this.#catchUp === 'idle') {
      this.#overLimit = walBytes(this.#walFile) > HARD_LIMIT_BYTES;
      if (this.#overLimit) {
        // Between transactions of this process (we are inside its write queue): blocking, but rare.
        const [result] = this.#database.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
        // Busy while the worker's own checkpoint runs (the checkpoint lock is not waited for): tried
        // again after the next commit, not HARD_LIMIT_EVERY commits later, or the log outgrows the limit.
        this.#overLimit = result?.busy !== 0;
        return;
      }
    }
    const state = this.#state;
    if (this.#catchUp === 'idle') {
      if (this.#stopping) return;
      const reports = Atomics.load(state, Slot.Reports);
      if (reports === this.#handledReports) return;
      this.#handledReports = reports;
      const log = Atomics.load(state, Slot.Log);
      if (this.#heldAt !== undefined) {
        // A smaller log has restarted. If not, a writer this lock does not hold (another process)
        // kept it going, and holding this process's writes more often would not help: back off.
        this.#threshold = log < this.#heldAt ? this.#restartFrames : 2 * this.#threshold;
        this.#heldAt = undefined;
      }
      if (log < this.#threshold) return;
      this.#rounds = 1;
      this.#catchUp = this.#request();
    } else if (this.#catchUp !== 'holding' && Atomics.load(state, Slot.Served) >= this.#catchUp) {
      if (this.#rounds < CATCH_UP_ROUNDS && Atomics.load(state, Slot.Micros) > QUICK_CHECKPOINT_MICROS) {
        this.#rounds++;
        this.#catchUp = this.#request();
        return;
      }
      this.#catchUp = 'holding';
      void this.#lock
        .run(() => this.#checkpointNow())
        .finally(() => {
          this.#handledReports = Atomics.load(state, Slot.Reports);
          this.#heldAt = Atomics.load(state, Slot.Log);
          this.#catchUp = 'idle';
        });
    }
  }

  /** Stops the worker and waits for it to close its connection; call it before closing `database`. */
  async stop(): Promise<void> {
    if (!this.#stopping) {
      this.#stopping = true;
      // Awaited, the worker must keep the process alive until it has gone: an unref'd one would let a
      // script whose last step is `await store.close()` end first, with an unsettled await.
      this.#worker.ref();
      if (this.#running) this.#worker.postMessage({ type: 'stop' });
    }
    const timeout = setTimeout(() => void this.#worker.terminate(), WAIT_LIMIT_MS);
    await this.#exited;
    clearTimeout(timeout);
  }

  /** Asks the worker for a checkpoint now; returns the request's number. */
  #request(): number {
    const request = Atomics.add(this.#state, Slot.Requests, 1) + 1;
    Atomics.notify(this.#state, Slot.Requests);
    return request;
  }

  /** Asks for a checkpoint and waits until the worker has done it (or stopped, or the wait limit passed). */
  #checkpointNow(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    // Referenced while writes wait for the reply, so the process cannot end under them.
    this.#worker.ref();
    return new Promise<void>((done) => {
      const request = this.#request();
      const finish = (): void => {
        clearTimeout(timeout);
        this.#waiting.delete(reply);
        if (!this.#stopping) this.#worker.unref();
        done();
      };
      const reply = (served: number | undefined): void => {
        if (served === undefined || served >= request) finish();
      };
      const timeout = setTimeout(finish, WAIT_LIMIT_MS);
      this.#waiting.add(reply);
    });
  }

  /** Hands checkpointing back to the writer's connection, as SQLite does by default. */
  #fail(error: Error): void {
    if (this.#stopping) return;
    this.#stopping = true;
    if (this.#database.open) this.#database.pragma('wal_autocheckpoint = 1000');
    process.emitWarning(`Luoshi store: background WAL checkpoints stopped, back to automatic ones: ${error.message}`, {
      code: 'LUOSHI_WAL_CHECKPOINTER',
    });
  }
}

function walBytes(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
