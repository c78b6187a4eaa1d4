/*
 * HTTP benchmark: Luoshi's HTTP cost against its floor, measured in one run under one load generator.
 * The same durable events as bench/engine.ts (seed 002 over 500 units × 5 members on the Kysely
 * SQLite store, 组织实施, score.given / complaint.verified), each turn measuring in order:
 *
 *   (a) direct       `engine.send`, rounds of one event per instance at once
 *   (e) in-process   `handler(request)`, the Fetch handler without sockets (requests built beforehand)
 *   (e0) Fetch alone the same calls of a Fetch handler that reads the body and answers the same text:
 *                    what a Request's body and a Response cost with nothing behind them
 *   (b) hello        a bare node:http server answering a JSON text of the same size, body drained
 *   (c) empty route  Luoshi's node:http adapter (`answerNode`) around a route that reads the body and
 *                    answers the same text: the adapter's floor, no engine
 *   (d) event route  `POST /v1/instances/:id/events` through `toNodeListener(createHandler(…))`
 *   and, as the adapters answered before they read Node's request directly, (c′) and (d′) through the
 *   Fetch bridge (`Request` in, `Response` out).
 *
 * Over HTTP a load generator in a child process (`bench/lib/http-load-child.ts`, keep-alive) runs a
 * closed loop over 250 connections. ratioToFloor = cost(d) / (cost(a) + cost(c)); handlerOverheadPct =
 * (cost(e) − cost(a)) / cost(a) × 100, a cost being wall time per event (bench/lib/figures.ts). Then the
 * latency of one event at a steady 1,000 events/s, direct and over HTTP. The last line printed is one
 * JSON object with every figure.
 *
 *   npm run bench:http                  (about 90 s)
 *   npm run bench:http -- --profile     then CPU profiles of (a), (e+), (d) and (c) per event, kept as .cpuprofile
 *   npm run bench:http -- --quick       one turn per path, to check it works (not for recording)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '@luoshi/engine';
import { createHandler, toNodeListener, type Handler } from '@luoshi/http';
import { createKyselyStore } from '@luoshi/store-kysely';
// The adapter's own entry, below the package's public surface: the empty route runs on exactly it.
import { answerNode } from '../packages/http/dist/node/bridge.js';
import { concurrentRounds, pacedLatency, total, type ThroughputResult } from './lib/durable.js';
import { costUs, handlerOverheadPct, ratioToFloor } from './lib/figures.js';
import type { LoadCommand, LoadResult, LoadSetup } from './lib/http-load-child.js';
import { cpuProfile, type CpuSummary } from './lib/profile.js';
import { allRoles, deployProcesses, seedClock, startSeedCampaign, workloadEvent } from './lib/seed-campaign.js';
import { int, round, since } from './lib/stats.js';

const UNITS = 500;
const MEMBERS = 5;
/** Rounds (one event per instance each) per turn; 16 × 500 = 8,000 events. */
const ROUNDS_PER_TURN = 16;
const QUICK = process.argv.includes('--quick');
/** Turns of every path; `--quick` (to check it works, not to record) takes one. */
const TURNS = QUICK ? 1 : 3;
const WARMUP_ROUNDS = 4;
/** HTTP connections of the closed loop; each owns UNITS / CONNECTIONS instances. */
const CONNECTIONS = 250;
const LATENCY_RATE = 1_000;
const LATENCY_SECONDS = 3;
const FLOOR_TARGET = 1.3;
const HANDLER_TARGET_PCT = 15;
const PROFILE = process.argv.includes('--profile');

const began = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'luoshi-bench-http-'));
const log = (line = ''): void => void process.stdout.write(`${line}\n`);
const cpu = cpus();
const ms = (value: number): string => `${value.toFixed(2)} ms`;

log(`Luoshi HTTP benchmark${QUICK ? ' (QUICK: one turn, not for recording)' : ''} — node ${process.version}, ${cpu.length} CPUs (${cpu[0]?.model ?? '?'})`);

