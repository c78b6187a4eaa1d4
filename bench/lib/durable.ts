import type { Engine } from '@luoshi/engine';
import { quantile, since } from './stats.js';
import { workloadEvent } from './seed-campaign.js';

/** What a throughput run measured. */
export interface ThroughputResult {
  readonly events: number;
  readonly ms: number;
  readonly eventsPerSec: number;
}

/**
 * Sends `rounds` rounds of one event to every instance, each round issued at once
 * (`Promise.all` over one send per instance), so the engine groups them into transactions.
 * `round0` keeps the event sequence going across calls.
 */
export async function concurrentRounds(
  engine: Engine,
  instanceIds: readonly string[],
  members: number,
  rounds: number,
  round0 = 0,
  options: { readonly idempotencyKeys?: boolean } = {},
): Promise<ThroughputResult> {
  const start = performance.now();
  for (let r = round0; r < round0 + rounds; r++) {
    await Promise.all(
      instanceIds.map((id, u) =>
        engine.send(id, workloadEvent(r, u, members), {
          actor: 'bench',
          ...(options.idempotencyKeys ? { idempotencyKey: `r${r}` } : {}),
        }),
      ),
    );
  }
  const ms = since(start);
  const events = rounds * instanceIds.length;
  return { events, ms, eventsPerSec: events / (ms / 1000) };
}

/** Latency of single events offered at a steady rate. */
export interface LatencyResult {
  readonly offeredPerSec: number;
  readonly achievedPerSec: number;
  readonly samples: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /**
   * p99 measured from when each send was due by the schedule rather than when it was issued: a
   * send the loop could not issue on time (the thread was busy) counts its wait too.
   */
  readonly p99FromScheduleMs: number;
  readonly maxFromScheduleMs: number;
  /** Each event: when it was due, when it was sent, and send → resolved (`performance.now()` ms). */
  readonly raw: readonly LatencySample[];
}

/** One paced send. */
export interface LatencySample {
  readonly due: number;
  readonly at: number;
  readonly ms: number;
}

/**
 * Offers `perSec` events per second for `seconds`: a timer loop issues, without awaiting, as many
 * sends as the elapsed time calls for (one per ms at 1,000/s), each to the next instance, and
 * records send → resolved for each (and due → resolved, see `p99FromScheduleMs`).
 */
export async function pacedLatency(
  engine: Engine,
  instanceIds: readonly string[],
  members: number,
  perSec: number,
  seconds: number,
  round0: number,
): Promise<LatencyResult> {
  const total = Math.round(perSec * seconds);
  const interval = 1000 / perSec;
  const raw: LatencySample[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let issued = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor(since(start) / interval) + 1);
      while (issued < due) {
        const n = issued++;
        const unit = n % instanceIds.length;
        const round = round0 + Math.floor(n / instanceIds.length);
        const due = start + n * interval;
        const sent = performance.now();
        pending.push(
          engine.send(instanceIds[unit] as string, workloadEvent(round, unit, members), { actor: 'bench' }).then(() => {
            raw.push({ due, at: sent, ms: performance.now() - sent });
          }),
        );
      }
      if (issued < total) setTimeout(tick, Math.max(0, interval - (since(start) % interval)));
      else resolve();
    };
    tick();
  });
  await Promise.all(pending);
  const ms = since(start);
  const latencies = raw.map((r) => r.ms);
  const fromSchedule = raw.map((r) => r.at + r.ms - r.due);
  raw.sort((a, b) => a.due - b.due);
  return {
    raw,
    offeredPerSec: perSec,
    achievedPerSec: total / (ms / 1000),
    samples: latencies.length,
    p50Ms: quantile(latencies, 0.5),
    p90Ms: quantile(latencies, 0.9),
    p99Ms: quantile(latencies, 0.99),
    p999Ms: quantile(latencies, 0.999),
    maxMs: Math.max(...latencies),
    p99FromScheduleMs: quantile(fromSchedule, 0.99),
    maxFromScheduleMs: Math.max(...fromSchedule),
  };
}

/** How many rounds of `instanceIds.length` events make at least `events` events. */
export function roundsFor(events: number, instances: number): number {
  return Math.ceil(events / instances);
}

/** The sum of several throughput runs. */
export function total(runs: readonly ThroughputResult[]): ThroughputResult {
  const events = runs.reduce((s, r) => s + r.events, 0);
  const ms = runs.reduce((s, r) => s + r.ms, 0);
  return { events, ms, eventsPerSec: events / (ms / 1000) };
}
