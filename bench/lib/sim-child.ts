/*
 * One measurement of the simulator in its own process, so its peak RSS is its own: a whole year of
 * seed 002 over a generated organisation (`--units --members`: on the simulator's default with
 * `--no-history`, on a memory store keeping history otherwise, `--raw` to replay it on bare XState), or
 * Monte Carlo runs of the baseline scenario (`--runs --threads`). With `--raw --save FILE` the
 * history run's events and bundle are written to FILE, and `--replay FILE` sends them to bare XState
 * in a process that has simulated nothing (XState's code not yet optimised, as in the simulator's
 * own year). Prints one JSON line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { validateProcessPaths } from '@luoshi/dsl';
import { compileMachine, compilePlan, createMemoryStore, processBundle, type MachineEvent, type ProcessBundle, type Store } from '@luoshi/engine';
import { loadScenarioFile, monteCarlo, readLiveCampaign, simulate, simulateFrom, type ScenarioFile } from '@luoshi/sim';
import { createActor, type AnyStateMachine } from 'xstate';
import { ROOT, SEED_PROCESS } from './seed-campaign.js';
import { since } from './stats.js';

/** What one child reports. */
export interface SimChildResult {
  readonly units: number;
  readonly members: number;
  /** Events the engine applied (host events and fired timers, every history entry but the starts). */
  readonly events: number;
  /** Host events the scenario sent (counted without history too). */
  readonly hostEvents: number;
  readonly seconds: number;
  /** Bare XState sending the same events to the same machines (0 when not measured). */
  readonly rawSeconds: number;
  /** With `--from-half`: reading the campaign kept to mid-year, and simulating its second half from it. */
  readonly fromReadSeconds?: number;
  readonly fromSeconds?: number;
  /** With `--from-half`: the faster whole year's own second half (from its first host event at or after the cut to its end). */
  readonly straightSecondHalfSeconds?: number;
  readonly peakRssMb: number;
  readonly runs: number;
  /** The years the simulated period spans (its days over 365.25), for unit-years per second; absent when no year was simulated. */
  readonly years?: number;
}

const { values } = parseArgs({
  options: {
    units: { type: 'string', default: '73' },
    members: { type: 'string', default: '5' },
    runs: { type: 'string', default: '0' },
    threads: { type: 'string', default: '2' },
    raw: { type: 'boolean', default: false },
    save: { type: 'string' },
    replay: { type: 'string' },
    // The simulator's own default (in-process, no store): no history, so events are not counted (only host events).
    'no-history': { type: 'boolean', default: false },
    // A whole year in-process, then the second half continued from a store holding the first (simulateFrom).
    'from-half': { type: 'boolean', default: false },
  },
});
const units = Number(values.units);
const members = Number(values.members);
const runs = Number(values.runs);

const definitions = validateProcessPaths([`${ROOT}processes`]);
const loaded = loadScenarioFile(`${ROOT}examples/scenarios/002-baseline.yaml`);
if (!loaded.scenario?.organisation) throw new Error('examples/scenarios/002-baseline.yaml does not load');
const scenario: ScenarioFile = { ...loaded.scenario, organisation: { ...loaded.scenario.organisation, units, membersPerUnit: members } };

