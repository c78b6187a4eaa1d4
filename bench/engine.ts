/*
 * Engine benchmark: durable event throughput on the Kysely SQLite store against the raw ceiling
 * (live XState actors + bare better-sqlite3, 64 events per transaction), single-event latency at a
 * steady 1,000 events/s, unit lifecycles against bpmn-engine, and heap per live instance. All
 * figures come from this one run; the last line printed is one JSON object with them.
 *
 *   npm run bench:engine                 the benchmark (about 1 minute)
 *   npm run bench:engine -- --profile    the same, then CPU, allocation and SQL profiles of the
 *                                        durable run and of lifecycles (kept in the temp dir)
 *   npm run bench:engine -- --quick      smaller sizes, to check the bench runs (not for figures)
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '@luoshi/engine';
import { createKyselyStore } from '@luoshi/store-kysely';
import { concurrentRounds, pacedLatency, roundsFor, total, type LatencyResult, type LatencySample, type ThroughputResult } from './lib/durable.js';
import { bpmnLifecycles, LIFECYCLE_TASKS, luoshiLifecycles } from './lib/lifecycle.js';
import { measureMemory } from './lib/memory.js';
import {
  allocationProfile,
  cpuProfile,
  observeGc,
  traceStatements,
  type AllocationSummary,
  type CpuSummary,
  type GcPause,
  type SlowStatement,
  type StatementCount,
} from './lib/profile.js';
import { assertSameAsStore, CEILING_PER_TRANSACTION, openRawSqlite, rawInputs, snapshotBytes, startLiveActors } from './lib/raw-ceiling.js';
import { deployProcesses, SEED_IN_PHASE, seedClock, startSeedCampaign } from './lib/seed-campaign.js';
import { int, round, since } from './lib/stats.js';

// --quick shrinks what takes time (not the shapes: same units, members and rates) to check the
// bench runs end to end; its figures are not the benchmark's.
const quick = process.argv.includes('--quick');
const profiling = process.argv.includes('--profile');
const UNITS = 500;
const MEMBERS = 5;
const EVENTS = quick ? 3_000 : 24_000;
const REPS = 3;
const WARMUP_ROUNDS = 2;
const KEYED_ROUNDS = quick ? 2 : 10;
const LATENCY_RATE = 1_000;
const LATENCY_SECONDS = quick ? 1 : 3;
const LIFECYCLE_SECONDS = quick ? 1 : 4;
const LIFECYCLE_CONCURRENCY = 32;
const BPMN_SECONDS = quick ? 1 : 3;
const BPMN_CONCURRENCY = 4;
const MEMORY_UNITS = quick ? 1_000 : 10_000;
const MEMORY_MEMBERS = 3;

const began = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'luoshi-bench-'));
const log = (line = ''): void => void process.stdout.write(`${line}\n`);
const rate = (r: ThroughputResult): string => `${int(r.eventsPerSec).padStart(7)}/s  (${int(r.events)} events in ${int(r.ms)} ms)`;
const cpu = cpus();

log(`Luoshi engine benchmark — node ${process.version}, ${cpu.length} CPUs (${cpu[0]?.model ?? '?'})${quick ? ' — QUICK: smaller sizes, not figures to record' : ''}`);

try {
  // Durable: seed 002 over 500 units × 5 members on a SQLite file, in 组织实施.
  const t = performance.now();
  const store = await createKyselyStore({ sqlite: join(dir, 'durable.db') });
  const clock = seedClock();
  const engine = createEngine({ store, clock });
  await deployProcesses(engine);
  const { instanceIds, timersFired } = await startSeedCampaign(engine, clock, UNITS, MEMBERS);
  log(`\nSetup: seed 002 (机关作风建设年) over ${UNITS} units × ${MEMBERS} members on a SQLite file, clock moved to 2010-06-15 (${int(timersFired)} timers fired) in ${int(since(t))} ms`);
  const inputs = await rawInputs(store, instanceIds);

  // Durable and raw runs take turns (REPS times, same rounds of the same events each), so load on
  // this shared machine that comes and goes weighs on both sides of the ratio alike. The raw
  // ceiling's two parts are timed apart: the live actors' sends, then the SQL writes of the row
  // texts those sends produced.
  const rounds = roundsFor(EVENTS / REPS, instanceIds.length);
  await concurrentRounds(engine, instanceIds, MEMBERS, WARMUP_ROUNDS, 0);
  const actors = startLiveActors(inputs);
  const warm = actors.run(MEMBERS, WARMUP_ROUNDS, 0, SEED_IN_PHASE);
  const sqliteDb = openRawSqlite(dir, warm.rows, CEILING_PER_TRANSACTION);
  sqliteDb.run(warm.rows, 1_000);
  const runs = { durable: [] as ThroughputResult[], xstate: [] as ThroughputResult[], sqlite: [] as ThroughputResult[] };
  let round0 = WARMUP_ROUNDS;
  let rows = warm.rows;
  for (let rep = 0; rep < REPS; rep++, round0 += rounds) {
    runs.durable.push(await concurrentRounds(engine, instanceIds, MEMBERS, rounds, round0));
    const x = actors.run(MEMBERS, rounds, round0, SEED_IN_PHASE);
    rows = x.rows;
    runs.xstate.push(x);
    runs.sqlite.push(sqliteDb.run(rows, x.events));
  }
  actors.stop();
  sqliteDb.close();
  await assertSameAsStore(store, instanceIds, rows);
  const durable = total(runs.durable);
  const xstate = total(runs.xstate);
  const sqlite = total(runs.sqlite);
  const keyed = await concurrentRounds(engine, instanceIds, MEMBERS, KEYED_ROUNDS, round0, { idempotencyKeys: true });
  round0 += KEYED_ROUNDS;
  const ceiling = 1 / (1 / xstate.eventsPerSec + 1 / sqlite.eventsPerSec);
  const snapshotSize = snapshotBytes(rows);
  log(`\nDurable events: score.given / complaint.verified, rounds of ${instanceIds.length} concurrent sends (one per instance), SQLite WAL, synchronous=NORMAL`);
  log(`  engine.send                                  ${rate(durable)}`);
  log(`  (engine.send with idempotency keys           ${rate(keyed)})`);
  log(`\nRaw ceiling: live XState actors + better-sqlite3, ${CEILING_PER_TRANSACTION} per transaction (same compiled machine, snapshots and events)`);
  log(`  XState, live actors: send+persist+JSON       ${rate(xstate)}`);
  log(`  better-sqlite3, ${CEILING_PER_TRANSACTION} events/transaction        ${rate(sqlite)}  snapshot ${int(snapshotSize)} B`);
  log(`  ceiling 1/(1/x + 1/s)                        ${int(ceiling).padStart(7)}/s   → engine / raw ceiling ${(durable.eventsPerSec / ceiling).toFixed(2)}`);

  // Latency at a steady offered load, after a second of the same load to settle.
  await pacedLatency(engine, instanceIds, MEMBERS, LATENCY_RATE, 1, round0);
  round0 += Math.ceil(LATENCY_RATE / instanceIds.length);
  const latency = await pacedLatency(engine, instanceIds, MEMBERS, LATENCY_RATE, LATENCY_SECONDS, round0);
  round0 += Math.ceil((LATENCY_RATE * LATENCY_SECONDS) / instanceIds.length);
  log(`\nLatency of one send at ${int(LATENCY_RATE)} events/s offered for ${LATENCY_SECONDS} s (achieved ${int(latency.achievedPerSec)}/s, ${int(latency.samples)} samples)`);
  log(`  send → resolved   p50 ${ms(latency.p50Ms)}   p90 ${ms(latency.p90Ms)}   p99 ${ms(latency.p99Ms)}   p99.9 ${ms(latency.p999Ms)}   max ${ms(latency.maxMs)}`);
  log(`  (due → resolved, counting sends the busy thread issued late: p99 ${ms(latency.p99FromScheduleMs)}, max ${ms(latency.maxFromScheduleMs)})`);

  // Lifecycles: start + 10 task.completed to `ended`, durable on SQLite; bpmn-engine in memory.
  const lifecycleStore = await createKyselyStore({ sqlite: join(dir, 'lifecycle.db') });
  const lifecycles = await luoshiLifecycles(lifecycleStore, LIFECYCLE_SECONDS, LIFECYCLE_CONCURRENCY, 'L');
  const bpmn = await bpmnLifecycles(BPMN_SECONDS, BPMN_CONCURRENCY, true);
  const bpmnFromXml = await bpmnLifecycles(BPMN_SECONDS / 2, BPMN_CONCURRENCY, false);
  log(`\nLifecycles: start a one-unit campaign + ${LIFECYCLE_TASKS} task.completed until ended`);
  log(`  Luoshi, SQLite file, ${LIFECYCLE_CONCURRENCY} at once                ${int(lifecycles.lifecyclesPerSec).padStart(7)}/s  (${int(lifecycles.lifecycles)} in ${int(lifecycles.ms)} ms)`);
  log(`  bpmn-engine, in memory, parsed once, ${BPMN_CONCURRENCY} at once  ${int(bpmn.lifecyclesPerSec).padStart(7)}/s  (${int(bpmn.lifecycles)} in ${int(bpmn.ms)} ms)`);
  log(`  (bpmn-engine parsing the XML each time     ${int(bpmnFromXml.lifecyclesPerSec).padStart(7)}/s)`);

  // Memory per live instance, in a child Node with --expose-gc.
  const memory = await measureMemory(MEMORY_UNITS, MEMORY_MEMBERS);
  log(`\nMemory: seed 002 started over ${int(memory.units)} units × ${memory.members} members on the memory store; heap growth after full GCs`);
  log(`  engine (default cache) + memory store       ${kb(memory.kbPerLiveInstance)} per instance`);
  log(`    memory store alone (cacheSize 0)          ${kb(memory.kbStoreOnly)}  (snapshot JSON string, start history row, timers, records)`);
  log(`    engine cache of parsed snapshots          ${kb(memory.kbEngineCache)}`);
  log(`  moved into 组织实施 (not the target's measure: each instance has ${memory.historyRowsInPhase} history rows and a ${int(memory.snapshotCharsInPhase)}-char snapshot)`);
  log(`    engine (default cache) + memory store     ${kb(memory.kbInPhase)} per instance`);
  log(`    memory store alone (cacheSize 0)          ${kb(memory.kbInPhaseStoreOnly)}`);
  log(`    engine cache of parsed snapshots          ${kb(memory.kbInPhase - memory.kbInPhaseStoreOnly)}`);
  log(`  snapshot JSON at start ${int(memory.snapshotChars)} chars, ${int(memory.snapshotUtf8Bytes)} B UTF-8; ${Math.round(memory.twoByteSnapshots * 100)}% are two-byte (UTF-16) strings in V8`);

  const ratioToRawCeiling = durable.eventsPerSec / ceiling;
  const ratioToBpmnEngine = lifecycles.lifecyclesPerSec / bpmn.lifecyclesPerSec;
  const targets = [
    { name: 'durable events/s', value: int(durable.eventsPerSec), target: '≥ 10,000', met: durable.eventsPerSec >= 10_000 },
    { name: 'ratio to raw ceiling', value: ratioToRawCeiling.toFixed(2), target: '≥ 0.7', met: ratioToRawCeiling >= 0.7 },
    { name: 'p99 at 1,000/s', value: ms(latency.p99Ms), target: '≤ 2 ms', met: latency.p99Ms <= 2 },
    { name: 'lifecycles/s', value: int(lifecycles.lifecyclesPerSec), target: '≥ 1,000', met: lifecycles.lifecyclesPerSec >= 1_000 },
    { name: 'ratio to bpmn-engine', value: ratioToBpmnEngine.toFixed(1), target: '≥ 5', met: ratioToBpmnEngine >= 5 },
    { name: 'KB per live instance', value: memory.kbPerLiveInstance.toFixed(2), target: '≤ 10', met: memory.kbPerLiveInstance <= 10 },
  ];
  log('\nTargets');
  for (const x of targets) log(`  ${x.met ? 'met   ' : 'MISSED'}  ${x.name.padEnd(22)} ${x.value.padStart(10)}   target ${x.target}`);

  let profiled: Record<string, number> = {};
  if (profiling) profiled = await profileAll(engine, instanceIds, round0);
  await engine.close();
  await lifecycleStore.close();

  const totalSeconds = since(began) / 1000;
  log(`\nTotal ${totalSeconds.toFixed(1)} s`);
  log(
    JSON.stringify({
      durableEventsPerSec: round(durable.eventsPerSec, 0),
      rawCeilingEventsPerSec: round(ceiling, 0),
      ratioToRawCeiling: round(ratioToRawCeiling, 3),
      p99Ms: round(latency.p99Ms, 3),
      lifecyclesPerSec: round(lifecycles.lifecyclesPerSec, 0),
      bpmnEngineLifecyclesPerSec: round(bpmn.lifecyclesPerSec, 1),
      ratioToBpmnEngine: round(ratioToBpmnEngine, 2),
      kbPerLiveInstance: round(memory.kbPerLiveInstance, 2),
      rawCeiling: `live XState actors + better-sqlite3, ${CEILING_PER_TRANSACTION} per transaction`,
      rawXstateLiveActorEventsPerSec: round(xstate.eventsPerSec, 0),
      rawSqliteGroupedEventsPerSec: round(sqlite.eventsPerSec, 0),
      durableEventsPerSecWithIdempotencyKeys: round(keyed.eventsPerSec, 0),
      durableEvents: durable.events,
      units: UNITS,
      members: MEMBERS,
      snapshotBytes: round(snapshotSize, 0),
      p50Ms: round(latency.p50Ms, 3),
      p90Ms: round(latency.p90Ms, 3),
      p999Ms: round(latency.p999Ms, 3),
      p99FromScheduleMs: round(latency.p99FromScheduleMs, 3),
      maxLatencyMs: round(latency.maxMs, 3),
      latencyAchievedPerSec: round(latency.achievedPerSec, 0),
      lifecycleConcurrency: LIFECYCLE_CONCURRENCY,
      bpmnEngineConcurrency: BPMN_CONCURRENCY,
      bpmnEngineFromXmlLifecyclesPerSec: round(bpmnFromXml.lifecyclesPerSec, 1),
      kbStoreOnly: round(memory.kbStoreOnly, 2),
      kbEngineCache: round(memory.kbEngineCache, 2),
      kbPerInstanceInPhase: round(memory.kbInPhase, 2),
      kbStoreOnlyInPhase: round(memory.kbInPhaseStoreOnly, 2),
      memoryUnits: memory.units,
      ...profiled,
      targetsMet: Object.fromEntries(targets.map((x) => [x.name, x.met])),
      node: process.version,
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? '',
      totalSeconds: round(totalSeconds, 1),
      ...(quick ? { quick: true } : {}),
    }),
  );
} finally {
  // A profiling run keeps its .cpuprofile files (open them in Chrome DevTools) and drops the rest.
  if (!profiling) rmSync(dir, { recursive: true, force: true });
  else for (const file of readdirSync(dir)) if (!file.endsWith('.cpuprofile')) rmSync(join(dir, file), { force: true });
}

function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}

function kb(value: number): string {
  return `${value.toFixed(2)} KB`;
}

/** Profiles more of the same durable events, then lifecycles; prints the summaries, returns headline figures. */
async function profileAll(engine: Engine, instanceIds: readonly string[], round0: number): Promise<Record<string, number>> {
  const events = (n: number) => n * instanceIds.length;
  let r = round0;
  const next = (n: number) => {
    const from = r;
    r += n;
    return () => concurrentRounds(engine, instanceIds, MEMBERS, n, from);
  };
  const cpuEvents = await cpuProfile(events(20), next(20), join(dir, 'durable.cpuprofile'));
  const allocations = await allocationProfile(events(10), next(10));
  const statements = await traceStatements(events(5), next(5));
  log(`\nPROFILE of durable events (profiled runs are slower: ${int(cpuEvents.result.eventsPerSec)}/s under the CPU profiler)`);
  printCpu(cpuEvents.summary, 'event');
  printAllocations(allocations, 'event');
  printStatements(statements.counts, 'event');

  // Latency again, watching GC pauses and slow statements (WAL checkpoints run inside `commit`).
  const watched = await observeGc(() =>
    traceStatements(LATENCY_RATE * LATENCY_SECONDS, () => pacedLatency(engine, instanceIds, MEMBERS, LATENCY_RATE, LATENCY_SECONDS, r), 1),
  );
  r += Math.ceil((LATENCY_RATE * LATENCY_SECONDS) / instanceIds.length);
  printLatencyCauses(watched.result.result, watched.result.slow, watched.pauses);

  const store = await createKyselyStore({ sqlite: join(dir, 'lifecycle-profile.db') });
  let lifecycles = 0;
  const cpuLifecycles = await cpuProfile(
    1,
    async () => {
      lifecycles = (await luoshiLifecycles(store, 2, LIFECYCLE_CONCURRENCY, 'P')).lifecycles + 1;
    },
    join(dir, 'lifecycles.cpuprofile'),
  );
  const lifecycleSummary = { ...cpuLifecycles.summary, units: lifecycles };
  const rescaled = rescale(lifecycleSummary, lifecycles);
  const lifecycleStatements = (
    await traceStatements(1, async () => {
      lifecycles = (await luoshiLifecycles(store, 1, LIFECYCLE_CONCURRENCY, 'Q')).lifecycles + 1;
    })
  ).counts;
  await store.close();
  log(`\nPROFILE of lifecycles (${int(lifecycles)} lifecycles in the SQL count)`);
  printCpu(rescaled, 'lifecycle');
  printStatements(
    lifecycleStatements.map((s) => ({ ...s, perUnit: s.perUnit / lifecycles, usPerUnit: s.usPerUnit / lifecycles })),
    'lifecycle',
  );
  log(`\nCPU profiles kept in ${dir} (durable.cpuprofile, lifecycles.cpuprofile)`);
  return {
    profiledCpuUsPerEvent: round(cpuEvents.summary.activeUsPerUnit, 1),
    profiledKbAllocatedPerEvent: round(allocations.kbPerUnit, 1),
    profiledCpuUsPerLifecycle: round(rescaled.activeUsPerUnit, 1),
  };
}

