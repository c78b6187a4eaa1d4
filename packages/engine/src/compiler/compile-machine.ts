import { enqueueActions, setup, type AnyStateMachine } from 'xstate';
import type { MachineEvent } from '../runtime/campaign-event.js';
import { initialContext, type InstanceContext, type InstanceInput } from '../runtime/instance-context.js';
import { holdsItem, itemDone, RecordKeeper, requiredDone, type EffectDraft } from '../runtime/record-keeper.js';
import type { CampaignPlan, PhasePlan, StagePlan, UsePlan } from './campaign-plan.js';
import { EngineError } from '../errors/engine-error.js';
import { setOwn } from '../runtime/own-keys.js';

/** The name of the final state every campaign reaches. */
export const ENDED = 'ended';

/** Tells a sub-process machine that an item of its is done for every subject of the instance. */
interface ItemDoneEvent {
  readonly type: 'item.done';
  readonly id: string;
}

interface SubProcessContext {
  /** Required items of this sub-process not yet done. */
  readonly left: readonly string[];
}

/** A state node config as this compiler builds it (XState's own config type is too generic to build dynamically). */
interface NodeConfig {
  type?: 'parallel' | 'final';
  initial?: string;
  states?: Record<string, NodeConfig>;
  entry?: unknown;
  on?: Record<string, unknown>;
  always?: unknown;
  invoke?: unknown;
  onDone?: unknown;
}

type Guard<C> = (args: { context: C }) => boolean;

/**
 * Compiles a campaign plan into an XState v5 machine whose root is the sequence of phases (ending
 * in `ended`), each phase a parallel state of its workstreams, each use of a sub-process an invoked
 * child machine. The records (tasks, inspection loops, ladders, flags, scores) are kept by the
 * root's own wildcard transition on every event, and by each phase transition (a decision, the
 * window's end), which takes the event in its place. XState's work on every event grows with the
 * active state nodes, so nothing is a node that only mirrors the records: inspection loops are
 * records (hosts see them in `InstanceState.inspections`), and a workstream of one region is that
 * region. `ended` is not a final state: a unit that has ended still records what reaches it (a
 * ranking that places it). There are no delayed transitions: time reaches the machine only as
 * `timer.fired` events.
 */
export function compileMachine(plan: CampaignPlan): AnyStateMachine {
  const children: Record<string, AnyStateMachine> = {};
  const itemsOfChild = new Map<string, ReadonlySet<string>>();
  for (const phase of plan.phases) collectUses(phase.stage, children, itemsOfChild);

  const record = enqueueActions(({ context, event, enqueue, self }) => {
    const step = new RecordKeeper(plan, context as InstanceContext).apply(event as MachineEvent);
    const next = step.context;
    if (next !== context) enqueue.assign(() => next);
    for (const effect of step.effects) enqueue.emit(effect);
    if (step.completed.length === 0) return;
    for (const [child, done] of childrenToTell(self.getSnapshot().children, itemsOfChild, step.completed)) enqueue.sendTo(child, done);
  });

  const phases: Record<string, NodeConfig> = {};
  for (const phase of plan.phases) {
    if (phase.id === ENDED) throw new EngineError('ENGINE_INVALID_DEFINITION', { detail: `a phase may not be called "${ENDED}"` });
    setOwn(phases, phase.id, phaseNode(plan, phase, record));
  }
  phases[ENDED] = {};

  const root: NodeConfig = { initial: plan.phases[0]?.id ?? ENDED, states: phases, on: { '*': { actions: record } } };
  return setup({
    types: {} as { context: InstanceContext; input: InstanceInput; events: MachineEvent; emitted: EffectDraft },
    actors: children,
  }).createMachine({
    id: `${plan.processId}@${plan.version}`,
    context: ({ input }: { input: InstanceInput }) => initialContext(input),
    ...(root as object),
  } as never) as unknown as AnyStateMachine;
}

function target(next: string): string {
  return next === 'end' ? ENDED : next;
}

