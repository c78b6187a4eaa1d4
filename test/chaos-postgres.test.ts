import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '@luoshi/engine';
import { createKyselyStore } from '@luoshi/store-kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from './support/campaign-harness.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from './support/postgres-server.js';

/*
 * Chaos on PostgreSQL (故障演练): a real `luoshi serve` takes a steady load of events over HTTP
 * while (1) every backend is terminated, three times, (2) the server is stopped `-m immediate`
 * and started again (crash recovery) after a few seconds, (3) the serve process is SIGKILLed and
 * started again. The clients do what a client should: every event has its own idempotency key,
 * and a 503 or a lost connection is answered by sending the same request again. Afterwards every
 * event that got a 2xx is in its instance's history exactly once, no idempotency key or effect id
 * is there twice, every instance replays to its stored snapshot, and the server answered 503 (it
 * did not crash) while the database was down. The test owns its PostgreSQL server: it is the only
 * one that stops it. No step waits for a time to pass: each waits for events to succeed again
 * (with a generous bound), so a slow machine makes it slower, not flaky.
 */

const bin = join(root, 'packages/cli/bin/luoshi.js');
const UNITS = 12;
/**
 * Units only the `luoshi send` commands write to: an event sent by another process at the same
 * moment as one through serve may be dated a few ms before it and be refused as time running
 * backwards (ENGINE_TIME_BACKWARDS), which is not what this suite is about.
 */
const CLI_UNITS = ['c01', 'c02'];
const CLIENTS = 4;
const TOKEN = 'chaos-admin';
/** The seed process moved to next year: its deadlines lie ahead, so no timer changes what events may do while the test runs. */
const YEAR = new Date().getUTCFullYear() + 1;
/** Longest wait for the load to make progress again after a blow (a bound, not an expectation). */
const RECOVERY_BOUND_MS = 30_000;
/** How long the database stays down: longer than the store's 2 s of retries, so requests meet the outage. */
const OUTAGE_MS = 4_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let server: ThrowawayPostgres | undefined;
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  server?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function luoshi(...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8' } });
  expect(run.stderr, args.join(' ')).toBe('');
  expect(run.status, args.join(' ')).toBe(0);
}

/** A running `luoshi serve`: its address, what it wrote to stderr, and how it ended. */
interface ServeChild {
  readonly child: ChildProcess;
  readonly url: string;
  stderr(): string;
  /** How it ended, if it did, unless the test ended it (`kill`). */
  crashed(): string | undefined;
  /** Ends it with `signal` (not a crash). */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

async function startServe(databaseUrl: string, users: string): Promise<ServeChild> {
  const child = spawn(process.execPath, [bin, 'serve', '--url', databaseUrl, '--port', '0', '--users', users, '--tick', '250'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LANG: 'en_US.UTF-8' },
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /Luoshi API on (http:\/\/[^\s/]+)/.exec(out);
      if (found?.[1]) resolve(found[1]);
    });
    child.once('exit', (code, signal) => reject(new Error(`serve exited (${code ?? signal}) before listening: ${stderr}`)));
  });
  let ended: string | undefined;
  let killing = false;
  child.once('exit', (code, signal) => {
    if (!killing) ended = `serve exited (${code ?? signal}): ${stderr}`;
  });
  return {
    child,
    url,
    stderr: () => stderr,
    crashed: () => ended,
    kill: (signal) => {
      killing = true;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      return exited;
    },
  };
}

/** What the clients saw. */
class Load {
  readonly acked = new Map<string, string>(); // idempotency key → instance id, for every 2xx
  readonly statuses = new Map<number, number>();
  networkErrors = 0;
  unavailableWhileDown = 0;
  databaseDown = false;
  url: string | undefined;
  serve: ServeChild | undefined;
  #stopped = false;
  #sequence = 0;
  #clients: Promise<void>[] = [];

  start(): void {
    this.#clients = Array.from({ length: CLIENTS }, (_, client) => this.#client(client));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#clients);
  }