function rescale(s: CpuSummary, units: number): CpuSummary {
  const per = (c: { name: string; perUnit: number; share: number }) => ({ ...c, perUnit: c.perUnit / units });
  return { ...s, units, activeUsPerUnit: s.activeUsPerUnit / units, areas: s.areas.map(per), inclusive: s.inclusive.map(per), topSelf: s.topSelf.map(per) };
}

function num(n: number): string {
  return n.toFixed(1).padStart(8);
}

function pct(n: number): string {
  return `${(n * 100).toFixed(1).padStart(5)}%`;
}

function printCpu(s: CpuSummary, unit: string): void {
  log(`  CPU: ${s.activeUsPerUnit.toFixed(1)} µs per ${unit} (${int(s.units)} ${unit}s, ${int(s.wallMs)} ms sampled)`);
  log(`  self time by area (µs/${unit}, share):`);
  for (const a of s.areas.filter((x) => x.share >= 0.004)) log(`  ${num(a.perUnit)} ${pct(a.share)}  ${a.name}`);
  log('  inclusive time (synchronous part) of:');
  for (const f of s.inclusive) log(`  ${num(f.perUnit)} ${pct(f.share)}  ${f.name}`);
  log('  top functions by self time:');
  for (const f of s.topSelf) log(`  ${num(f.perUnit)} ${pct(f.share)}  ${f.name}`);
}