function phaseNode(plan: CampaignPlan, phase: PhasePlan, record: unknown): NodeConfig {
  const enter = enqueueActions(({ context, event, enqueue }) => {
    const at = (event as { at?: number }).at ?? (context as InstanceContext).startedAt;
    const next = new RecordKeeper(plan, context as InstanceContext).enterPhase(phase.id, at).context;
    enqueue.assign(() => next);
  });
  const decisions = phase.decisions.flatMap((d) =>
    d.options.map((o) => ({
      guard: ({ event }: { event: MachineEvent }) =>
        event.type === 'decision.taken' && event.decision === d.id && event.option === o.id,
      target: target(o.next),
      actions: record,
    })),
  );
  const node: NodeConfig = {
    ...stageNode(
      phase.stage,
      (ids) => ({ context }) => requiredDone(plan, context as InstanceContext, ids),
      (use) => useRegion(use, ((context: InstanceContext) => leftInRecords(plan, use, context)) as InputOf),
    ),
    entry: enter,
    on: {
      'timer.fired': {
        guard: ({ event }: { event: MachineEvent }) => event.type === 'timer.fired' && event.key === `phase:${phase.id}`,
        target: target(phase.next),
        actions: record,
      },
      ...(decisions.length > 0 ? { 'decision.taken': decisions } : {}),
    },
  };
  if (phase.exit === 'all-required-done')
    node.always = { guard: ({ context }: { context: InstanceContext }) => requiredDone(plan, context, phase.itemIds), target: target(phase.next) };
  return node;
}

/**
 * A stage as a parallel state: a `work` region for its own items (working → done) and one region per
 * workstream and per sub-process use. A stage without any is a plain state.
 */
function stageNode<C>(stage: StagePlan, done: (ids: readonly string[]) => Guard<C>, region: (use: UsePlan) => NodeConfig): NodeConfig {
  const regions: Record<string, NodeConfig> = {};
  if (stage.itemIds.length > 0) regions.work = workRegion(done(stage.itemIds));
  for (const ws of stage.workstreams) {
    if (Object.hasOwn(regions, ws.id)) throw duplicate(ws.id);
    const inner = stageNode(ws, done, region);
    const inside = inner.states ? Object.values(inner.states) : [];
    const only = inside.length === 1 ? inside[0] : undefined;
    // A workstream of one region (items only, or one sub-process) is that region itself, not a
    // parallel state around it: every active state node costs XState work on every event of the unit.
    regions[ws.id] = only ?? (inner.type === 'parallel' ? inner : { initial: 'done', states: { done: { type: 'final' } } });
  }
  for (const use of stage.uses) {
    if (Object.hasOwn(regions, use.id)) throw duplicate(use.id);
    regions[use.id] = region(use);
  }
  return Object.keys(regions).length === 0 ? {} : { type: 'parallel', states: regions };
}

function workRegion<C>(done: Guard<C>): NodeConfig {
  return { initial: 'working', states: { working: { always: { guard: done, target: 'done' } }, done: { type: 'final' } } };
}

type InputOf = (context: never) => readonly string[];

function useRegion(use: UsePlan, left: InputOf): NodeConfig {
  return {
    initial: 'running',
    states: {
      running: {
        invoke: { id: use.id, src: use.id, input: ({ context }: { context: never }) => ({ left: left(context) }), onDone: 'done' },
      },
      done: { type: 'final' },
    },
  };
}

/** The required items of a use that this instance still has to do. */
function leftInRecords(plan: CampaignPlan, use: UsePlan, context: InstanceContext): string[] {
  return use.itemIds.filter((id) => {
    const item = plan.items.get(id);
    return item !== undefined && item.required && holdsItem(item, context) && !itemDone(plan, context, id);
  });
}

function collectUses(stage: StagePlan, into: Record<string, AnyStateMachine>, itemsOf?: Map<string, ReadonlySet<string>>): void {
  for (const ws of stage.workstreams) collectUses(ws, into, itemsOf);
  for (const use of stage.uses) {
    into[use.id] = subProcessMachine(use);
    itemsOf?.set(use.id, new Set(use.itemIds));
  }
}

