import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { validateProcessPaths } from '@luoshi/dsl';
import { createEngine, sampleOrganisation, VirtualClock, type HistoryRecord, type HostEvent } from '@luoshi/engine';
import { createKyselyStore, type KyselyStore } from '@luoshi/store-kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresTestDatabase } from '../packages/store-kysely/test/support/postgres-test-database.js';
import { root, shanghai } from './support/campaign-harness.js';

/*
 * Several engine processes on one PostgreSQL database: seed 002 over 200 units runs through its year
 * once with one timer worker and once with three, one of which is killed (SIGKILL) midway. The test
 * is the only one that moves the clock, event by event: it sets the shared clock row to the earliest
 * due timer, waits until no timer due by then is left, and moves on; host events are sent at fixed
 * clock times while the workers are held off. So every event's `at` is the same in both runs and
 * the histories must be equal.
 */

const UNITS = 200;
const MEMBERS = 3;
const CAMPAIGN = 'zf';
const CLOCK_LOCK = 4242;
const WORKER = join(root, 'test/support/timer-worker.mjs');
const WEIGHTED = ['单位自评', '支部互评', '季度评比检查', '抽查评议得分', '社会评议得分', '满意度得分'];

const one = new PostgresTestDatabase('multi worker one');
const three = new PostgresTestDatabase('multi worker three');
afterAll(async () => {
  await Promise.all([one.drop(), three.drop()]);
});

interface ScriptedEvent {
  readonly key: string;
  readonly at: number;
  readonly instanceId: string;
  readonly event: HostEvent;
}

/** Host events at fixed times: most units mobilise and report, a third are scored, so the year has completions, overdue tasks, ladders and ranks. */
function hostEvents(): ScriptedEvent[] {
  const units = Array.from({ length: UNITS }, (_, i) => ({ n: i + 1, id: `u${String(i + 1).padStart(2, '0')}` }));
  const events: ScriptedEvent[] = [];
  const add = (iso: string, unit: string, event: HostEvent) =>
    events.push({ key: `e-${events.length}`, at: shanghai(iso), instanceId: `${CAMPAIGN}/${unit}`, event });
  for (const task of ['动员大会', '制定实施方案']) add('2010-05-20T10:00:00', 'office', { type: 'task.completed', task });
  for (const u of units) if (u.n % 7 !== 0) add('2010-05-20T10:00:00', u.id, { type: 'task.completed', task: '支部组织动员' });
  for (const u of units) if (u.n % 5 !== 0) add('2010-06-10T09:00:00', u.id, { type: 'report.submitted', task: '党员先锋岗报送' });
  for (const u of units.filter((u) => u.n % 3 === 0)) {
    for (const evaluation of WEIGHTED) add('2010-10-20T09:00:00', u.id, { type: 'score.given', evaluation, score: 60 + (u.n % 40) });
    for (let m = 1; m <= MEMBERS; m++)
      add('2010-10-20T09:00:00', u.id, { type: 'score.given', evaluation: '党员自评', member: `${u.id}-m${m}`, score: 50 + ((u.n + m) % 50) });
  }
  return events;
}

interface RunResult {
  readonly histories: ReadonlyMap<string, readonly HistoryRecord[]>;
  readonly outbox: readonly { readonly id: string; readonly effect: string }[];
  readonly timersLeft: number;
  readonly steps: number;
  readonly killed?: { readonly step: number; readonly inTransaction: boolean };
  readonly seconds: number;
}

/** Spawns a timer worker and resolves once it has connected. */
function startWorker(url: string, name: string, failures: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [WORKER, url, name], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL') failures.push(`${name} exited with ${code ?? signal}: ${stderr}`);
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.on('exit', () => reject(new Error(`${name} exited before it was ready: ${stderr}`)));
  });
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));

/**
 * Runs the campaign's year with `workers` timer workers on a fresh database; with `killAtStep`,
 * SIGKILLs the first worker at that clock step, while it is inside a transaction if that happens
 * within a few seconds.
 */