function printAllocations(s: AllocationSummary, unit: string): void {
  log(`  Allocated: ${s.kbPerUnit.toFixed(1)} KB per ${unit} (sampled, including objects already collected)`);
  for (const a of s.areas.filter((x) => x.share >= 0.01)) log(`  ${num(a.perUnit)} KB ${pct(a.share)}  ${a.name}`);
  log('  top allocating functions:');
  for (const f of s.topSelf.slice(0, 15)) log(`  ${num(f.perUnit)} KB ${pct(f.share)}  ${f.name}`);
}

/** Which slow sends overlapped a GC pause or a slow statement (a WAL checkpoint inside `commit`), and the rest. */
function printLatencyCauses(latency: LatencyResult, slow: readonly SlowStatement[], pauses: readonly GcPause[]): void {
  // A send's window runs from when it was due to when it resolved: a send issued late because the
  // thread was busy (in a checkpointing commit, say) is charged to what kept it busy.
  const overlaps = (s: LatencySample, x: { at: number; ms: number }) => x.at < s.at + s.ms && x.at + x.ms > s.due;
  const over = latency.raw.filter((s) => s.ms > 2);
  const byGc = over.filter((s) => pauses.some((g) => g.ms >= 0.5 && overlaps(s, g)));
  const bySql = over.filter((s) => slow.some((q) => overlaps(s, q)));
  const neither = over.filter((s) => !byGc.includes(s) && !bySql.includes(s));
  const sum = (xs: readonly { ms: number }[]) => xs.reduce((t, x) => t + x.ms, 0);
  const max = (xs: readonly { ms: number }[]) => xs.reduce((m, x) => Math.max(m, x.ms), 0);
  const seconds = LATENCY_SECONDS;
  log(`\nPROFILE of latency at ${int(LATENCY_RATE)}/s (again, watched): p50 ${ms(latency.p50Ms)}, p99 ${ms(latency.p99Ms)}, max ${ms(latency.maxMs)}`);
  log(`  GC pauses: ${pauses.length} in ${seconds} s, ${ms(sum(pauses))} in all, ${pauses.filter((p) => p.ms >= 1).length} of ≥ 1 ms, longest ${ms(max(pauses))}`);
  const bySqlText = new Map<string, SlowStatement[]>();
  for (const q of slow) bySqlText.set(q.sql, [...(bySqlText.get(q.sql) ?? []), q]);
  for (const [sql, qs] of bySqlText) log(`  statements ≥ 1 ms: ${qs.length} × "${sql.slice(0, 60)}", ${ms(sum(qs))} in all, longest ${ms(max(qs))}`);
  log(`  sends slower than 2 ms: ${over.length} of ${latency.samples} (${((over.length / latency.samples) * 100).toFixed(1)}%)`);
  log(`    due or running during a GC pause ≥ 0.5 ms: ${byGc.length}; during a statement ≥ 1 ms: ${bySql.length}; neither: ${neither.length}`);
}

function printStatements(s: readonly StatementCount[], unit: string): void {
  log(`  SQL statements per ${unit}: how many, and µs inside better-sqlite3 for all of them:`);
  for (const q of s) log(`  ${q.perUnit.toFixed(3).padStart(8)}  ${num(q.usPerUnit)} µs  ${q.sql.length > 150 ? `${q.sql.slice(0, 150)}…` : q.sql}`);
}
