import { enqueueActions, setup, type AnyStateMachine } from 'xstate';
import type { MachineEvent } from '../runtime/campaign-event.js';
import { initialContext, type InstanceContext, type InstanceInput } from '../runtime/instance-context.js';
import { RecordKeeper, RequiredDone } from '../runtime/record-keeper.js';
import { stepNotesOf } from '../runtime/step-notes.js';
import { formatTimerKey } from '../runtime/timer-keys.js';
import type { CampaignPlan, PhasePlan, StagePlan, UsePlan } from './campaign-plan.js';
import { EngineError } from '../errors/engine-error.js';
import { setOwn } from '../runtime/own-keys.js';

/** The name of the final state every campaign reaches. */
export const ENDED = 'ended';

/** A state node config as this compiler builds it (XState's own config type is too generic to build dynamically). */
interface NodeConfig {
  type?: 'parallel' | 'final';
  initial?: string;
  states?: Record<string, NodeConfig>;
  entry?: unknown;
  on?: Record<string, unknown>;
  always?: unknown;
}

type Guard = (args: { context: InstanceContext }) => boolean;

/**
 * Compiles a campaign plan into an XState v5 machine whose root is the sequence of phases (ending
 * in `ended`), each phase a parallel state of its workstreams and of each use of a sub-process
 * (五评, 五学…), a region that is `running` until every required item of the sub-process (its body,
 * its parts, the uses nested in it) is done for every subject of the instance, then `done`. The
 * records (tasks, inspection loops, ladders, flags, scores) are kept by the root's own wildcard
 * transition on every event, and by each phase transition (a decision, the window's end), which
 * takes the event in its place; what the rules wrote and raised goes to the step's notes
 * (`step-notes.ts`). Nothing runs outside the machine's own transition: no invoked or spawned
 * actors, no delayed transitions (time reaches the machine only as `timer.fired` events), no
 * emitted events, so XState's pure `machine.transition` computes a whole step (`step.ts`).
 * XState's work on every event grows with the active state nodes, so nothing is a node that only
 * mirrors the records: inspection loops are records (hosts see them in
 * `InstanceState.inspections`), and a workstream of one region is that region. `ended` is not a
 * final state: a unit that has ended still records what reaches it (a ranking that places it, when
 * its phases ended by their own course; one a decision ended has left the campaign, `ranking.ts`).
 */
export function compileMachine(plan: CampaignPlan): AnyStateMachine {
  const notes = stepNotesOf(plan);
  const record = enqueueActions(({ context, event, enqueue }) => {
    const step = new RecordKeeper(plan, context as InstanceContext).apply(event as MachineEvent);
    const next = step.context;
    if (next !== context) enqueue.assign(() => next);
    for (const effect of step.effects) notes.effect(effect);
  });

  // The guards' answers (必做事项完成) are kept with the machine, not in the module: every unit of the campaign shares them.
  const required = new RequiredDone(plan);
  const phases: Record<string, NodeConfig> = {};
  for (const phase of plan.phases) {
    if (phase.id === ENDED) throw new EngineError('ENGINE_INVALID_DEFINITION', { detail: `a phase may not be called "${ENDED}"` });
    setOwn(phases, phase.id, phaseNode(plan, phase, record, required));
  }
  phases[ENDED] = { entry: endPhases(plan) };

  const root: NodeConfig = { initial: plan.phases[0]?.id ?? ENDED, states: phases, on: { '*': { actions: record } } };
  return setup({
    types: {} as { context: InstanceContext; input: InstanceInput; events: MachineEvent },
  }).createMachine({
    id: `${plan.processId}@${plan.version}`,
    context: ({ input }: { input: InstanceInput }) => initialContext(input),
    ...(root as object),
  } as never) as unknown as AnyStateMachine;
}

/**
 * Entering `ended`: the phases are over; work due after them keeps the instance in its wrap-up
 * (收尾, `wrap-up.ts`), unless a decision or the office's closing (`campaign.closed`) ended it. An
 * instance already in `ended` (its wrap-up) hears a closing through the root's record action. `ended` is reached from a phase's own course (a
 * window's end, its required work done) or a decision, never restored into (`resolveState` runs no
 * entry), so an instance already ended stays as it is.
 */
function endPhases(plan: CampaignPlan): unknown {
  return enqueueActions(({ context, event, enqueue }) => {
    const ctx = context as InstanceContext;
    const at = (event as { at?: number }).at ?? ctx.startedAt;
    const next = new RecordKeeper(plan, ctx).endPhases(at, event as MachineEvent).context;
    if (next !== ctx) enqueue.assign(() => next);
  });
}