let result: SimChildResult;
if (values.replay !== undefined) {
  const saved = JSON.parse(readFileSync(values.replay, 'utf8')) as SavedRun;
  const machine = compileMachine(compilePlan(JSON.parse(saved.body) as ProcessBundle, saved.version));
  const events = saved.streams.reduce((n, s) => n + s.events.length, 0);
  const rawSeconds = rawXstate(machine, saved.streams);
  result = { units, members, events, hostEvents: 0, seconds: 0, rawSeconds, peakRssMb: peakRssMb(), runs: 1 };
} else if (values['from-half']) {
  result = await fromHalf();
} else if (runs > 0) {
  const began = performance.now();
  await monteCarlo({ definitions, processId: SEED_PROCESS, scenario, runs, seed: 1, threads: Number(values.threads) });
  result = { units, members, events: 0, hostEvents: 0, seconds: since(began) / 1000, rawSeconds: 0, peakRssMb: peakRssMb(), runs };
} else {
  const run = await oneYear(!values['no-history'], values.raw);
  if (values.save !== undefined && run.machine) writeFileSync(values.save, JSON.stringify({ body: run.body, version: run.version, streams: run.streams } satisfies SavedRun));
  // The run's store and history are unreachable now: collected before bare XState is timed, so it times only itself.
  (globalThis as { gc?: () => void }).gc?.();
  const rawSeconds = run.machine ? rawXstate(run.machine, run.streams) : 0;
  result = { units, members, events: run.events, hostEvents: run.hostEvents, seconds: run.seconds, rawSeconds, peakRssMb: run.peakRssMb, runs: 1, years: run.years };
}
process.stdout.write(`${JSON.stringify(result)}\n`);

/**
 * One simulated year. Without history on the simulator's default (in-process, no store: what `luoshi
 * simulate` runs); with history on a memory store, which also gives its event streams and (for `raw`)
 * the compiled machine.
 */
async function oneYear(keepHistory: boolean, raw: boolean) {
  const store = keepHistory ? createMemoryStore({ keepHistory }) : undefined;
  const began = performance.now();
  const run = await simulate({ definitions, processId: SEED_PROCESS, scenario, ...(store ? { store } : {}) });
  const seconds = since(began) / 1000;
  const peak = peakRssMb();
  const hostEvents = Object.values(run.events.sent).reduce((n, count) => n + count, 0);
  const streams = store ? await eventStreams(store) : [];
  const events = streams.reduce((n, s) => n + s.events.length, 0);
  const definition = raw && store ? await store.getDefinition(SEED_PROCESS) : undefined;
  if (raw && !definition) throw new Error(`${SEED_PROCESS} is not deployed`);
  const machine = definition ? compileMachine(compilePlan(JSON.parse(definition.body) as ProcessBundle, definition.version)) : undefined;
  // The period from its start to its (exclusive) end instant, in years of 365.25 days.
  const years = (Date.parse(run.period.end) - Date.parse(run.period.start)) / (365.25 * 86_400_000);
  return { seconds, peakRssMb: peak, hostEvents, events, streams, machine, body: definition?.body ?? '', version: definition?.version ?? 0, years };
}

/**
 * 续推的代价: the first half of the year (to the middle of the period) kept on a memory store with
 * history, not timed (it also warms the code); the store dropped once the campaign is read
 * (`readLiveCampaign`, timed), as `luoshi simulate --from` closes the database before it runs. Then,
 * in turn — from, whole, whole, from, from, whole, so both sides see the machine as it was — the rest
 * simulated from the campaign read (`simulateFrom`) and a whole year on the in-process driver: each
 * side the fastest of its three.
 */
async function fromHalf(): Promise<SimChildResult> {
  const plan = await planPeriod();
  const mid = Math.round((plan.start + plan.end) / 2);
  const keep = async () => {
    const store = createMemoryStore();
    await simulate({ definitions, processId: SEED_PROCESS, scenario, store, until: mid });
    await store.setCampaignClock('sim', mid);
    (globalThis as { gc?: () => void }).gc?.();
    const read = performance.now();
    const live = await readLiveCampaign(store, 'sim');
    return { live, fromReadSeconds: since(read) / 1000 };
  };
  const { live, fromReadSeconds } = await keep();
  let hostEvents = 0;
  const timed = async (work: () => Promise<unknown>): Promise<number> => {
    (globalThis as { gc?: () => void }).gc?.();
    const began = performance.now();
    await work();
    return since(began) / 1000;
  };
  const from = async () => {
    const rest = await simulateFrom({ source: live, scenario });
    hostEvents = Object.values(rest.events.sent).reduce((n, count) => n + count, 0);
  };
  // The straight run's clock passes the cut at its first host event at or after it: the rest of its wall time is its own second half.
  let cutAt: number | undefined;
  const whole = () => {
    cutAt = undefined;
    return simulate({ definitions, processId: SEED_PROCESS, scenario, onSent: ({ at }) => void (cutAt ??= at >= mid ? performance.now() : undefined) });
  };
  const straight = async () => {
    const seconds = await timed(whole);
    return { seconds, secondHalf: cutAt === undefined ? 0 : since(cutAt) / 1000 };
  };
  // Three of each in the order from, whole, whole, from, from, whole (each side as often early as
  // late), each side the fastest of its three: on these noisy 2-core machines one run of either side
  // swings by a tenth.
  const fromRuns = [await timed(from)];
  const wholeRuns = [await straight(), await straight()];
  fromRuns.push(await timed(from), await timed(from));
  wholeRuns.push(await straight());
  const fastest = wholeRuns.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return {
    units,
    members,
    events: 0,
    hostEvents,
    seconds: fastest.seconds,
    rawSeconds: 0,
    fromReadSeconds,
    fromSeconds: Math.min(...fromRuns),
    straightSecondHalfSeconds: fastest.secondHalf,
    peakRssMb: peakRssMb(),
    runs: 1,
  };
}

