import { createEngine } from '@luoshi/engine';
import type { DatabaseTarget } from './database-option.js';
import { openStore, requireDatabase } from './live-commands.js';
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
 * `luoshi worker` (定时器工作进程): where the wall clock moves campaigns. Fires every due timer
 * (deadlines, recurrences, rankings) of the campaigns on the wall clock every `tickMs` until closed;
 * a campaign on a rehearsal clock (演练时钟) is left to `luoshi clock`. Any number of workers, and
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
