import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { AsyncLock } from '../async-lock.js';

/** A write lock shared by every store of this process (this thread) on one database file. */
export interface FileWriteLock {
  readonly lock: AsyncLock;
  /** Gives the lock up; the registry forgets the file when its last store lets go. */
  release(): void;
}

const registry = new Map<string, { readonly lock: AsyncLock; users: number }>(); // process-wide: one write queue per file for the stores of this thread (see below)

/**
 * The in-process write lock of a SQLite file, or `undefined` for a private in-memory database.
 * better-sqlite3 waits for a busy database synchronously, blocking the event loop: two stores of
 * one process on one file would wait for each other's lock while the holder cannot run, so their
 * transactions queue here first. Other processes are kept apart by SQLite's lock and busy timeout.
 */
export function acquireFileWriteLock(file: string): FileWriteLock | undefined {
  if (file === '' || file === ':memory:') return undefined;
  const key = realpathSync(resolve(file));
  let entry = registry.get(key);
  if (entry === undefined) registry.set(key, (entry = { lock: new AsyncLock(), users: 0 }));
  entry.users++;
  const held = entry;
  let released = false;
  return {
    lock: held.lock,
    release() {
      if (released) return;
      released = true;
      held.users--;
      if (held.users === 0 && registry.get(key) === held) registry.delete(key);
    },
  };
}