function target(next: string): string {
  // A later cycle's phase (`部署.2025`): XState reads "." in a target as a path, "\\." as a dot.
  return next === 'end' ? ENDED : next.replaceAll('.', '\\.');
}

function phaseNode(plan: CampaignPlan, phase: PhasePlan, record: unknown, required: RequiredDone): NodeConfig {
  const enter = enqueueActions(({ context, event, enqueue }) => {
    const at = (event as { at?: number }).at ?? (context as InstanceContext).startedAt;
    const next = new RecordKeeper(plan, context as InstanceContext).enterPhase(phase.id, at).context;
    enqueue.assign(() => next);
  });
  const windowEnd = formatTimerKey({ kind: 'phase', phase: phase.id });
  const decisions = phase.decisions.flatMap((d) =>
    d.options.map((o) => ({
      guard: ({ event }: { event: MachineEvent }) =>
        event.type === 'decision.taken' && event.decision === d.id && event.option === o.id,
      target: target(o.next),
      actions: record,
    })),
  );
  const done = (ids: readonly string[]): Guard => ({ context }) => required.of(context, ids);
  const node: NodeConfig = {
    ...stageNode(phase.stage, done),
    entry: enter,
    on: {
      'timer.fired': {
        guard: ({ event }: { event: MachineEvent }) => event.type === 'timer.fired' && event.key === windowEnd,
        target: target(phase.next),
        actions: record,
      },
      ...(decisions.length > 0 ? { 'decision.taken': decisions } : {}),
      // 终止活动: the office closes the campaign from any phase, as a decision's `next: end` would.
      'campaign.closed': { target: ENDED, actions: record },
    },
  };
  if (phase.exit === 'all-required-done')
    // A phase still waiting for its window has not begun: nothing of it is done, even when nothing is required.
    node.always = {
      guard: ({ context }: { context: InstanceContext }) => context.opensAt === undefined && required.of(context, phase.itemIds),
      target: target(phase.next),
    };
  return node;
}

/**
 * A stage as a parallel state: a `work` region for its own items (working → done) and one region per
 * workstream and per sub-process use. A stage without any is a plain state.
 */
function stageNode(stage: StagePlan, done: (ids: readonly string[]) => Guard): NodeConfig {
  const regions: Record<string, NodeConfig> = {};
  if (stage.itemIds.length > 0) regions.work = workRegion(done(stage.itemIds));
  for (const ws of stage.workstreams) {
    if (Object.hasOwn(regions, ws.id)) throw duplicate(ws.id);
    const inner = stageNode(ws, done);
    const inside = inner.states ? Object.values(inner.states) : [];
    const only = inside.length === 1 ? inside[0] : undefined;
    // A workstream of one region (items only, or one sub-process) is that region itself, not a
    // parallel state around it: every active state node costs XState work on every event of the unit.
    regions[ws.id] = only ?? (inner.type === 'parallel' ? inner : { initial: 'done', states: { done: { type: 'final' } } });
  }
  for (const use of stage.uses) {
    if (Object.hasOwn(regions, use.id)) throw duplicate(use.id);
    regions[use.id] = useRegion(use, done);
  }
  return Object.keys(regions).length === 0 ? {} : { type: 'parallel', states: regions };
}

function workRegion(done: Guard): NodeConfig {
  return { initial: 'working', states: { working: { always: { guard: done, target: 'done' } }, done: { type: 'final' } } };
}

/**
 * A use of a sub-process: `running` until every required item it holds (its body's, its parts', its
 * nested uses') is done for every subject, then `done`. Its parts in `sequence` mode need no states
 * of their own: the records open each part when the one before is done (`sequence-parts.ts`), and an
 * item not yet opened is not done, so the use is done with its last part. Keeping the region's two
 * states keeps the state value of a running use `running`, which snapshots of releases up to
 * 7967bde hold.
 */
function useRegion(use: UsePlan, done: (ids: readonly string[]) => Guard): NodeConfig {
  return { initial: 'running', states: { running: { always: { guard: done(use.itemIds), target: 'done' } }, done: { type: 'final' } } };
}

function duplicate(id: string): EngineError {
  return new EngineError('ENGINE_INVALID_DEFINITION', { detail: `"${id}" names two regions of one stage` });
}
