/*
 * Child process of `measureMemory` (started with --expose-gc): prints one JSON `MemoryResult`.
 * Arguments: units, members.
 */
import { createEngine, createMemoryStore, runUntil, type MemoryStore } from '@luoshi/engine';
import type { MemoryResult } from './memory.js';
import { deployProcesses, organisation, SEED_IN_PHASE, SEED_PROCESS, seedClock } from './seed-campaign.js';

function collect(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

interface Growth {
  readonly bytesPerInstance: number;
  readonly snapshots: readonly string[];
  /** History rows of one instance. */
  readonly history: number;
}

/**
 * Heap growth per instance of one campaign over `units` units: after `startCampaign`, or (`inPhase`)
 * after moving the clock into 组织实施 as well, firing the timers on the way.
 */
async function growth(units: number, members: number, cacheSize: number | undefined, inPhase: boolean): Promise<Growth> {
  const store = createMemoryStore();
  const clock = seedClock();
  const engine = createEngine({ store, clock, ...(cacheSize === undefined ? {} : { cacheSize }) });
  await deployProcesses(engine);
  // A throwaway campaign first, so code, compiled machines and caches are in the baseline.
  await engine.startCampaign({ process: SEED_PROCESS, organisation: organisation(1, members), campaignId: 'warm' });
  const before = collect();
  await engine.startCampaign({ process: SEED_PROCESS, organisation: organisation(units, members), campaignId: 'live' });
  if (inPhase) await runUntil(engine, clock, SEED_IN_PHASE);
  const after = collect();
  return { bytesPerInstance: (after - before) / units, snapshots: await sample(store, units), history: (await store.history('live/u0')).length };
}

async function sample(store: MemoryStore, units: number): Promise<string[]> {
  const out: string[] = [];
  for (let u = 0; u < units; u += Math.max(1, Math.floor(units / 200))) {
    const record = await store.getInstance(`live/u${u}`);
    if (record) out.push(JSON.stringify(record.snapshot));
  }
  return out;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

const units = Number(process.argv[2] ?? 10_000);
const members = Number(process.argv[3] ?? 3);
const atStart = await growth(units, members, undefined, false);
collect();
const storeOnly = await growth(units, members, 0, false);
collect();
const inPhase = await growth(units, members, undefined, true);
collect();
const inPhaseStoreOnly = await growth(units, members, 0, true);
const result: MemoryResult = {
  units,
  members,
  kbPerLiveInstance: atStart.bytesPerInstance / 1024,
  kbStoreOnly: storeOnly.bytesPerInstance / 1024,
  kbEngineCache: (atStart.bytesPerInstance - storeOnly.bytesPerInstance) / 1024,
  kbInPhase: inPhase.bytesPerInstance / 1024,
  kbInPhaseStoreOnly: inPhaseStoreOnly.bytesPerInstance / 1024,
  snapshotChars: mean(atStart.snapshots.map((s) => s.length)),
  snapshotUtf8Bytes: mean(atStart.snapshots.map((s) => Buffer.byteLength(s))),
  snapshotCharsInPhase: mean(inPhase.snapshots.map((s) => s.length)),
  historyRowsInPhase: inPhase.history,
  twoByteSnapshots: atStart.snapshots.filter((s) => /[^\u0000-\u00ff]/.test(s)).length / atStart.snapshots.length,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
