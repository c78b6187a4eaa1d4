/*
 * PostgreSQL benchmark: starts a throwaway PostgreSQL (bench/lib/pg-server.ts, deleted on exit).
 *
 * Lifecycles against DBOS Transact, on the same server in one run: 3 worker processes of each side
 * (bench/lib/pg-lifecycle-child.ts), 32 lifecycles at once in each, taking turns (Luoshi, DBOS, Luoshi,
 * DBOS). A Luoshi lifecycle is a one-unit campaign started and its ten tasks completed (durable sends
 * to an engine on the Kysely store); a DBOS lifecycle a workflow of ten durable steps run to its
 * result. ratioToDbos = Luoshi's lifecycles/s over DBOS's (bench/lib/figures.ts).
 *
 * Timer claims: creates due timers through the Kysely store (`replaceTimers`), then 3 worker processes each
 * call `KyselyStore.claimDueTimers(until, batch)` until nothing is left — in batches of 50, then 1 at a
 * time on a smaller set — and checks that no timer was claimed twice and none was lost. This measures
 * the store's claim path (`delete … where (instance_id, key) in (select … for update skip locked)
 * returning`); the engine does not yet claim its timers through it.
 * The last line printed is one JSON object with every figure.
 *
 *   npm run bench:pg      (about a minute)
 *   npm run bench:pg -- --fast-server   the server with fsync, synchronous_commit, full_page_writes
 *                                       off (as the tests run it), for comparison
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, VirtualClock } from '@luoshi/engine';
import { createKyselyStore, type KyselyStore } from '@luoshi/store-kysely';
import { sql } from 'kysely';
import { ratioToDbos } from './lib/figures.js';
import { LIFECYCLE_DEFINITION, LIFECYCLE_TASKS } from './lib/lifecycle.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from './lib/pg-server.js';
import { int, round, since } from './lib/stats.js';

const WORKERS = 3;
const BATCH = 50;
const TIMERS = 200_000;
const SINGLE_TIMERS = 15_000;
const TIMERS_PER_INSTANCE = 100;
const TARGET_PER_SEC = 20_000;
const DUE0 = Date.UTC(2010, 5, 14, 16);
/** Lifecycles in flight in each worker process, and seconds per turn; turns per side. */
const LIFECYCLE_CONCURRENCY = 32;
const LIFECYCLE_SECONDS = 5;
const LIFECYCLE_TURNS = 2;
const DBOS_TARGET_RATIO = 2;

const fastServer = process.argv.includes('--fast-server');
const began = performance.now();
const log = (line = ''): void => void process.stdout.write(`${line}\n`);
const cpu = cpus();
const dir = mkdtempSync(join(tmpdir(), 'luoshi-bench-pg-out-'));
const children: ChildProcess[] = [];
let server: ThrowawayPostgres | undefined;

const cleanup = (): void => {
  for (const c of children) if (c.exitCode === null) c.kill();
  server?.stop();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    cleanup();
    process.exit(130);
  });

log(`Luoshi PostgreSQL benchmark — node ${process.version}, ${cpu.length} CPUs (${cpu[0]?.model ?? '?'})`);

interface ClaimRun {
  readonly timers: number;
  readonly batch: number;
  readonly claimed: number;
  readonly calls: number;
  readonly ms: number;
  readonly perSec: number;
  readonly perWorker: readonly number[];
  readonly duplicates: number;
  readonly lost: number;
  readonly left: number;
}