async function runYear(database: PostgresTestDatabase, workers: number, killAtStep?: number): Promise<RunResult> {
  const started = performance.now();
  const url = await database.fresh();
  const store: KyselyStore = await createKyselyStore({ url });
  const start = shanghai('2010-04-01T00:00:00');
  const clock = new VirtualClock(start);
  const engine = createEngine({ store, clock });
  await engine.deploy(validateProcessPaths([join(root, 'processes')]));
  await engine.startCampaign({ process: '机关作风建设年', organisation: sampleOrganisation(UNITS, MEMBERS), campaignId: CAMPAIGN });
  const control = new pg.Client({ connectionString: url });
  control.on('error', () => undefined);
  await control.connect();
  await control.query('create table luoshi_test_clock (id integer primary key, at bigint not null, done integer not null)');
  await control.query('insert into luoshi_test_clock values (1, $1, 0)', [start]);

  const failures: string[] = [];
  const children = await Promise.all(Array.from({ length: workers }, (_, i) => startWorker(url, `luoshi-worker-${i}`, failures)));
  const events = hostEvents();
  // Events of one time, by instance: one instance's in order, instances side by side.
  const eventsAt = new Map<number, Map<string, ScriptedEvent[]>>();
  for (const e of events) {
    const byInstance = eventsAt.get(e.at) ?? eventsAt.set(e.at, new Map()).get(e.at)!;
    byInstance.set(e.instanceId, [...(byInstance.get(e.instanceId) ?? []), e]);
  }
  const eventTimes = [...eventsAt.keys()].sort((a, b) => a - b);
  let killed: RunResult['killed'];
  let steps = 0;

  /** Moves the shared clock while no worker is in a round; `whileHeld` runs before the workers may go on. */
  const setClock = async (at: number, whileHeld?: () => Promise<void>) => {
    await control.query('select pg_advisory_lock($1)', [CLOCK_LOCK]);
    try {
      await control.query('update luoshi_test_clock set at = $1 where id = 1', [at]);
      if (at > clock.now()) clock.advanceTo(at);
      await whileHeld?.();
    } finally {
      await control.query('select pg_advisory_unlock($1)', [CLOCK_LOCK]);
    }
  };
  const dueCount = async () => Number((await control.query('select count(*) as n from timers where due_at <= $1', [clock.now()])).rows[0].n);
  const settle = async () => {
    const deadline = performance.now() + 60_000;
    while ((await dueCount()) > 0) {
      if (failures.length > 0) throw new Error(failures.join('\n'));
      if (performance.now() > deadline) throw new Error(`timers due by ${new Date(clock.now()).toISOString()} did not all fire`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  try {
    for (;;) {
      const timerAt = await engine.nextTimerAt();
      const eventAt = eventTimes[0];
      if (timerAt === undefined && eventAt === undefined) break;
      steps++;
      if (eventAt === undefined || (timerAt !== undefined && timerAt <= eventAt)) {
        // Timers first, then the host events of the same time (if any), in both runs.
        await setClock(timerAt as number);
        if (killAtStep !== undefined && killed === undefined && steps >= killAtStep)
          killed = await killInTransaction(control, children[0] as ChildProcess, steps);
      } else {
        eventTimes.shift();
        // Sent while the workers are held off, so no timer fires between two events of one instance.
        await setClock(eventAt, async () => {
          await Promise.all(
            [...(eventsAt.get(eventAt) as Map<string, ScriptedEvent[]>).values()].map(async (list) => {
              for (const e of list) await engine.send(e.instanceId, e.event, { idempotencyKey: e.key });
            }),
          );
        });
      }
      await settle();
    }
    await control.query('update luoshi_test_clock set done = 1 where id = 1');
    await Promise.all(children.map(exited));
    if (failures.length > 0) throw new Error(failures.join('\n'));

    const histories = new Map<string, HistoryRecord[]>();
    for (const instance of await store.listInstances(CAMPAIGN)) histories.set(instance.id, await store.history(instance.id));
    const outbox = (await control.query('select id, effect from outbox order by id')).rows as { id: string; effect: string }[];
    const timersLeft = Number((await control.query('select count(*) as n from timers')).rows[0].n);
    return { histories, outbox, timersLeft, steps, ...(killed ? { killed } : {}), seconds: (performance.now() - started) / 1000 };
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(children.map(exited));
    await control.end();
    await engine.close();
  }
}

/** SIGKILLs `child` as soon as one of its connections is inside a transaction (or after 5 s regardless). */
async function killInTransaction(control: pg.Client, child: ChildProcess, step: number): Promise<{ step: number; inTransaction: boolean }> {
  const deadline = performance.now() + 5_000;
  let inTransaction = false;
  while (!inTransaction && performance.now() < deadline) {
    const { rows } = await control.query(
      "select count(*) as n from pg_stat_activity where application_name = 'luoshi-worker-0' and xact_start is not null and state <> 'idle'",
    );
    inTransaction = Number(rows[0].n) > 0;
  }
  child.kill('SIGKILL');
  await exited(child);
  return { step, inTransaction };
}

/** Every timer an instance's history shows fired, as `instance key dueAt`, with how often. */
function firedTimers(histories: ReadonlyMap<string, readonly HistoryRecord[]>): Map<string, number> {
  const fired = new Map<string, number>();
  for (const [instanceId, history] of histories)
    for (const entry of history) {
      if (entry.cause !== 'timer' && entry.cause !== 'ranking') continue;
      const event = JSON.parse(entry.event) as { key?: string; dueAt?: number; ranking?: string };
      const id = entry.cause === 'timer' ? `${instanceId} ${event.key} ${event.dueAt}` : `${instanceId} ranking:${event.ranking}`;
      fired.set(id, (fired.get(id) ?? 0) + 1);
    }
  return fired;
}

describe('given seed 002 over 200 units on one PostgreSQL database', () => {
  it('when three timer workers share it and one is killed midway, then every timer fires exactly once and every history equals a single worker’s', { timeout: 240_000 }, async () => {
    const single = await runYear(one, 1);
    const killAt = Math.ceil(single.steps / 2);
    const shared = await runYear(three, 3, killAt);
    console.info(
      `multi-worker: ${single.steps} clock steps; one worker ${single.seconds.toFixed(1)} s, three workers ${shared.seconds.toFixed(1)} s; ` +
        `worker 0 killed at step ${shared.killed?.step} ${shared.killed?.inTransaction ? 'inside a transaction' : 'between transactions'}`,
    );

    expect(shared.killed?.step).toBeGreaterThanOrEqual(killAt);
    expect(single.histories.size).toBe(UNITS + 1);
    expect(single.timersLeft).toBe(0);
    expect(shared.timersLeft).toBe(0);

    const firedOnce = firedTimers(single.histories);
    const firedShared = firedTimers(shared.histories);
    expect(firedOnce.size).toBeGreaterThan(UNITS * 10);
    expect([...firedShared.values()].every((count) => count === 1)).toBe(true);
    expect([...firedOnce.values()].every((count) => count === 1)).toBe(true);
    expect([...firedShared.keys()].sort()).toEqual([...firedOnce.keys()].sort());
    // The year did more than fire timers: host events, ranks and escalations are in it.
    const causes = new Set([...single.histories.values()].flatMap((h) => h.map((e) => e.cause)));
    expect([...causes].sort()).toEqual(['host', 'ranking', 'start', 'timer']);

    for (const [instanceId, history] of single.histories) expect(shared.histories.get(instanceId), instanceId).toEqual(history);
    expect(new Set(shared.outbox.map((o) => o.id)).size).toBe(shared.outbox.length);
    expect(shared.outbox).toEqual(single.outbox);
  });
});
