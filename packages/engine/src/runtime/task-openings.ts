import type { DefinitionRecord, HistoryRecord, InstanceRecord } from '../ports/store.js';
import { CompiledCache } from './engine/definitions.js';
import type { InstanceContext } from './instance-context.js';
import { publicTaskKey } from './record-keys.js';
import { forEachTask } from './task-table.js';
import { walkHistory } from './walk-history.js';

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
 * replaying its history through the pure step (`walkHistory`, as `Engine.replay` does): a task
 * record keeps when it was completed but not when it opened, and a delay (from opening to
 * completion) is what a planner fits a scenario to. Tasks open after the start count from the
 * start. Empty when the history does not begin with the start; throws what a step throws.
 */
export function taskOpenings(input: TaskOpeningsInput): Map<string, number> {
  const chart = (input.compiledCache ?? new CompiledCache()).of(input.definition);
  const openings = new Map<string, number>();
  walkHistory(chart, input.instance, input.history, {
    started: (state, entry) => {
      const started = state.snapshot.context as InstanceContext;
      forEachTask(started.tasks, (key, task) => {
        if (task.s === 'open' || task.s === 'overdue') openings.set(publicTaskKey(started.members, key), entry.at);
      });
    },
    stepped: (result, entry) => {
      for (const key of result.changes.opened) openings.set(key, entry.at);
    },
  });
  return openings;
}
