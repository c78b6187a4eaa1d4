/*
 * One headline measurement in its own process, for `bench/compare.ts`: it imports `@luoshi/*` from
 * the tree it runs in (the head, or the base ref's worktree), so the same measuring code runs
 * against both builds. Only the packages' public API is used. Prints one JSON line `{ metric, value }`.
 *
 *   tsx bench/lib/headline-child.ts --metric durable|lifecycles|simYear|monteCarlo [--quick]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { validateProcessPaths } from '@luoshi/dsl';
import { createEngine } from '@luoshi/engine';
import { loadScenarioFile, monteCarlo, simulate, type ScenarioFile } from '@luoshi/sim';
import { createKyselyStore } from '@luoshi/store-kysely';
import { concurrentRounds, roundsFor } from './durable.js';
import { luoshiLifecycles } from './lifecycle.js';
import { deployProcesses, ROOT, SEED_PROCESS, seedClock, startSeedCampaign } from './seed-campaign.js';
import { since } from './stats.js';

/** The headline measurements, each higher-is-better. */
export type HeadlineMetric = 'durable' | 'lifecycles' | 'simYear' | 'monteCarlo';

const { values } = parseArgs({ options: { metric: { type: 'string' }, quick: { type: 'boolean', default: false } } });
const quick = values.quick === true;
const dir = mkdtempSync(join(tmpdir(), 'luoshi-headline-'));

/** Seed 002's baseline scenario over `units` × `members`. */
function scenario(units: number, members: number): ScenarioFile {
  const loaded = loadScenarioFile(`${ROOT}examples/scenarios/002-baseline.yaml`);
  if (!loaded.scenario?.organisation) throw new Error('examples/scenarios/002-baseline.yaml does not load');
  return { ...loaded.scenario, organisation: { ...loaded.scenario.organisation, units, membersPerUnit: members } };
}

/** Durable events/s: seed 002 over 500 units × 5 members on a SQLite file, rounds of concurrent sends. */
async function durable(): Promise<number> {
  const units = quick ? 100 : 500;
  const store = await createKyselyStore({ sqlite: join(dir, 'durable.db') });
  const clock = seedClock();
  const engine = createEngine({ store, clock });
  await deployProcesses(engine);
  const { instanceIds } = await startSeedCampaign(engine, clock, units, 5);
  await concurrentRounds(engine, instanceIds, 5, 2, 0);
  const result = await concurrentRounds(engine, instanceIds, 5, roundsFor(quick ? 2_000 : 12_000, instanceIds.length), 2);
  await engine.close();
  return result.eventsPerSec;
}

/** Lifecycles/s: a one-unit campaign started and its ten tasks completed, 32 at once, on SQLite. */
async function lifecycles(): Promise<number> {
  const store = await createKyselyStore({ sqlite: join(dir, 'lifecycle.db') });
  const result = await luoshiLifecycles(store, quick ? 1 : 4, 32, 'L');
  await store.close();
  return result.lifecyclesPerSec;
}

/** Host events/s of one simulated year of 1,000 units × 30 members (the simulator's default store). */
async function simYear(): Promise<number> {
  const definitions = validateProcessPaths([`${ROOT}processes`]);
  const start = performance.now();
  const result = await simulate({ definitions, processId: SEED_PROCESS, scenario: scenario(quick ? 100 : 1_000, 30) });
  const seconds = since(start) / 1000;
  const sent = Object.values(result.events.sent).reduce((a, b) => a + b, 0);
  return sent / seconds;
}

/** Monte Carlo runs/s: 200 runs of the baseline scenario's 73 units on two threads. */
async function monteCarloRuns(): Promise<number> {
  const definitions = validateProcessPaths([`${ROOT}processes`]);
  const runs = quick ? 10 : 200;
  const start = performance.now();
  await monteCarlo({ definitions, processId: SEED_PROCESS, scenario: scenario(73, 5), runs, threads: 2 });
  return runs / (since(start) / 1000);
}

const measures: ReadonlyMap<string, () => Promise<number>> = new Map([
  ['durable', durable],
  ['lifecycles', lifecycles],
  ['simYear', simYear],
  ['monteCarlo', monteCarloRuns],
]);

try {
  const measure = values.metric === undefined ? undefined : measures.get(values.metric);
  if (measure === undefined) throw new Error(`--metric must be one of ${[...measures.keys()].join(', ')}`);
  const value = await measure();
  process.stdout.write(`${JSON.stringify({ metric: values.metric, value })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
