// One engine process of the multi-worker test: fires due timers on a shared PostgreSQL database,
// its virtual clock following the test's clock row. Each round holds a shared advisory lock, so the
// test (which takes it exclusively to move the clock or send host events) never changes the clock
// under a running round: every timer fires at the clock value the test set.
// Usage: node timer-worker.mjs <database url> <name>; exits when the clock row says done.
import pg from 'pg';
import { createEngine, VirtualClock } from '@luoshi/engine';
import { createKyselyStore } from '@luoshi/store-kysely';

const CLOCK_LOCK = 4242;
const [url, name] = process.argv.slice(2);
if (!url || !name) throw new Error('usage: node timer-worker.mjs <database url> <name>');

/** The URL with an application name, so the test can find this process's connections in pg_stat_activity. */
function named(application) {
  const withName = new URL(url);
  withName.searchParams.set('application_name', application);
  return withName.toString();
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

try {
  const store = await createKyselyStore({ url: named(name), maxConnections: 2 });
  const control = new pg.Client({ connectionString: named(`${name}-clock`) });
  control.on('error', () => undefined);
  await control.connect();
  const readClock = async () => {
    const row = (await control.query('select at, done from luoshi_test_clock where id = 1')).rows[0];
    return { at: Number(row.at), done: Number(row.done) === 1 };
  };
  const clock = new VirtualClock((await readClock()).at);
  const engine = createEngine({ store, clock });
  process.stdout.write('ready\n');
  for (;;) {
    await control.query('select pg_advisory_lock_shared($1)', [CLOCK_LOCK]);
    let fired = 0;
    let done = false;
    try {
      const now = await readClock();
      done = now.done;
      if (now.at > clock.now()) clock.advanceTo(now.at);
      if (!done) fired = await engine.runDueTimers();
    } finally {
      await control.query('select pg_advisory_unlock_shared($1)', [CLOCK_LOCK]);
    }
    if (done) break;
    if (fired === 0) await sleep(3);
  }
  await engine.close();
  await control.end();
  process.stdout.write('done\n');
} catch (error) {
  process.stderr.write(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