try {
  const t0 = performance.now();
  // pg_stat_statements counts the statements each side sends (round trips), for what bounds the ratio.
  const statements = '-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all';
  server = await startThrowawayPostgres(`${statements}${fastServer ? ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off' : ''}`);
  const store = await createKyselyStore({ url: server.url, maxConnections: 4 });
  await sql`create extension pg_stat_statements`.execute(store.db);
  log(`\nServer: PostgreSQL 15, throwaway, 127.0.0.1, ${fastServer ? 'fsync / synchronous_commit / full_page_writes off' : 'default settings (fsync and synchronous_commit on)'}; up and migrated in ${int(since(t0))} ms`);

  // What one round trip costs now (one statement, one connection): on a busy machine, the waits to be scheduled.
  const rttStart = performance.now();
  for (let i = 0; i < 200; i++) await sql`select 1`.execute(store.db);
  const rttMs = since(rttStart) / 200;
  log(`  a round trip (select 1, one connection): ${rttMs.toFixed(3)} ms`);

  // Lifecycles: Luoshi's workers on an engine each, DBOS's on its own system tables of the same server.
  const deployer = createEngine({ store, clock: new VirtualClock(DUE0) });
  await deployer.deploy([LIFECYCLE_DEFINITION]);
  const luoshiWorkers = await Promise.all(Array.from({ length: WORKERS }, () => startChild('pg-lifecycle-child.ts', ['luoshi', server!.url])));
  // The first DBOS process creates its system tables; the others start once they are there.
  const dbosWorkers = [await startChild('pg-lifecycle-child.ts', ['dbos', server!.url])];
  dbosWorkers.push(...(await Promise.all(Array.from({ length: WORKERS - 1 }, () => startChild('pg-lifecycle-child.ts', ['dbos', server!.url])))));
  const lifecycleTurns = { luoshi: [] as LifecycleTurn[], dbos: [] as LifecycleTurn[] };
  for (let turn = 0; turn < LIFECYCLE_TURNS + 1; turn++) {
    // The first turn of each side warms it up and is not counted.
    const l = await lifecycleTurn(store, luoshiWorkers, `l${turn}-`);
    const d = await lifecycleTurn(store, dbosWorkers, `d${turn}-`);
    if (turn === 0) continue;
    lifecycleTurns.luoshi.push(l);
    lifecycleTurns.dbos.push(d);
  }
  for (const w of [...luoshiWorkers, ...dbosWorkers]) w.disconnect();
  const perSec = (turns: readonly LifecycleTurn[]) => turns.reduce((s, t) => s + t.lifecycles, 0) / (turns.reduce((s, t) => s + t.ms, 0) / 1000);
  const lifecyclesPerSec = perSec(lifecycleTurns.luoshi);
  const dbosLifecyclesPerSec = perSec(lifecycleTurns.dbos);
  const dbosRatio = ratioToDbos(lifecyclesPerSec, dbosLifecyclesPerSec);
  const eventsPerSec = lifecyclesPerSec * LIFECYCLE_TASKS;
  log(`\nLifecycles: ${WORKERS} worker processes a side, ${LIFECYCLE_CONCURRENCY} at once in each, ${LIFECYCLE_TURNS} turns of ${LIFECYCLE_SECONDS} s a side, taking turns`);
  log(`  Luoshi (start + ${LIFECYCLE_TASKS} task.completed)    ${lifecyclesPerSec.toFixed(1).padStart(8)} /s   per turn ${lifecycleTurns.luoshi.map((t) => t.perSec.toFixed(1)).join(' / ')}`);
  log(`  DBOS (workflow of ${LIFECYCLE_TASKS} durable steps)   ${dbosLifecyclesPerSec.toFixed(1).padStart(8)} /s   per turn ${lifecycleTurns.dbos.map((t) => t.perSec.toFixed(1)).join(' / ')}`);
  log(`  ratioToDbos                              ${dbosRatio.toFixed(2).padStart(8)}`);
  const per = (turns: readonly LifecycleTurn[], pick: (t: LifecycleTurn) => number) => turns.reduce((s, t) => s + pick(t), 0) / turns.reduce((s, t) => s + t.lifecycles, 0);
  const bounds = {
    luoshi: { statements: per(lifecycleTurns.luoshi, (t) => t.statements), commits: per(lifecycleTurns.luoshi, (t) => t.commits), cpuMs: per(lifecycleTurns.luoshi, (t) => t.cpuMs) },
    dbos: { statements: per(lifecycleTurns.dbos, (t) => t.statements), commits: per(lifecycleTurns.dbos, (t) => t.commits), cpuMs: per(lifecycleTurns.dbos, (t) => t.cpuMs) },
  };
  log(`  per lifecycle, Luoshi: ${bounds.luoshi.statements.toFixed(1)} statements, ${bounds.luoshi.commits.toFixed(2)} commits, ${bounds.luoshi.cpuMs.toFixed(2)} ms CPU in the workers`);
  log(`                 DBOS: ${bounds.dbos.statements.toFixed(1)} statements, ${bounds.dbos.commits.toFixed(2)} commits, ${bounds.dbos.cpuMs.toFixed(2)} ms CPU in the workers`);
  log(`  durable events/s in Luoshi's lifecycles  ${int(eventsPerSec).padStart(8)}   (${LIFECYCLE_TASKS} task.completed each; the starts not counted)`);

  const workers = await Promise.all(Array.from({ length: WORKERS }, () => startChild('pg-claim-child.ts', [server!.url])));

  const batched = await claimRun(store, workers, 'b', TIMERS, BATCH);
  const single = await claimRun(store, workers, 's', SINGLE_TIMERS, 1);

  for (const w of workers) w.disconnect();
  await store.close();

  const print = (name: string, r: ClaimRun): void => {
    log(`  ${name.padEnd(28)} ${int(r.perSec).padStart(7)} timers/s  (${int(r.claimed)} of ${int(r.timers)} in ${int(r.ms)} ms, ${int(r.calls)} calls; per worker ${r.perWorker.map(int).join(' / ')})`);
    log(`  ${''.padEnd(28)} duplicates ${r.duplicates}, lost ${r.lost}, left in the table ${r.left}`);
  };
  log(`\nClaims: ${WORKERS} worker processes, each calling claimDueTimers(until, n) until it returns nothing`);
  print(`batches of ${BATCH}`, batched);
  print('one at a time', single);

  const targets = [
    { name: 'ratioToDbos', value: dbosRatio.toFixed(2), target: `≥ ${DBOS_TARGET_RATIO}`, met: dbosRatio >= DBOS_TARGET_RATIO },
    { name: `timers/s, ${WORKERS} workers, batch ${BATCH}`, value: int(batched.perSec), target: `≥ ${int(TARGET_PER_SEC)}`, met: batched.perSec >= TARGET_PER_SEC },
    { name: 'no duplicate, none lost', value: `${batched.duplicates + single.duplicates} / ${batched.lost + single.lost}`, target: '0 / 0', met: batched.duplicates + single.duplicates + batched.lost + single.lost === 0 },
  ];
  log('\nTargets');
  for (const x of targets) log(`  ${x.met ? 'met   ' : 'MISSED'}  ${x.name.padEnd(30)} ${x.value.padStart(10)}   target ${x.target}`);

  cleanup();
  const totalSeconds = since(began) / 1000;
  log(`\nTotal ${totalSeconds.toFixed(1)} s`);
  log(
    JSON.stringify({
      lifecyclesPerSec: round(lifecyclesPerSec, 1),
      dbosLifecyclesPerSec: round(dbosLifecyclesPerSec, 1),
      ratioToDbos: round(dbosRatio, 2),
      durableEventsPerSec: round(eventsPerSec, 0),
      lifecycleTurnsPerSec: { luoshi: lifecycleTurns.luoshi.map((t) => round(t.perSec, 1)), dbos: lifecycleTurns.dbos.map((t) => round(t.perSec, 1)) },
      lifecycleConcurrency: LIFECYCLE_CONCURRENCY * WORKERS,
      roundTripMs: round(rttMs, 3),
      statementsPerLifecycle: round(bounds.luoshi.statements, 1),
      commitsPerLifecycle: round(bounds.luoshi.commits, 2),
      cpuMsPerLifecycle: round(bounds.luoshi.cpuMs, 2),
      dbosCpuMsPerLifecycle: round(bounds.dbos.cpuMs, 2),
      dbosStatementsPerLifecycle: round(bounds.dbos.statements, 1),
      dbosCommitsPerLifecycle: round(bounds.dbos.commits, 2),
      claimsPerSecBatched: round(batched.perSec, 0),
      claimsPerSecSingle: round(single.perSec, 0),
      workers: WORKERS,
      batchSize: BATCH,
      timers: TIMERS,
      singleTimers: SINGLE_TIMERS,
      duplicates: batched.duplicates + single.duplicates,
      lost: batched.lost + single.lost,
      batchedMs: round(batched.ms, 0),
      singleMs: round(single.ms, 0),
      batchedCalls: batched.calls,
      singleCalls: single.calls,
      batchedPerWorker: batched.perWorker,
      singlePerWorker: single.perWorker,
      serverSettings: fastServer ? 'fsync=off synchronous_commit=off full_page_writes=off' : 'default',
      targetsMet: Object.fromEntries(targets.map((x) => [x.name, x.met])),
      node: process.version,
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? '',
      totalSeconds: round(totalSeconds, 1),
    }),
  );
} catch (error) {
  cleanup();
  throw error;
}

