/*
 * Child process of `bench/http.ts`: the HTTP load generator, in a process of its own so the client's
 * work is not on the server's thread. Driven over IPC: each message runs one measurement against
 * `POST /v1/instances/:id/events` on 127.0.0.1 with keep-alive connections and answers one
 * `LoadResult`.
 *
 *   { kind: 'closed', connections, stepsPerConnection, round0 }   closed loop: connection c owns the
 *     instances c, c + connections, …; it sends one event at a time (awaiting the answer), taking its
 *     instances in turn, so no two events of one instance are in flight together
 *   { kind: 'paced', perSec, seconds, round0, connections }       a timer loop offers `perSec` events
 *     per second (without awaiting), each to the next instance; records send → answer
 */
import { Agent, request } from 'node:http';
import { workloadEvent } from './seed-campaign.js';
import { quantile } from './stats.js';

export interface LoadSetup {
  readonly port: number;
  readonly instanceIds: readonly string[];
  readonly members: number;
}

/** A measurement; `port` (default: the setup's) names the server it loads. */
export type LoadCommand =
  | { readonly kind: 'closed'; readonly connections: number; readonly stepsPerConnection: number; readonly round0: number; readonly port?: number }
  | { readonly kind: 'paced'; readonly perSec: number; readonly seconds: number; readonly round0: number; readonly connections: number; readonly port?: number };

export interface LoadResult {
  readonly events: number;
  readonly ms: number;
  readonly eventsPerSec: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /** CPU time of this load generator (user + system) per event, µs. */
  readonly clientCpuUsPerEvent: number;
}

let setup: LoadSetup | undefined;
let agent: Agent | undefined;

let port: number | undefined;

/** One event over HTTP; resolves with the status and, on failure, the body. */
function post(path: string, body: string): Promise<{ status: number; text?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path, agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status === 200) {
          res.resume();
          res.on('end', () => resolve({ status }));
        } else {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status, text }));
        }
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const pathOf = (id: string): string => `/v1/instances/${encodeURIComponent(id)}/events`;

function summary(latencies: number[], events: number, ms: number, errors: number, firstError: string | undefined, cpu: NodeJS.CpuUsage): LoadResult {
  return {
    clientCpuUsPerEvent: (cpu.user + cpu.system) / events,
    events,
    ms,
    eventsPerSec: events / (ms / 1000),
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    p50Ms: quantile(latencies, 0.5),
    p90Ms: quantile(latencies, 0.9),
    p99Ms: quantile(latencies, 0.99),
    p999Ms: quantile(latencies, 0.999),
    maxMs: latencies.reduce((a, b) => Math.max(a, b), 0),
  };
}

async function closed(s: LoadSetup, connections: number, steps: number, round0: number): Promise<LoadResult> {
  agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const count = s.instanceIds.length;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      const owned: number[] = [];
      for (let u = c; u < count; u += connections) owned.push(u);
      for (let step = 0; step < steps; step++) {
        const unit = owned[step % owned.length] as number;
        const round = round0 + Math.floor(step / owned.length);
        const t = performance.now();
        const answer = await post(pathOf(s.instanceIds[unit] as string), JSON.stringify(workloadEvent(round, unit, s.members)));
        latencies.push(performance.now() - t);
        if (answer.status !== 200 && errors++ === 0) firstError = `${answer.status} ${answer.text ?? ''}`;
      }
    }),
  );
  const ms = performance.now() - start;
  return summary(latencies, latencies.length, ms, errors, firstError, process.cpuUsage(cpu));
}

async function paced(s: LoadSetup, perSec: number, seconds: number, round0: number, connections: number): Promise<LoadResult> {
  agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const total = Math.round(perSec * seconds);
  const interval = 1000 / perSec;
  const count = s.instanceIds.length;
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let issued = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      while (issued < due) {
        const n = issued++;
        const unit = n % count;
        const round = round0 + Math.floor(n / count);
        const t = performance.now();
        pending.push(
          post(pathOf(s.instanceIds[unit] as string), JSON.stringify(workloadEvent(round, unit, s.members))).then((answer) => {
            latencies.push(performance.now() - t);
            if (answer.status !== 200 && errors++ === 0) firstError = `${answer.status} ${answer.text ?? ''}`;
          }),
        );
      }
      if (issued < total) setTimeout(tick, Math.max(0, interval - ((performance.now() - start) % interval)));
      else resolve();
    };
    tick();
  });
  await Promise.all(pending);
  return summary(latencies, total, performance.now() - start, errors, firstError, process.cpuUsage(cpu));
}

process.on('message', (message: { setup?: LoadSetup; command?: LoadCommand }) => {
  void (async () => {
    if (message.setup) {
      setup = message.setup;
      process.send?.({ ready: true });
      return;
    }
    const command = message.command;
    if (!setup || !command) throw new Error('load child: setup first, then commands');
    agent?.destroy();
    port = command.port ?? setup.port;
    const result =
      command.kind === 'closed'
        ? await closed(setup, command.connections, command.stepsPerConnection, command.round0)
        : await paced(setup, command.perSec, command.seconds, command.round0, command.connections);
    process.send?.({ result });
  })().catch((error: unknown) => {
    process.send?.({ error: String((error as Error).stack ?? error) });
  });
});
process.on('disconnect', () => {
  agent?.destroy();
  process.exit(0);
});
