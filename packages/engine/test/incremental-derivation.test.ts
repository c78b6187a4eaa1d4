import { fileURLToPath } from 'node:url';
import { validateProcessPaths } from '@luoshi/dsl';
import {
  createEngine,
  createMemoryStore,
  ENDED,
  runUntil,
  EngineError,
  sampleOrganisation,
  VirtualClock,
  type EngineChange,
  type HostEvent,
  type InstanceContext,
  type TimerRecord,
} from '@luoshi/engine';
import { describe, expect, it } from 'vitest';
// The plan goes to the engine's internal desiredTimers, so it is compiled from the same source files.
import type { CampaignPlan } from '../src/compiler/campaign-plan.js';
import { compilePlan } from '../src/compiler/compile-plan.js';
import { desiredTimers } from '../src/runtime/desired-timers.js';
import { publicTaskKey } from '../src/runtime/record-keys.js';
import { forEachTask } from '../src/runtime/task-table.js';

/*
 * The engine patches an instance's timers and overdue count from the task keys each event wrote,
 * and tells subscribers those keys. These tests drive seed 002 (a real campaign with reminders,
 * recurrences, inspections and rankings) with a seeded mix of host events and timers, and after
 * every step compare what was patched with what a full derivation from the stored state gives.
 */

const processes = fileURLToPath(new URL('../../../processes', import.meta.url));
const definitions = validateProcessPaths([processes]);
const SEED = '机关作风建设年';

function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const shape = (timers: readonly TimerRecord[]): string[] => timers.map((t) => `${t.key}@${t.dueAt}`).sort();

/** An instance's task records by whole key (`item@r`, …). */
function flatTasks(context: InstanceContext): Record<string, unknown> {
  const flat: Record<string, { readonly s: string }> = {};
  forEachTask(context.tasks, (key, task) => void (flat[key] = task));
  return flat;
}

function overdueOf(context: InstanceContext): number {
  return Object.values(flatTasks(context)).filter((t) => (t as { s: string }).s === 'overdue').length;
}

/** Seed 002 compiled, and an engine on a memory store with it deployed, its clock at the campaign start. */
async function seedEngine() {
  const campaign = definitions.campaigns.get(SEED);
  if (!campaign) throw new Error(`${SEED} does not validate`);
  const plan = compilePlan({ campaign, subprocesses: [...definitions.subprocesses.values()] }, 1);
  const store = createMemoryStore();
  const clock = new VirtualClock(plan.start);
  const engine = createEngine({ store, clock });
  await engine.deploy(definitions);
  return { plan, store, clock, engine };
}

type StagePlanOf = NonNullable<CampaignPlan['phases'][number]>['stage'];
type UsePlanOf = StagePlanOf['uses'][number];

/** Every sub-process use of a stage, its workstreams' included. */
function usesOf(stage: StagePlanOf | undefined): UsePlanOf[] {
  return stage ? [...stage.uses, ...stage.workstreams.flatMap((ws) => usesOf(ws))] : [];
}

