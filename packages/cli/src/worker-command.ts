import { createEngine, runUntil, VirtualClock } from '@luoshi/engine';
import { CliError } from './cli-error.js';
import type { DatabaseTarget } from './database-option.js';
import { clockText, openStore, rehearsalTime, requireDatabase } from './live-commands.js';
import { startTimerTicks } from './timer-ticks.js';

/** What `luoshi worker` needs. */
export interface WorkerOptions {
  readonly database: DatabaseTarget;
  /** How often due timers are fired, in ms. */
  readonly tickMs: number;
  /** Where failures of the timer rounds are logged, a line at a time. */
  readonly log: (line: string) => void;
}

/** A running worker: how to stop it. */
export interface Working {
  /** Stops the rounds, waits for the one under way and closes the store. */
  close(): Promise<void>;
}

/**
 * `luoshi worker` (定时器工作进程): the one place time moves. Fires every due timer (deadlines,
 * recurrences, rankings) by the wall clock every `tickMs` until closed. Any number of workers, and
 * `luoshi serve`s, may share a PostgreSQL database: each timer is claimed by one of them (the
 * store's claim rule). The database must exist: a worker never creates an empty one to watch.
 */
export async function startWorker(options: WorkerOptions): Promise<Working> {
  requireDatabase(options.database);
  const store = await openStore(options.database);
  const engine = createEngine({ store });
  const ticks = startTimerTicks(engine, options.tickMs, options.log);
  return {
    async close() {
      await ticks.stop();
      await engine.close();
    },
  };
}

/**
 * `luoshi worker --now <time>`: one pass for a rehearsal, moving the database's time from the latest
 * time its campaigns have applied up to `now`, stopping at every due timer on the way and firing it
 * at its own due time, as a worker running all along would have (so a deadline and the ladder rung
 * after it fire in order, each stamped when it fell due). Returns how many fired. `--now` may not be
 * before that latest time (时间不倒流, CLI_NOW_BEFORE_CLOCK).
 */
export async function workerPass(options: { readonly database: DatabaseTarget; readonly now: string }): Promise<number> {
  requireDatabase(options.database);
  const target = rehearsalTime(options.now);
  const store = await openStore(options.database);
  const latest = await store.campaignTime();
  if (latest !== undefined && target < latest) {
    await store.close();
    throw new CliError('CLI_NOW_BEFORE_CLOCK', { now: clockText(target), clock: clockText(latest) });
  }
  const first = (await store.nextTimer())?.dueAt ?? target;
  const clock = new VirtualClock(Math.min(target, Math.max(latest ?? first, first)));
  const engine = createEngine({ store, clock });
  try {
    return await runUntil(engine, clock, target);
  } finally {
    await engine.close();
  }
}