  /** Resolves once `count` more events have succeeded, or rejects after `RECOVERY_BOUND_MS`. */
  async progress(count: number, what: string): Promise<void> {
    const target = this.acked.size + count;
    const deadline = Date.now() + RECOVERY_BOUND_MS;
    while (this.acked.size < target) {
      const crashed = this.serve?.crashed();
      if (crashed !== undefined) throw new Error(`no progress ${what}: ${crashed}`);
      if (Date.now() > deadline) {
        const log = this.serve?.stderr().slice(-2000) ?? '';
        throw new Error(`no progress ${what}: ${this.acked.size}/${target} events acknowledged; statuses ${JSON.stringify([...this.statuses])}; serve's stderr: ${log}`);
      }
      await pause(50);
    }
  }

  async #client(client: number): Promise<void> {
    while (!this.#stopped) {
      const n = this.#sequence++;
      const unit = `u${String((n % UNITS) + 1).padStart(2, '0')}`;
      const key = `ev-${client}-${n}`;
      // The same request again until it gets an answer that is not "try later".
      for (;;) {
        const base = this.url;
        if (base === undefined) {
          await pause(50);
          continue;
        }
        let status: number;
        try {
          const response = await fetch(`${base}/v1/instances/zf%2F${unit}/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify({ type: 'complaint.verified', member: `${unit}-m1` }),
            signal: AbortSignal.timeout(20_000),
          });
          status = response.status;
          await response.arrayBuffer();
        } catch {
          this.networkErrors++;
          await pause(100);
          continue;
        }
        this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
        if (status === 503) {
          if (this.databaseDown) this.unavailableWhileDown++;
          await pause(100);
          continue;
        }
        if (status >= 200 && status < 300) this.acked.set(key, `zf/${unit}`);
        break;
      }
    }
  }
}

/** `luoshi send` of one event in a child process: how it ended. */
function cliSend(databaseUrl: string, unit: string, key: string): Promise<{ readonly code: number | null; readonly signal: string | null; readonly stderr: string }> {
  const event = JSON.stringify({ type: 'complaint.verified', member: `${unit}-m1` });
  const child = spawn(process.execPath, [bin, 'send', `zf/${unit}`, event, '--actor', '督查员', '--key', key, '--url', databaseUrl], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LANG: 'en_US.UTF-8' },
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stderr })));
}

/** Ends every client connection to the server but the caller's; returns how many. */
async function terminateBackends(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ ended: boolean }>(
      "select pg_terminate_backend(pid) as ended from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()",
    );
    return rows.filter((r) => r.ended).length;
  } finally {
    await client.end();
  }
}

describe('chaos: luoshi serve on PostgreSQL under load', () => {
  it('when backends are terminated, the server crashes and restarts, and serve is killed, then every acknowledged event is stored once and every instance replays', async () => {
    server = await startThrowawayPostgres({ settings: '-c fsync=off -c full_page_writes=off -c max_connections=100', directoryPrefix: 'luoshi-chaos-' });
    const url = server.url;
    const dir = mkdtempSync(join(tmpdir(), 'luoshi-chaos-'));
    dirs.push(dir);
    cpSync(join(root, 'processes/subprocesses'), join(dir, 'processes/subprocesses'), { recursive: true });
    const seed = readFileSync(join(root, 'processes/002-jiguan-zuofeng.yaml'), 'utf8');
    expect(seed).toMatch(/^year: 2010$/m);
    writeFileSync(join(dir, 'processes/002-jiguan-zuofeng.yaml'), seed.replace(/^year: 2010$/m, `year: ${YEAR}`));
    const org = join(dir, 'org.json');
    const units = [...Array.from({ length: UNITS }, (_, i) => `u${String(i + 1).padStart(2, '0')}`), ...CLI_UNITS].map((id) => ({
      id,
      members: [{ id: `${id}-m1` }],
    }));
    writeFileSync(org, JSON.stringify({ id: 'office', units }));
    const users = join(dir, 'users.json');
    // The administrator role and every office-level role of seed 002 (who verifies complaints).
    writeFileSync(users, JSON.stringify({ [TOKEN]: { id: '督查员', roles: ['管理员', '领导小组', '市民政局党办', '市直机关党工委'] } }));
    luoshi('deploy', join(dir, 'processes'), '--url', url);
    luoshi('start', '机关作风建设年', '--org', org, '--campaign', 'zf', '--url', url);

    const load = new Load();
    let serving = await startServe(url, users);
    const firstServe = serving;
    load.serve = serving;
    load.url = serving.url;
    load.start();
    await load.progress(20, 'at the start');

    // (1) Every backend terminated, three rounds; in each, two `luoshi send --url` commands run
    // and the backends are terminated every 300 ms until both have ended, so a command may lose a
    // connection in use (which ones do depends on the machine's speed: only a crash fails).
    let terminated = 0;
    const sends: { code: number | null; signal: string | null; stderr: string }[] = [];
    for (let round = 0; round < 3; round++) {
      const running = [0, 1].map((i) => {
        const unit = CLI_UNITS[i] as string;
        const key = `cli-${round}-${i}`;
        return cliSend(url, unit, key).then((ended) => {
          sends.push(ended);
          if (ended.code === 0) load.acked.set(key, `zf/${unit}`);
          return ended;
        });
      });
      let ended = false;
      void Promise.all(running).then(() => (ended = true));
      while (!ended) {
        terminated += await terminateBackends(url);
        await pause(300);
      }
      await load.progress(20, `after terminating backends (round ${round + 1})`);
    }
    // Each command either did its work or said why not, with a code and exit 1: never a crash.
    for (const ended of sends) {
      if (ended.code === 0) continue;
      expect(ended.stderr).toMatch(/^(STORE_UNAVAILABLE|CLI_DATABASE_UNAVAILABLE) /);
      expect(ended.code).toBe(1);
    }

    // (2) The server stopped at once and started again; requests meanwhile get 503.
    server.crash();
    load.databaseDown = true;
    await pause(OUTAGE_MS);
    load.databaseDown = false;
    server.restart();
    await load.progress(20, 'after the database restarted');
    expect(firstServe.crashed()).toBeUndefined();

    // (3) serve killed and started again.
    load.url = undefined;
    load.serve = undefined;
    await serving.kill('SIGKILL');
    serving = await startServe(url, users);
    load.serve = serving;
    load.url = serving.url;
    await load.progress(20, 'after serve restarted');
    await load.stop();

    load.serve = undefined;
    expect(await serving.kill('SIGTERM')).toBe(0);

    // The stored state, read by an engine of this process.
    const engine: Engine = createEngine({ store: await createKyselyStore({ url }) });
    try {
      const seen = new Map<string, number>();
      let events = 0;
      for (const unit of units) {
        const instanceId = `zf/${unit.id}`;
        for (const entry of await engine.history(instanceId)) {
          if (entry.idempotencyKey === null) continue;
          events++;
          seen.set(`${instanceId} ${entry.idempotencyKey}`, (seen.get(`${instanceId} ${entry.idempotencyKey}`) ?? 0) + 1);
        }
        await engine.replay(instanceId);
      }
      const missing = [...load.acked].filter(([key, instanceId]) => seen.get(`${instanceId} ${key}`) !== 1);
      expect(missing, 'acknowledged events not stored exactly once').toEqual([]);
      expect([...seen.values()].filter((n) => n !== 1), 'keys stored twice').toEqual([]);
      const reader = new pg.Client({ connectionString: url });
      await reader.connect();
      const { rows } = await reader
        .query<{ total: string; distinct: string }>('select count(*) as total, count(distinct id) as distinct from outbox')
        .finally(() => reader.end());
      expect(Number(rows[0]?.distinct)).toBe(Number(rows[0]?.total));

      const counts = {
        acknowledged: load.acked.size,
        storedWithKey: events,
        effects: Number(rows[0]?.total),
        backendsTerminated: terminated,
        cliSends: sends.map((ended) => (ended.code === 0 ? 'ok' : ended.stderr.split(' ')[0])),
        statuses: Object.fromEntries(load.statuses),
        unavailableWhileDown: load.unavailableWhileDown,
        networkErrors: load.networkErrors,
      };
      console.log(`chaos-postgres: ${JSON.stringify(counts)}`);
      expect(load.unavailableWhileDown, 'the server answered 503 while the database was down').toBeGreaterThan(0);
      // Every answer was a success or "try later": never a 500, never a refusal of a good event.
      expect([...load.statuses.keys()].filter((s) => !(s >= 200 && s < 300) && s !== 503)).toEqual([]);
      expect(firstServe.stderr()).toContain('timers: a round failed');
    } finally {
      await engine.close();
    }
  }, 180_000);
});
