import type { HistoryRecord } from '../ports/store.js';
import type { MachineEvent } from './campaign-event.js';
import type { InstanceInput } from './instance-context.js';
import { initialState, step, type InstanceMeta, type Statechart, type StepResult, type UnitState } from './step.js';

/** What a walk tells its caller along the way; every part optional. */
export interface HistoryVisitor {
  /** The start entry and the state it gives (the initial state), before any later entry is stepped. */
  readonly started?: (state: UnitState, entry: HistoryRecord) => void;
  /** A later entry and the state it applies to, before it is stepped. `false` stops the walk there (the entry is not stepped). */
  readonly before?: (state: UnitState, entry: HistoryRecord) => boolean | void;
  /** A later entry and its step's result (the state after it, what it changed). */
  readonly stepped?: (result: StepResult, entry: HistoryRecord) => void;
  /**
   * What to throw instead of an error of reading the start entry's input, of the initial state, of
   * reading a later entry's event or of a step (as thrown, by default): a start entry that cannot be
   * read is as damaged a history as a later entry that cannot.
   */
  readonly failed?: (error: unknown) => unknown;
}

/** A history's start entry: its first one, when that is a `start`; undefined for any other history. */
export function startEntry(history: readonly HistoryRecord[]): HistoryRecord | undefined {
  const first = history[0];
  return first !== undefined && first.type === 'start' ? first : undefined;
}

/**
 * 重放 — walks an instance's stored history, oldest first, through the pure step as the events were
 * first applied: the start entry's input gives the initial state, then each later entry's event is
 * stepped at the entry's time, actor, cause and idempotency key. The one walk `Engine.replay`
 * (`engine/replay.ts`), `taskOpenings` and `PastFlags` share, each reading what it needs from the
 * visitor's calls. Returns the state the walk ended in (after the last entry, or where `before`
 * stopped it); undefined, having stepped nothing, when the history does not begin with a start.
 * Throws what reading an entry or the step throws, through `failed`.
 */
export function walkHistory(
  chart: Statechart,
  instance: InstanceMeta,
  history: readonly HistoryRecord[],
  visitor: HistoryVisitor = {},
): UnitState | undefined {
  const start = startEntry(history);
  if (start === undefined) return undefined;
  // A copy: the caller may pass its whole stored record, and the state keeps only the unit's place.
  const meta: InstanceMeta = { id: instance.id, campaignId: instance.campaignId, unitId: instance.unitId, unitPath: instance.unitPath };
  const failed = visitor.failed ?? asThrown;
  let state: UnitState;
  try {
    const input = (JSON.parse(start.event) as { input: InstanceInput }).input;
    state = initialState(chart, meta, input);
  } catch (error) {
    throw failed(error);
  }
  visitor.started?.(state, start);
  for (let i = 1; i < history.length; i++) {
    const entry = history[i] as HistoryRecord;
    if (visitor.before?.(state, entry) === false) return state;
    let result: StepResult;
    try {
      const event = JSON.parse(entry.event) as MachineEvent;
      result = step(chart, state, event, { at: entry.at, actor: entry.actor, cause: entry.cause, idempotencyKey: entry.idempotencyKey });
    } catch (error) {
      throw failed(error);
    }
    state = result.state;
    visitor.stepped?.(result, entry);
  }
  return state;
}

function asThrown(error: unknown): unknown {
  return error;
}
