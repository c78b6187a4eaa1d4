/*
 * HTTP benchmark: the same durable events as bench/engine.ts (seed 002 over 500 units × 5 members on
 * the Kysely SQLite store, 组织实施, score.given / complaint.verified) sent (a) by calling
 * `engine.send` directly and (b) through the HTTP API (`POST /v1/instances/:id/events`, node:http
 * adapter on 127.0.0.1, keep-alive) from a load generator in a child process. Direct and HTTP turns
 * alternate (three each, same number of events), so load on the shared machine weighs on both.
 * Then the latency of one event at a steady 1,000 events/s, direct and over HTTP.
 * The last line printed is one JSON object with every figure.
 *
 *   npm run bench:http      (about 40 s)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '@luoshi/engine';
import { createHandler, toNodeListener } from '@luoshi/http';
import { createKyselyStore } from '@luoshi/store-kysely';
import { concurrentRounds, pacedLatency, total, type ThroughputResult } from './lib/durable.js';
import type { LoadCommand, LoadResult, LoadSetup } from './lib/http-load-child.js';
import { allRoles, deployProcesses, seedClock, startSeedCampaign, workloadEvent } from './lib/seed-campaign.js';
import { int, round, since } from './lib/stats.js';

const UNITS = 500;
const MEMBERS = 5;
/** Rounds (one event per instance each) per turn; 16 × 500 = 8,000 events. */
const ROUNDS_PER_TURN = 16;
const TURNS = 3;
const WARMUP_ROUNDS = 4;
/** HTTP connections of the closed loop; each owns UNITS / CONNECTIONS instances. */
const CONNECTIONS = 250;
const LATENCY_RATE = 1_000;
const LATENCY_SECONDS = 3;
const OVERHEAD_TARGET_PCT = 30;

const began = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'luoshi-bench-http-'));
const log = (line = ''): void => void process.stdout.write(`${line}\n`);
const cpu = cpus();
const ms = (value: number): string => `${value.toFixed(2)} ms`;
const rate = (r: { eventsPerSec: number; events: number; ms: number }): string =>
  `${int(r.eventsPerSec).padStart(7)}/s  (${int(r.events)} events in ${int(r.ms)} ms)`;

log(`Luoshi HTTP benchmark — node ${process.version}, ${cpu.length} CPUs (${cpu[0]?.model ?? '?'})`);