describe('timers, overdue counts and changed task keys, patched per event', () => {
  it('when a campaign runs through host events and timers, then after every step they equal a full derivation from the stored state', async () => {
    const { plan, store, clock, engine } = await seedEngine();
    const changes: EngineChange[] = [];
    engine.subscribe((change) => void changes.push(change));
    const { instances } = await engine.startCampaign({ process: SEED, organisation: sampleOrganisation(4, 3), campaignId: 'c' });
    const ids = instances.map((i) => i.instanceId);
    const contexts = new Map<string, InstanceContext>();
    for (const id of ids) contexts.set(id, (await store.getInstance(id))?.snapshot.context as InstanceContext);

    const random = prng(42);
    const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)];
    const inspections = [...plan.inspections.values()].filter((i) => i.subject === 'unit');
    let checkedKeys = 0;
    let openedKeys = 0;
    let patchedSteps = 0;

    for (let step = 0; step < 600; step++) {
      changes.length = 0;
      const id = pick(ids) as string;
      const roll = random();
      let event: HostEvent | undefined;
      if (roll < 0.6) {
        const open = await engine.tasks(id, { status: ['open', 'overdue'] });
        const task = pick(open);
        if (task)
          event =
            task.kind === 'evaluation'
              ? { type: 'score.given', evaluation: task.item, score: 60 + Math.round(random() * 40), ...(task.member ? { member: task.member } : {}) }
              : { type: 'task.completed', task: task.item, ...(task.member ? { member: task.member } : {}) };
      } else if (roll < 0.7) {
        const inspection = pick(inspections);
        if (inspection) event = { type: pick(['finding.recorded', 'rectification.done'] as const) as 'finding.recorded', inspection: inspection.id };
      } else if (roll < 0.8) {
        const members = contexts.get(id)?.members ?? [];
        const member = pick(members);
        if (member) event = { type: 'complaint.verified', member };
      }
      if (event) {
        try {
          await engine.send(id, event);
        } catch (error) {
          // Refused events (not in this phase, already done) change nothing; that is checked below too.
          if (!(error instanceof EngineError)) throw error;
        }
      } else {
        const next = await engine.nextTimerAt();
        if (next === undefined) break;
        clock.advanceTo(Math.max(next, clock.now()) + Math.round(random() * 86_400_000));
        await engine.runDueTimers();
      }

      const reported = new Map<string, Set<string> | undefined>();
      const opened = new Map<string, { readonly keys: Set<string>; changes: number }>();
      for (const change of changes) {
        const known = reported.has(change.instanceId) ? reported.get(change.instanceId) : new Set<string>();
        // `opened` names only keys among `tasks`.
        for (const key of change.opened) expect(change.tasks, `${change.instanceId}@${change.revision}`).toContain(key);
        const seen = opened.get(change.instanceId) ?? { keys: new Set<string>(), changes: 0 };
        for (const key of change.opened) seen.keys.add(key);
        seen.changes++;
        opened.set(change.instanceId, seen);
        if (known === undefined) reported.set(change.instanceId, undefined);
        else {
          for (const key of change.tasks) known.add(key);
          reported.set(change.instanceId, known);
        }
      }
      for (const instanceId of ids) {
        const record = await store.getInstance(instanceId);
        if (!record) throw new Error(`${instanceId} is missing`);
        const context = record.snapshot.context as InstanceContext;
        const wanted = desiredTimers(plan, instanceId, context, record.phase === ENDED ? undefined : record.phase);
        expect(shape(await store.timers(instanceId)), `timers of ${instanceId} after step ${step}`).toEqual(shape(wanted));
        expect(record.overdue, `overdue count of ${instanceId} after step ${step}`).toBe(overdueOf(context));
        const before = contexts.get(instanceId) as InstanceContext;
        // Records name members by reference, changes by id: compared as hosts see keys.
        const [was, now] = [flatTasks(before), flatTasks(context)];
        const differing = [...new Set([...Object.keys(was), ...Object.keys(now)])]
          .filter((key) => JSON.stringify(was[key]) !== JSON.stringify(now[key]))
          .map((key) => publicTaskKey(context.members, key));
        const keys = reported.get(instanceId);
        if (!reported.has(instanceId)) expect(differing, `${instanceId} changed without telling`).toEqual([]);
        else if (keys !== undefined) {
          patchedSteps++;
          for (const key of differing) expect(keys.has(key), `${key} of ${instanceId} changed in step ${step}`).toBe(true);
          checkedKeys += differing.length;
          // Every task that became outstanding in the step was reported opened; with one change, nothing else was.
          const outstanding = (t: unknown) => ['open', 'overdue'].includes((t as { s: string } | undefined)?.s ?? '');
          const becameOutstanding = Object.keys(now)
            .filter((key) => outstanding(now[key]) && !outstanding(was[key]))
            .map((key) => publicTaskKey(context.members, key));
          const told = opened.get(instanceId);
          for (const key of becameOutstanding) expect(told?.keys.has(key), `${key} of ${instanceId} opened in step ${step}`).toBe(true);
          if (told?.changes === 1) expect([...told.keys].sort()).toEqual(becameOutstanding.sort());
          openedKeys += becameOutstanding.length;
        }
        contexts.set(instanceId, context);
      }
      // The stored snapshot (the engine builds it itself, a sub-process child's part reused while the
      // child is unchanged) equals XState's own, rebuilt from the history; 五评 children run mid-year.
      if (step % 50 === 49) for (const instanceId of ids) await expect(engine.replay(instanceId)).resolves.toBeTruthy();
    }
    // The run did reach the paths under test: many steps were patched, with many task changes among them.
    expect(patchedSteps).toBeGreaterThan(50);
    expect(checkedKeys).toBeGreaterThan(150);
    expect(openedKeys).toBeGreaterThan(20);
    await engine.close();
  });

  it('when every open task of a unit is done while its sub-process runs, then the use stays running until its last required item is done, and replay agrees after each step', async () => {
    const { plan, engine, clock } = await seedEngine();
    const { instances } = await engine.startCampaign({ process: SEED, organisation: sampleOrganisation(2, 2), campaignId: 'p' });
    await runUntil(engine, clock, (plan.phases[1]?.start ?? plan.start) + 1);
    const id = instances[1]?.instanceId as string;
    const wuping = usesOf(plan.phases[1]?.stage).find((u) => u.id === '五评');
    const required = new Set(wuping?.itemIds.filter((i) => plan.items.get(i)?.required));
    expect(required.size).toBeGreaterThan(3);
    // A workstream whose only region is the use (五评考评 holds just 五评) is that region, under the workstream's name.
    const holder = plan.phases[1]?.stage.workstreams.find((ws) => ws.uses.some((u) => u.id === '五评') && ws.uses.length === 1 && ws.itemIds.length === 0);
    const region = async () => regionOf((await engine.state(id)).value, holder?.id ?? '五评');
    const left = async () => (await engine.tasks(id)).filter((t) => required.has(t.item) && t.status !== 'done' && t.status !== 'late').length;
    expect(await region()).toBe('running');
    let done = 0;
    let sawRunning = 0;
    for (const task of await engine.tasks(id, { status: ['open'] })) {
      await engine.send(
        id,
        task.kind === 'evaluation'
          ? { type: 'score.given', evaluation: task.item, score: 90, ...(task.member ? { member: task.member } : {}) }
          : { type: 'task.completed', task: task.item, ...(task.member ? { member: task.member } : {}) },
      );
      done++;
      // Running exactly while a required item of the sub-process (or of the one nested in it) is outstanding for a subject.
      const outstanding = await left();
      if (outstanding > 0) sawRunning++;
      if ((await engine.state(id)).phase === plan.phases[1]?.id) expect(await region()).toBe(outstanding > 0 ? 'running' : 'done');
      await expect(engine.replay(id)).resolves.toBeTruthy();
    }
    expect(done).toBeGreaterThan(10);
    expect(sawRunning).toBeGreaterThan(3);
    await engine.close();
  });


  it('when tasks are asked for by key, then only those are listed, in the usual order, unknown keys left out', async () => {
    const { plan, clock, engine } = await seedEngine();
    const { instances } = await engine.startCampaign({ process: SEED, organisation: sampleOrganisation(1, 2), campaignId: 'k' });
    // Into the second phase, where a unit has many tasks.
    await runUntil(engine, clock, (plan.phases[1]?.start ?? plan.start) + 1);
    const id = instances[1]?.instanceId as string;
    const all = await engine.tasks(id);
    expect(all.length).toBeGreaterThan(2);
    const wanted = [all[2]?.key, 'no-such-task', 'toString', all[0]?.key] as string[];
    const some = await engine.tasks(id, { keys: wanted });
    expect(some.map((t) => t.key)).toEqual([all[0]?.key, all[2]?.key]);
    expect(some).toEqual([all[0], all[2]]);
    await engine.close();
  });
});

/** The state of the region named `id` anywhere in a state value, or undefined. */
function regionOf(value: unknown, id: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (key === id) return inner;
    const found = regionOf(inner, id);
    if (found !== undefined) return found;
  }
  return undefined;
}
