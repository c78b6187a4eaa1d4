import { createServer, type Server } from 'node:http';
import { CampaignClocks, createEngine, SystemClock } from '@luoshi/engine';
import { createHandler, toNodeListener } from '@luoshi/http';
import type { DatabaseTarget } from './database-option.js';
import { openStore } from './live-commands.js';
import { startTimerTicks } from './timer-ticks.js';
import { loadUsersFile } from './users-file.js';

/** What `luoshi serve` needs. */
export interface ServeOptions {
  readonly database: DatabaseTarget;
  readonly port: number;
  readonly host: string;
  /** JSON file: bearer token → actor `{ "id": "张三", "roles": ["支部"], "units": ["u01"] }` (`units` optional), checked by `loadUsersFile`. */
  readonly users: string;
  /** How often due timers are fired, in ms. */
  readonly tickMs: number;
  /** Whether this process fires due timers (a worker of its own); false when a separate `luoshi worker` does. Default true. */
  readonly worker?: boolean;
  /** Where failures of the timer rounds are logged, a line at a time (standard error unless given). */
  readonly log?: (line: string) => void;
}

/** A running `luoshi serve`: its address and how to stop it. */
export interface Serving {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the HTTP API on a SQLite or PostgreSQL store with the wall clock, firing due timers every
 * `tickMs` (its own worker) unless `worker` is false. Reads (GET) never fire a timer or write.
 * Authentication is a bearer token looked up in the users file; hosts with their own login embed
 * `@luoshi/http` instead and pass their own `authenticate`.
 */
export async function serve(options: ServeOptions): Promise<Serving> {
  // Checked before the database is opened: a bad file is refused with exit 2 and nothing touched.
  const users = loadUsersFile(options.users);
  const store = await openStore(options.database);
  // An event sent to a campaign on a rehearsal clock is stamped with that clock's time, read again each round.
  const clock = new CampaignClocks(new SystemClock());
  await clock.refresh(store).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const engine = createEngine({ store, clock });
  const handler = createHandler({
    engine,
    authenticate: async (request) => {
      const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
      // A Map: only a token the file names is found, never an inherited name like "constructor".
      return token === undefined ? undefined : users.get(token);
    },
  });
  // A round that fails (the database out of reach) is logged and the next one tries again.
  // Each round reads the rehearsal clocks again, and (unless a separate worker does) fires the due
  // timers of the campaigns on the wall clock.
  const round = {
    async runDueTimers(): Promise<number> {
      await clock.refresh(store);
      return options.worker === false ? 0 : engine.runDueTimers();
    },
  };
  const ticks = startTimerTicks(round, options.tickMs, options.log ?? ((line) => process.stderr.write(line)));
  const server: Server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}`,
    async close() {
      const ticksStopped = ticks.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ticksStopped;
      await engine.close();
    },
  };
}
