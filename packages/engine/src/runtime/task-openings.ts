import type { DefinitionRecord, HistoryRecord, InstanceRecord } from '../ports/store.js';
import type { MachineEvent } from './campaign-event.js';
import { CompiledCache } from './engine/definitions.js';
import type { InstanceContext, InstanceInput } from './instance-context.js';
import { publicTaskKey } from './record-keys.js';
import { initialState, step, type UnitState } from './step.js';
import { forEachTask } from './task-table.js';

/** What `taskOpenings` reads: the version the campaign runs, the instance's record and its whole history, oldest first. */
export interface TaskOpeningsInput {
  readonly definition: DefinitionRecord;
  readonly instance: InstanceRecord;
  readonly history: readonly HistoryRecord[];
  /** Where the compiled version is kept between calls (one per campaign read is enough). */
  readonly compiledCache?: CompiledCache;
}

/**
 * 开放时间 — when each task of an instance last opened (task key as hosts see it → time), found by
 * replaying its history through the pure step, as `Engine.replay` does: a task record keeps when it
 * was completed but not when it opened, and a delay (from opening to completion) is what a planner
 * fits a scenario to. Tasks open after the start count from the start. Throws
 * ENGINE_REPLAY_MISMATCH when the history does not begin with the start, and what a step throws.
 */
export function taskOpenings(input: TaskOpeningsInput): Map<string, number> {
  const { instance, history } = input;
  const chart = (input.compiledCache ?? new CompiledCache()).of(input.definition);
  const first = history[0];
  const openings = new Map<string, number>();
  if (!first || first.type !== 'start') return openings;
  const meta = { id: instance.id, campaignId: instance.campaignId, unitId: instance.unitId, unitPath: instance.unitPath };
  const startInput = (JSON.parse(first.event) as { input: InstanceInput }).input;
  let state: UnitState = initialState(chart, meta, startInput);
  const started = state.snapshot.context as InstanceContext;
  forEachTask(started.tasks, (key, task) => {
    if (task.s === 'open' || task.s === 'overdue') openings.set(publicTaskKey(started.members, key), first.at);
  });
  for (const entry of history.slice(1)) {
    const event = JSON.parse(entry.event) as MachineEvent;
    const done = step(chart, state, event, { at: entry.at, actor: entry.actor, cause: entry.cause, idempotencyKey: entry.idempotencyKey });
    state = done.state;
    for (const key of done.changes.opened) openings.set(key, entry.at);
  }
  return openings;
}