let child: ChildProcess | undefined;
const server = createServer();
try {
  const t = performance.now();
  const store = await createKyselyStore({ sqlite: join(dir, 'http.db') });
  const clock = seedClock();
  const engine = createEngine({ store, clock });
  await deployProcesses(engine);
  const { instanceIds } = await startSeedCampaign(engine, clock, UNITS, MEMBERS);
  const roles = await allRoles(store);
  log(`\nSetup: seed 002 over ${UNITS} units × ${MEMBERS} members on a SQLite file, in 组织实施, in ${int(since(t))} ms`);

  const handler = createHandler({ engine, authenticate: async () => ({ id: 'bench', roles }) });
  server.on('request', toNodeListener(handler));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const childPath = fileURLToPath(new URL('./lib/http-load-child.ts', import.meta.url));
  const loader = fork(childPath, [], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child = loader;
  const ask = <T>(message: { setup?: LoadSetup; command?: LoadCommand }): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (answer: { ready?: boolean; result?: LoadResult; error?: string }) => {
        loader.off('exit', onExit);
        if (answer.error) reject(new Error(`load child: ${answer.error}`));
        else resolve((answer.result ?? answer) as T);
      };
      const onExit = (code: number | null) => reject(new Error(`load child exited with ${code}`));
      loader.once('message', onMessage);
      loader.once('exit', onExit);
      loader.send(message);
    });
  await ask({ setup: { port, instanceIds, members: MEMBERS } });
  const closedTurn = async (round0: number): Promise<LoadResult> => {
    const result = await ask<LoadResult>({
      command: { kind: 'closed', connections: CONNECTIONS, stepsPerConnection: (ROUNDS_PER_TURN * UNITS) / CONNECTIONS, round0 },
    });
    if (result.errors > 0) throw new Error(`${result.errors} HTTP events failed; first: ${result.firstError}`);
    return result;
  };

  // Warm-up on both paths, then turns taking turns: direct, HTTP, direct, HTTP, …
  let round0 = 0;
  await concurrentRounds(engine, instanceIds, MEMBERS, WARMUP_ROUNDS, round0);
  round0 += WARMUP_ROUNDS;
  await closedTurn(round0);
  round0 += ROUNDS_PER_TURN;
  // The handler alone, in process: a Fetch Request per event, no socket, no node:http bridge.
  const handlerRounds = async (rounds: number, from: number): Promise<ThroughputResult> => {
    const start = performance.now();
    for (let r = from; r < from + rounds; r++) {
      const answers = await Promise.all(
        instanceIds.map((id, u) =>
          handler(
            new Request(`http://localhost/v1/instances/${encodeURIComponent(id)}/events`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(workloadEvent(r, u, MEMBERS)),
            }),
          ).then(async (response) => {
            await response.arrayBuffer();
            return response.status;
          }),
        ),
      );
      if (answers.some((status) => status !== 200)) throw new Error('an in-process handler call failed');
    }
    const ms = since(start);
    const events = rounds * instanceIds.length;
    return { events, ms, eventsPerSec: events / (ms / 1000) };
  };
  await handlerRounds(WARMUP_ROUNDS, round0);
  round0 += WARMUP_ROUNDS;
  const directRuns: ThroughputResult[] = [];
  const handlerRuns: ThroughputResult[] = [];
  const httpRuns: LoadResult[] = [];
  for (let turn = 0; turn < TURNS; turn++) {
    directRuns.push(await concurrentRounds(engine, instanceIds, MEMBERS, ROUNDS_PER_TURN, round0));
    round0 += ROUNDS_PER_TURN;
    handlerRuns.push(await handlerRounds(ROUNDS_PER_TURN, round0));
    round0 += ROUNDS_PER_TURN;
    httpRuns.push(await closedTurn(round0));
    round0 += ROUNDS_PER_TURN;
  }
  const direct = total(directRuns);
  const http = total(httpRuns);
  const inProcess = total(handlerRuns);
  const handlerOverheadPct = ((1 / inProcess.eventsPerSec - 1 / direct.eventsPerSec) / (1 / direct.eventsPerSec)) * 100;
  const httpLatencies = {
    p50Ms: median(httpRuns.map((r) => r.p50Ms)),
    p99Ms: median(httpRuns.map((r) => r.p99Ms)),
    maxMs: Math.max(...httpRuns.map((r) => r.maxMs)),
  };
  const overheadPct = ((1 / http.eventsPerSec - 1 / direct.eventsPerSec) / (1 / direct.eventsPerSec)) * 100;
  const usPerEventDirect = 1e6 / direct.eventsPerSec;
  const usPerEventHttp = 1e6 / http.eventsPerSec;
  log(`\nThroughput: score.given / complaint.verified, ${TURNS} turns each of ${int(ROUNDS_PER_TURN * UNITS)} events, taking turns`);
  log(`  engine.send direct, rounds of ${UNITS} at once     ${rate(direct)}   ${usPerEventDirect.toFixed(1)} µs/event`);
  log(`  HTTP POST …/events, ${CONNECTIONS} keep-alive conns    ${rate(http)}   ${usPerEventHttp.toFixed(1)} µs/event`);
  log(`  (handler in process, Fetch Request, no socket  ${rate(inProcess)}   ${(1e6 / inProcess.eventsPerSec).toFixed(1)} µs/event, overhead ${handlerOverheadPct.toFixed(1)} %)`);
  log(`    per turn: direct ${directRuns.map((r) => int(r.eventsPerSec)).join(' / ')}; HTTP ${httpRuns.map((r) => int(r.eventsPerSec)).join(' / ')}`);
  log(`  HTTP overhead per event (1/http − 1/direct)/(1/direct)   ${overheadPct.toFixed(1)} %  (+${(usPerEventHttp - usPerEventDirect).toFixed(1)} µs)`);
  log(`  HTTP latency at saturation (${CONNECTIONS} in flight): p50 ${ms(httpLatencies.p50Ms)}   p99 ${ms(httpLatencies.p99Ms)}   max ${ms(httpLatencies.maxMs)}`);

  // Latency of one event at a steady offered load (after one second of the same load to settle).
  const perRound = (seconds: number) => Math.ceil((LATENCY_RATE * seconds) / instanceIds.length);
  await pacedLatency(engine, instanceIds, MEMBERS, LATENCY_RATE, 1, round0);
  round0 += perRound(1);
  const directLatency = await pacedLatency(engine, instanceIds, MEMBERS, LATENCY_RATE, LATENCY_SECONDS, round0);
  round0 += perRound(LATENCY_SECONDS);
  const pacedCommand = (seconds: number): LoadCommand => ({ kind: 'paced', perSec: LATENCY_RATE, seconds, round0, connections: 64 });
  await ask<LoadResult>({ command: pacedCommand(1) });
  round0 += perRound(1);
  const httpLatency = await ask<LoadResult>({ command: pacedCommand(LATENCY_SECONDS) });
  round0 += perRound(LATENCY_SECONDS);
  if (httpLatency.errors > 0) throw new Error(`${httpLatency.errors} paced HTTP events failed; first: ${httpLatency.firstError}`);
  log(`\nLatency of one event at ${int(LATENCY_RATE)}/s offered for ${LATENCY_SECONDS} s (send → answer)`);
  log(`  engine.send direct   p50 ${ms(directLatency.p50Ms)}   p90 ${ms(directLatency.p90Ms)}   p99 ${ms(directLatency.p99Ms)}   p99.9 ${ms(directLatency.p999Ms)}   max ${ms(directLatency.maxMs)}`);
  log(`  HTTP (client child)  p50 ${ms(httpLatency.p50Ms)}   p90 ${ms(httpLatency.p90Ms)}   p99 ${ms(httpLatency.p99Ms)}   p99.9 ${ms(httpLatency.p999Ms)}   max ${ms(httpLatency.maxMs)}`);

  const targets = [{ name: 'HTTP overhead per event', value: `${overheadPct.toFixed(1)} %`, target: `≤ ${OVERHEAD_TARGET_PCT} %`, met: overheadPct <= OVERHEAD_TARGET_PCT }];
  log('\nTargets');
  for (const x of targets) log(`  ${x.met ? 'met   ' : 'MISSED'}  ${x.name.padEnd(24)} ${x.value.padStart(10)}   target ${x.target}`);

  loader.disconnect();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await engine.close();
  const totalSeconds = since(began) / 1000;
  log(`\nTotal ${totalSeconds.toFixed(1)} s`);
  log(
    JSON.stringify({
      directEventsPerSec: round(direct.eventsPerSec, 0),
      httpEventsPerSec: round(http.eventsPerSec, 0),
      overheadPct: round(overheadPct, 1),
      overheadUsPerEvent: round(usPerEventHttp - usPerEventDirect, 1),
      handlerInProcessEventsPerSec: round(inProcess.eventsPerSec, 0),
      handlerInProcessOverheadPct: round(handlerOverheadPct, 1),
      p99Ms: round(httpLatency.p99Ms, 3),
      p50Ms: round(httpLatency.p50Ms, 3),
      p999Ms: round(httpLatency.p999Ms, 3),
      directP99Ms: round(directLatency.p99Ms, 3),
      directP50Ms: round(directLatency.p50Ms, 3),
      latencyRatePerSec: LATENCY_RATE,
      saturatedP50Ms: round(httpLatencies.p50Ms, 3),
      saturatedP99Ms: round(httpLatencies.p99Ms, 3),
      saturatedMaxMs: round(httpLatencies.maxMs, 3),
      directTurnsEventsPerSec: directRuns.map((r) => round(r.eventsPerSec, 0)),
      httpTurnsEventsPerSec: httpRuns.map((r) => round(r.eventsPerSec, 0)),
      events: http.events,
      connections: CONNECTIONS,
      units: UNITS,
      members: MEMBERS,
      targetsMet: Object.fromEntries(targets.map((x) => [x.name, x.met])),
      node: process.version,
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? '',
      totalSeconds: round(totalSeconds, 1),
    }),
  );
} finally {
  if (child && child.connected) child.disconnect();
  child?.kill();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
