import type { HistoryRecord } from '../ports/store.js';
import type { MachineEvent } from './campaign-event.js';

/**
 * A history entry whose JSON is made when a store first reads it: a store that keeps no history (a
 * simulated year) never does, and the event and state value are plain data nobody changes after.
 */
export function lazyHistoryEntry(fields: Omit<HistoryRecord, 'event' | 'state'>, event: MachineEvent, state: () => string): HistoryRecord {
  return new LazyHistoryEntry(fields, event, state);
}

/** Its JSON getters sit on the prototype: an object literal with getters made two closures per event. */
class LazyHistoryEntry implements HistoryRecord {
  readonly instanceId: string;
  readonly revision: number;
  readonly type: string;
  readonly actor: string | null;
  readonly cause: string;
  readonly at: number;
  readonly idempotencyKey: string | null;
  readonly #event: MachineEvent;
  readonly #state: () => string;
  #eventText: string | undefined;
  #stateText: string | undefined;

  constructor(fields: Omit<HistoryRecord, 'event' | 'state'>, event: MachineEvent, state: () => string) {
    this.instanceId = fields.instanceId;
    this.revision = fields.revision;
    this.type = fields.type;
    this.actor = fields.actor;
    this.cause = fields.cause;
    this.at = fields.at;
    this.idempotencyKey = fields.idempotencyKey;
    this.#event = event;
    this.#state = state;
  }

  get event(): string {
    this.#eventText ??= JSON.stringify(this.#event);
    return this.#eventText;
  }

  get state(): string {
    this.#stateText ??= this.#state();
    return this.#stateText;
  }
}