/**
 * The `item.done` events for each completed item, by running child whose sub-process holds it. A
 * child told of another's item changed nothing but its snapshot's identity, and the parent then
 * persisted the child again on every completion in the unit. A list, not a callback: a closure over
 * XState's `enqueue` in the record action kept each event's previous snapshot alive (V8 keeps one
 * context for all closures of a function) long enough to be promoted.
 */
function childrenToTell(
  children: Readonly<Record<string, unknown>>,
  itemsOf: ReadonlyMap<string, ReadonlySet<string>>,
  completed: readonly string[],
): [child: string, event: ItemDoneEvent][] {
  const out: [string, ItemDoneEvent][] = [];
  for (const child of Object.keys(children)) {
    const items = itemsOf.get(child);
    for (const item of completed) if (items?.has(item)) out.push([child, { type: 'item.done', id: item }]);
  }
  return out;
}

/**
 * A sub-process (五评, 五学, 满意度测评) as its own machine: its parts as parallel regions or a
 * sequence, nested uses invoked in turn. It finishes when every required item is done; the parent
 * tells it with `item.done` events and forwards them to its own children.
 */
function subProcessMachine(use: UsePlan): AnyStateMachine {
  const nested: Record<string, AnyStateMachine> = {};
  const itemsOfChild = new Map<string, ReadonlySet<string>>();
  collectUses(use.body, nested, itemsOfChild);
  for (const part of use.parts) collectUses(part, nested, itemsOfChild);
  const done = (ids: readonly string[]): Guard<SubProcessContext> => ({ context }) => ids.every((id) => !context.left.includes(id));
  const onItemDone = enqueueActions(({ context, event, enqueue, self }) => {
    const id = (event as ItemDoneEvent).id;
    // An item done again (a recurring one) is no longer left: the context stays the very same object.
    if ((context as SubProcessContext).left.includes(id)) enqueue.assign({ left: (context as SubProcessContext).left.filter((x) => x !== id) });
    for (const [child, forwarded] of childrenToTell(self.getSnapshot().children, itemsOfChild, [id])) enqueue.sendTo(child, forwarded);
  });
  const region = (inner: UsePlan) =>
    useRegion(inner, ((context: SubProcessContext) => context.left.filter((id) => inner.itemIds.includes(id))) as InputOf);
  const body = stageNode(use.body, done, region);
  let root: NodeConfig;
  if (use.mode === 'sequence' && use.parts.length > 0) {
    const states: Record<string, NodeConfig> = {};
    use.parts.forEach((part, i) => {
      const next = use.parts[i + 1]?.id ?? 'complete';
      const node = stageNode(part, done, region);
      states[part.id] = node.type === 'parallel' ? { ...node, onDone: next } : { always: { target: next } };
    });
    states.complete = { type: 'final' };
    const sequence: NodeConfig = { initial: use.parts[0]?.id as string, states };
    root = body.type === 'parallel' ? { type: 'parallel', states: { ...body.states, parts: sequence } } : sequence;
  } else {
    const regions: Record<string, NodeConfig> = { ...(body.states ?? {}) };
    for (const part of use.parts) {
      const node = stageNode(part, done, region);
      regions[part.id] = node.type === 'parallel' ? node : { initial: 'done', states: { done: { type: 'final' } } };
    }
    root = Object.keys(regions).length > 0 ? { type: 'parallel', states: regions } : { initial: 'complete', states: { complete: { type: 'final' } } };
  }
  return setup({ actors: nested }).createMachine({
    id: use.id,
    context: ({ input }: { input: SubProcessContext }) => ({ left: [...input.left] }),
    on: { 'item.done': { actions: onItemDone } },
    ...(root as object),
  } as never) as unknown as AnyStateMachine;
}

function duplicate(id: string): EngineError {
  return new EngineError('ENGINE_INVALID_DEFINITION', { detail: `"${id}" names two regions of one stage` });
}