/** A child process (`bench/lib/<file>`), once it says it is ready. */
function startChild(file: string, args: readonly string[]): Promise<ChildProcess> {
  const path = fileURLToPath(new URL(`./lib/${file}`, import.meta.url));
  const child = fork(path, [...args], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', (m: { error?: string }) => (m.error ? reject(new Error(`${file}: ${m.error}`)) : resolve(child)));
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

interface LifecycleTurn {
  readonly lifecycles: number;
  readonly ms: number;
  readonly perSec: number;
  /** Statements the server ran during the turn (pg_stat_statements), and transactions it committed. */
  readonly statements: number;
  readonly commits: number;
  /** CPU time of the side's worker processes during the turn (not the server's), ms. */
  readonly cpuMs: number;
}

/**
 * One turn of a side: every worker runs lifecycles at once for LIFECYCLE_SECONDS; wall time from go
 * to the last answer. The server's statement and commit counts are read around it (the other side is
 * idle meanwhile; the reads themselves are a handful).
 */
async function lifecycleTurn(store: KyselyStore, workers: readonly ChildProcess[], prefix: string): Promise<LifecycleTurn> {
  const committed = async () => Number((await sql<{ n: string }>`select sum(xact_commit) as n from pg_stat_database`.execute(store.db)).rows[0]?.n ?? 0);
  await sql`select pg_stat_statements_reset()`.execute(store.db);
  const commits0 = await committed();
  const start = performance.now();
  const results = await Promise.all(
    workers.map(
      (w, n) =>
        new Promise<{ lifecycles: number; cpuMs: number }>((resolve, reject) => {
          w.once('message', (m: { result?: { lifecycles: number; cpuMs: number }; error?: string }) => (m.result ? resolve(m.result) : reject(new Error(`lifecycle worker ${n}: ${m.error}`))));
          w.send({ go: { seconds: LIFECYCLE_SECONDS, concurrency: LIFECYCLE_CONCURRENCY, prefix: `${prefix}w${n}-` } });
        }),
    ),
  );
  const ms = since(start);
  const lifecycles = results.reduce((s, r) => s + r.lifecycles, 0);
  const cpuMs = results.reduce((s, r) => s + r.cpuMs, 0);
  // pg_stat_database's counters are sent by backends when idle, within half a second.
  await new Promise((resolve) => setTimeout(resolve, 600));
  const commits = (await committed()) - commits0;
  const statements = Number((await sql<{ n: string }>`select sum(calls) as n from pg_stat_statements`.execute(store.db)).rows[0]?.n ?? 0);
  return { lifecycles, ms, perSec: lifecycles / (ms / 1000), statements, commits, cpuMs };
}

/** Creates `count` due timers (instances of 100 keys each, due times spread over a day), through the store. */
async function seedTimers(store: KyselyStore, prefix: string, count: number): Promise<number> {
  const instances = Math.ceil(count / TIMERS_PER_INSTANCE);
  const perTransaction = 50;
  let until = DUE0;
  const jobs: number[] = [];
  for (let first = 0; first < instances; first += perTransaction) jobs.push(first);
  const one = async (first: number): Promise<void> => {
    await store.transaction(async (tx) => {
      for (let i = first; i < Math.min(instances, first + perTransaction); i++) {
        const n = Math.min(TIMERS_PER_INSTANCE, count - i * TIMERS_PER_INSTANCE);
        const timers = Array.from({ length: n }, (_, k) => {
          const dueAt = DUE0 + (((i * TIMERS_PER_INSTANCE + k) * 7_919) % 86_400_000);
          return { instanceId: `${prefix}/i${i}`, key: `t${k}`, dueAt };
        });
        for (const t of timers) if (t.dueAt > until) until = t.dueAt;
        await tx.patchTimers(`${prefix}/i${i}`, timers, []);
      }
    });
  };
  // Four transactions at a time (the store's pool has four connections).
  for (let j = 0; j < jobs.length; j += 4) await Promise.all(jobs.slice(j, j + 4).map(one));
  return until;
}

async function countTimers(store: KyselyStore): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`select count(*) as n from timers`.execute(store.db);
  return Number(rows[0]?.n ?? 0);
}

async function claimRun(store: KyselyStore, workers: readonly ChildProcess[], prefix: string, timers: number, batch: number): Promise<ClaimRun> {
  const t = performance.now();
  const until = await seedTimers(store, prefix, timers);
  const seeded = await countTimers(store);
  if (seeded !== timers) throw new Error(`seeded ${seeded} timers, expected ${timers}`);
  await sql`analyze timers`.execute(store.db);
  log(`\nSeeded ${int(timers)} due timers through the store in ${int(since(t))} ms`);
  const start = performance.now();
  const results = await Promise.all(
    workers.map(
      (w, n) =>
        new Promise<{ claimed: number; calls: number; ms: number; out: string }>((resolve, reject) => {
          const out = join(dir, `${prefix}-${n}.txt`);
          w.once('message', (m: { result?: { claimed: number; calls: number; ms: number }; error?: string }) =>
            m.result ? resolve({ ...m.result, out }) : reject(new Error(`worker ${n}: ${m.error}`)),
          );
          w.send({ go: { until, batch, out } });
        }),
    ),
  );
  const ms = since(start);
  const seen = new Set<string>();
  let claimed = 0;
  let duplicates = 0;
  for (const r of results) {
    const text = readFileSync(r.out, 'utf8');
    if (text === '') continue;
    for (const line of text.split('\n')) {
      claimed++;
      if (seen.has(line)) duplicates++;
      else seen.add(line);
    }
  }
  for (let i = 0; i < Math.ceil(timers / TIMERS_PER_INSTANCE); i++) {
    // Every seeded key must have been claimed by someone.
    const n = Math.min(TIMERS_PER_INSTANCE, timers - i * TIMERS_PER_INSTANCE);
    for (let k = 0; k < n; k++) if (!seen.has(`${prefix}/i${i}\tt${k}`)) seen.add(`lost:${i}:${k}`);
  }
  const lost = [...seen].filter((s) => s.startsWith('lost:')).length;
  const left = await countTimers(store);
  return {
    timers,
    batch,
    claimed,
    calls: results.reduce((s, r) => s + r.calls, 0),
    ms,
    perSec: claimed / (ms / 1000),
    perWorker: results.map((r) => r.claimed),
    duplicates,
    lost,
    left,
  };
}