/** The simulated period of the seed campaign (its start and end). */
async function planPeriod(): Promise<{ readonly start: number; readonly end: number }> {
  const campaign = definitions.campaigns.get(SEED_PROCESS);
  if (!campaign) throw new Error(`${SEED_PROCESS} is not among the definitions`);
  const plan = compilePlan(processBundle(campaign, definitions.subprocesses), 1);
  return { start: plan.start, end: plan.end };
}

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

interface EventStream {
  readonly input: unknown;
  readonly events: MachineEvent[];
  /** When each event was applied (its history entry's time). */
  readonly at: number[];
}

/** Every instance's start input and the events it was sent, from the run's history. */
async function eventStreams(store: Store): Promise<EventStream[]> {
  const out: EventStream[] = [];
  for (const instance of await store.listInstances('sim')) {
    const history = await store.history(instance.id);
    const [start, ...rest] = history;
    if (start?.type !== 'start') throw new Error(`${instance.id} has no start entry`);
    out.push({
      input: (JSON.parse(start.event) as { input: unknown }).input,
      events: rest.map((h) => JSON.parse(h.event) as MachineEvent),
      at: rest.map((h) => h.at),
    });
  }
  return out;
}

/** A history run's events and the bundle it deployed, for a replay in another process. */
interface SavedRun {
  readonly body: string;
  readonly version: number;
  readonly streams: readonly EventStream[];
}

/**
 * Bare XState: the same compiled machine, one live actor per instance started from the same input,
 * and the same events sent in the order the run applied them (by time, each instance's in its own
 * order), nothing else: no store, no timers, no views, no simulator. Only the sends are timed.
 */
function rawXstate(machine: AnyStateMachine, streams: readonly EventStream[]): number {
  const actors = streams.map((stream) => {
    const actor = createActor(machine, { input: stream.input });
    actor.start();
    return actor;
  });
  // The step raises effects as records of its notes, not as XState events a live actor emits, so the
  // check that the events applied compares each actor's state before and after instead (untimed).
  const before = actors.map((actor) => JSON.stringify(actor.getPersistedSnapshot()));
  const order: { readonly actor: number; readonly index: number; readonly at: number }[] = [];
  streams.forEach((stream, actor) => stream.at.forEach((at, index) => order.push({ actor, index, at })));
  // Array#sort is stable: events at one instant keep each instance's own order.
  order.sort((a, b) => a.at - b.at);
  const began = performance.now();
  for (const { actor, index } of order) actors[actor]?.send(streams[actor]?.events[index] as MachineEvent);
  const ms = since(began);
  const changed = actors.filter((actor, i) => JSON.stringify(actor.getPersistedSnapshot()) !== before[i]).length;
  for (const actor of actors) actor.stop();
  if (changed === 0) throw new Error('the raw XState run changed no actor: the events did not apply');
  return ms / 1000;
}