/** One measured turn of one path: throughput, and CPU per event of this (server) process and of the load generator. */
interface Turn extends ThroughputResult {
  readonly serverCpuUs: number;
  readonly clientCpuUs: number;
  /** Over HTTP: the closed loop's latency (send → answer). */
  readonly p50Ms?: number;
  readonly p99Ms?: number;
}

let child: ChildProcess | undefined;
const servers: Server[] = [];
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
  // The floor servers answer what the event route answers: one real answer's text, made once.
  const answerText = JSON.stringify(await engine.send(instanceIds[0] as string, workloadEvent(0, 0, MEMBERS), { actor: 'bench' }));
  const answerHeaders = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(answerText)) };
  const hello: RequestListener = (req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(200, answerHeaders);
      res.end(answerText);
    });
  };
  const emptyRoute = (req: IncomingMessage, res: ServerResponse): void => {
    answerNode(
      async (incoming) => {
        await incoming.readBody(1024 * 1024);
        return { status: 200, headers: { 'content-type': answerHeaders['content-type'] }, body: answerText };
      },
      req,
      res,
    ).catch((error: unknown) => res.destroy(error as Error));
  };
  const emptyFetch: Handler = async (request) => {
    await request.arrayBuffer();
    return new Response(answerText, { status: 200, headers: { 'content-type': answerHeaders['content-type'] } });
  };
  // A handler createHandler did not make goes through the Fetch bridge, as every handler did before.
  const throughFetch: Handler = (request, context) => handler(request, context);
  const listen = async (listener: RequestListener): Promise<number> => {
    const server = createServer(listener);
    server.keepAliveTimeout = 60_000;
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  const ports = {
    hello: await listen(hello),
    empty: await listen(emptyRoute),
    luoshi: await listen(toNodeListener(handler)),
    emptyFetch: await listen(toNodeListener(emptyFetch)),
    luoshiFetch: await listen(toNodeListener(throughFetch)),
  };

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
  await ask({ setup: { port: ports.luoshi, instanceIds, members: MEMBERS } });

  let round0 = 1;
  /** One closed-loop turn of 16 × 500 requests against `port`; every answer must be 200. */
  const overHttp = async (port: number): Promise<Turn> => {
    const usage = process.cpuUsage();
    const result = await ask<LoadResult>({
      command: { kind: 'closed', connections: CONNECTIONS, stepsPerConnection: (ROUNDS_PER_TURN * UNITS) / CONNECTIONS, round0, port },
    });
    const used = process.cpuUsage(usage);
    round0 += ROUNDS_PER_TURN;
    if (result.errors > 0) throw new Error(`${result.errors} HTTP requests failed; first: ${result.firstError}`);
    return { ...result, serverCpuUs: (used.user + used.system) / result.events, clientCpuUs: result.clientCpuUsPerEvent };
  };
  const inProcess = async (rounds: number, timed: boolean, answer: Handler = handler): Promise<Turn> => {
    const usage = process.cpuUsage();
    let elapsed = 0;
    for (let r = round0; r < round0 + rounds; r++) {
      const build = () =>
        instanceIds.map(
          (id, u) =>
            new Request(`http://localhost/v1/instances/${encodeURIComponent(id)}/events`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(workloadEvent(r, u, MEMBERS)),
            }),
        );
      // (e) is the handler's cost: a Fetch host hands it a Request it has made. `timed` also times making them.
      const start = performance.now();
      const requests = build();
      const from = timed ? start : performance.now();
      const answers = await Promise.all(
        requests.map((request) =>
          answer(request).then(async (response) => {
            await response.arrayBuffer();
            return response.status;
          }),
        ),
      );
      elapsed += since(from);
      if (answers.some((status) => status !== 200)) throw new Error('an in-process handler call failed');
    }
    round0 += rounds;
    const used = process.cpuUsage(usage);
    const events = rounds * instanceIds.length;
    return { events, ms: elapsed, eventsPerSec: events / (elapsed / 1000), serverCpuUs: (used.user + used.system) / events, clientCpuUs: 0 };
  };
  const direct = async (rounds: number): Promise<Turn> => {
    const usage = process.cpuUsage();
    const result = await concurrentRounds(engine, instanceIds, MEMBERS, rounds, round0);
    const used = process.cpuUsage(usage);
    round0 += rounds;
    return { ...result, serverCpuUs: (used.user + used.system) / result.events, clientCpuUs: 0 };
  };

  const paths = {
    direct: { label: '(a) engine.send direct, 500 at once', run: () => direct(ROUNDS_PER_TURN) },
    handler: { label: '(e) handler(request) in process', run: () => inProcess(ROUNDS_PER_TURN, false) },
    handlerWithRequest: { label: '(e+) the same, making each Request too', run: () => inProcess(ROUNDS_PER_TURN, true) },
    fetchFloor: { label: '(e0) Fetch alone in process, no engine', run: () => inProcess(ROUNDS_PER_TURN, false, emptyFetch) },
    hello: { label: '(b) bare node:http hello', run: () => overHttp(ports.hello) },
    empty: { label: '(c) empty route, Luoshi adapter', run: () => overHttp(ports.empty) },
    http: { label: '(d) event route over HTTP', run: () => overHttp(ports.luoshi) },
    emptyFetch: { label: "(c') empty route, Fetch bridge", run: () => overHttp(ports.emptyFetch) },
    httpFetch: { label: "(d') event route, Fetch bridge", run: () => overHttp(ports.luoshiFetch) },
  } as const;
  type Path = keyof typeof paths;
  const names = Object.keys(paths) as Path[];

  // Warm-up of every path, then turns in which every path takes its turn.
  for (const name of names) await paths[name].run();
  const turns = new Map<Path, Turn[]>(names.map((n) => [n, []]));
  for (let turn = 0; turn < TURNS; turn++) for (const name of names) turns.get(name)?.push(await paths[name].run());
  const sum = (name: Path) => {
    const runs = turns.get(name) ?? [];
    const all = total(runs);
    const mean = (pick: (t: Turn) => number) => runs.reduce((s, t) => s + pick(t) * t.events, 0) / all.events;
    return { ...all, us: costUs(all.eventsPerSec), serverCpuUs: mean((t) => t.serverCpuUs), clientCpuUs: mean((t) => t.clientCpuUs), runs };
  };
  const figures = Object.fromEntries(names.map((n) => [n, sum(n)])) as Record<Path, ReturnType<typeof sum>>;
  const { direct: a, handler: e, handlerWithRequest: ePlus, fetchFloor: e0, hello: b, empty: c, http: d, emptyFetch: cFetch, httpFetch: dFetch } = figures;
  const floorRatio = ratioToFloor(d.us, a.us, c.us);
  const floorRatioFetch = ratioToFloor(dFetch.us, a.us, cFetch.us);
  const handlerPct = handlerOverheadPct(e.us, a.us);
  const handlerWithRequestPct = handlerOverheadPct(ePlus.us, a.us);
  const overheadPct = handlerOverheadPct(d.us, a.us);

  log(`\nThroughput: ${TURNS} turns of ${int(ROUNDS_PER_TURN * UNITS)} events per path, the paths taking turns; HTTP: ${CONNECTIONS} keep-alive connections`);
  log(`  ${'path'.padEnd(40)} ${'events/s'.padStart(9)} ${'µs/event'.padStart(9)} ${'server CPU'.padStart(11)} ${'client CPU'.padStart(11)}   per turn`);
  for (const name of names) {
    const f = figures[name];
    const cpuCol = (us: number) => (us > 0 ? `${us.toFixed(1)} µs` : '').padStart(11);
    log(`  ${paths[name].label.padEnd(40)} ${int(f.eventsPerSec).padStart(9)} ${f.us.toFixed(1).padStart(9)} ${cpuCol(f.serverCpuUs)} ${cpuCol(f.clientCpuUs)}   ${f.runs.map((r) => int(r.eventsPerSec)).join(' / ')}`);
  }
  log(`\n  ratioToFloor = d / (a + c) = ${d.us.toFixed(1)} / (${a.us.toFixed(1)} + ${c.us.toFixed(1)})   ${floorRatio.toFixed(3)}   (through the Fetch bridge: ${floorRatioFetch.toFixed(3)})`);
  log(`  handlerOverheadPct = (e − a) / a = (${e.us.toFixed(1)} − ${a.us.toFixed(1)}) / ${a.us.toFixed(1)}   ${handlerPct.toFixed(1)} %   (making each Request too: ${handlerWithRequestPct.toFixed(1)} %)`);
  log(`  of which the Fetch objects alone (e0): ${e0.us.toFixed(1)} µs per call, ${((e0.us / a.us) * 100).toFixed(1)} % of a direct send`);
  log(`  HTTP overhead per event (d − a) / a   ${overheadPct.toFixed(1)} %  (+${(d.us - a.us).toFixed(1)} µs; the floor alone, c, ${c.us.toFixed(1)} µs)`);

  // Latency of one event at a steady offered load (after one second of the same load to settle).
  const perRound = (seconds: number) => Math.ceil((LATENCY_RATE * seconds) / instanceIds.length);
  await pacedLatency(engine, instanceIds, MEMBERS, LATENCY_RATE, 1, round0);
  round0 += perRound(1);
  const directLatency = await pacedLatency(engine, instanceIds, MEMBERS, LATENCY_RATE, LATENCY_SECONDS, round0);
  round0 += perRound(LATENCY_SECONDS);
  const pacedCommand = (seconds: number): LoadCommand => ({ kind: 'paced', perSec: LATENCY_RATE, seconds, round0, connections: 64, port: ports.luoshi });
  await ask<LoadResult>({ command: pacedCommand(1) });
  round0 += perRound(1);
  const httpLatency = await ask<LoadResult>({ command: pacedCommand(LATENCY_SECONDS) });
  round0 += perRound(LATENCY_SECONDS);
  if (httpLatency.errors > 0) throw new Error(`${httpLatency.errors} paced HTTP events failed; first: ${httpLatency.firstError}`);
  const saturated = { p50Ms: median(d.runs.map((r) => r.p50Ms ?? NaN)), p99Ms: median(d.runs.map((r) => r.p99Ms ?? NaN)) };
  log(`\nLatency of one event at ${int(LATENCY_RATE)}/s offered for ${LATENCY_SECONDS} s (send → answer)`);
  log(`  engine.send direct   p50 ${ms(directLatency.p50Ms)}   p90 ${ms(directLatency.p90Ms)}   p99 ${ms(directLatency.p99Ms)}   p99.9 ${ms(directLatency.p999Ms)}   max ${ms(directLatency.maxMs)}`);
  log(`  HTTP (client child)  p50 ${ms(httpLatency.p50Ms)}   p90 ${ms(httpLatency.p90Ms)}   p99 ${ms(httpLatency.p99Ms)}   p99.9 ${ms(httpLatency.p999Ms)}   max ${ms(httpLatency.maxMs)}`);
  log(`  HTTP at saturation (${CONNECTIONS} in flight): p50 ${ms(saturated.p50Ms)}   p99 ${ms(saturated.p99Ms)}`);

  const targets = [
    { name: 'ratioToFloor', value: floorRatio.toFixed(3), target: `≤ ${FLOOR_TARGET}`, met: floorRatio <= FLOOR_TARGET },
    { name: 'handlerOverheadPct', value: `${handlerPct.toFixed(1)} %`, target: `≤ ${HANDLER_TARGET_PCT} %`, met: handlerPct <= HANDLER_TARGET_PCT },
  ];
  log('\nTargets');
  for (const x of targets) log(`  ${x.met ? 'met   ' : 'MISSED'}  ${x.name.padEnd(24)} ${x.value.padStart(10)}   target ${x.target}`);

  let profiles: Record<string, CpuSummary> | undefined;
  if (PROFILE) {
    const show = (name: string, s: CpuSummary): void => {
      log(`\nProfile: ${name} — ${s.activeUsPerUnit.toFixed(1)} µs of CPU per event (${s.file ?? ''})`);
      for (const x of s.areas.slice(0, 18)) log(`  ${x.perUnit.toFixed(1).padStart(7)} µs  ${(x.share * 100).toFixed(1).padStart(5)} %  ${x.name}`);
      log('  — by function (self)');
      for (const x of s.topSelf.slice(0, 18)) log(`  ${x.perUnit.toFixed(1).padStart(7)} µs  ${(x.share * 100).toFixed(1).padStart(5)} %  ${x.name}`);
    };
    const events = ROUNDS_PER_TURN * UNITS;
    const direct0 = await cpuProfile(events, () => direct(ROUNDS_PER_TURN), join(tmpdir(), 'luoshi-http-direct.cpuprofile'));
    const inproc = await cpuProfile(events, () => inProcess(ROUNDS_PER_TURN, true), join(tmpdir(), 'luoshi-http-handler.cpuprofile'));
    const server = await cpuProfile(events, () => overHttp(ports.luoshi), join(tmpdir(), 'luoshi-http-server.cpuprofile'));
    const empty = await cpuProfile(events, () => overHttp(ports.empty), join(tmpdir(), 'luoshi-http-empty.cpuprofile'));
    profiles = { direct: direct0.summary, handler: inproc.summary, server: server.summary, empty: empty.summary };
    show('(a) direct engine.send', direct0.summary);
    show('(e+) handler(request) in process, Requests made in the loop', inproc.summary);
    show('(d) the event route over HTTP, server process', server.summary);
    show('(c) the empty route over HTTP, server process', empty.summary);
  }

  loader.disconnect();
  for (const server of servers) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
  }
  await engine.close();
  const totalSeconds = since(began) / 1000;
  log(`\nTotal ${totalSeconds.toFixed(1)} s`);
  const cost = (f: { us: number; serverCpuUs: number; clientCpuUs: number }) => ({ us: round(f.us, 1), serverCpuUs: round(f.serverCpuUs, 1), clientCpuUs: round(f.clientCpuUs, 1) });
  log(
    JSON.stringify({
      ratioToFloor: round(floorRatio, 3),
      handlerOverheadPct: round(handlerPct, 1),
      ratioToFloorFetchBridge: round(floorRatioFetch, 3),
      handlerWithRequestOverheadPct: round(handlerWithRequestPct, 1),
      fetchAlonePctOfDirect: round((e0.us / a.us) * 100, 1),
      directEventsPerSec: round(a.eventsPerSec, 0),
      httpEventsPerSec: round(d.eventsPerSec, 0),
      handlerInProcessEventsPerSec: round(e.eventsPerSec, 0),
      helloRequestsPerSec: round(b.eventsPerSec, 0),
      emptyRouteRequestsPerSec: round(c.eventsPerSec, 0),
      httpFetchBridgeEventsPerSec: round(dFetch.eventsPerSec, 0),
      emptyRouteFetchBridgeRequestsPerSec: round(cFetch.eventsPerSec, 0),
      overheadPct: round(overheadPct, 1),
      overheadUsPerEvent: round(d.us - a.us, 1),
      costs: Object.fromEntries(names.map((n) => [n, cost(figures[n])])),
      p99Ms: round(httpLatency.p99Ms, 3),
      p50Ms: round(httpLatency.p50Ms, 3),
      p999Ms: round(httpLatency.p999Ms, 3),
      directP99Ms: round(directLatency.p99Ms, 3),
      directP50Ms: round(directLatency.p50Ms, 3),
      latencyRatePerSec: LATENCY_RATE,
      saturatedP50Ms: round(saturated.p50Ms, 3),
      saturatedP99Ms: round(saturated.p99Ms, 3),
      events: d.events,
      connections: CONNECTIONS,
      units: UNITS,
      members: MEMBERS,
      ...(QUICK ? { quick: true } : {}),
      targetsMet: Object.fromEntries(targets.map((x) => [x.name, x.met])),
      ...(profiles ? { profiledUsPerEvent: Object.fromEntries(Object.entries(profiles).map(([k, s]) => [k, round(s.activeUsPerUnit, 1)])) } : {}),
      node: process.version,
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? '',
      totalSeconds: round(totalSeconds, 1),
    }),
  );
} finally {
  if (child && child.connected) child.disconnect();
  child?.kill();
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
