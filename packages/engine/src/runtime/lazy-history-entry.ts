import type { HistoryRecord } from '../ports/store.js';
import type { MachineEvent } from './campaign-event.js';

/** What turns a state value into its JSON (a live instance reuses the previous entry's equal text). */
export interface StateText {
  stateText(value: unknown): string;
}

/**
 * A history entry whose JSON is made when a store first reads it: a store that keeps no history (a
 * simulated year) never does, and the event and state value are plain data nobody changes after.
 */
export function lazyHistoryEntry(fields: Omit<HistoryRecord, 'event' | 'state'>, event: MachineEvent, texts: StateText, value: unknown): HistoryRecord {
  return new LazyHistoryEntry(fields, event, texts, value);
}

/** Its JSON getters sit on the prototype, and it keeps the value, not a closure: an object literal with getters made two closures per event. */
class LazyHistoryEntry implements HistoryRecord {
  readonly instanceId: string;
  readonly revision: number;
  readonly type: string;
  readonly actor: string | null;
  readonly cause: string;
  readonly at: number;
  readonly idempotencyKey: string | null;
  readonly #event: MachineEvent;
  readonly #texts: StateText;
  readonly #value: unknown;
  #eventText: string | undefined;
  #stateText: string | undefined;

  constructor(fields: Omit<HistoryRecord, 'event' | 'state'>, event: MachineEvent, texts: StateText, value: unknown) {
    this.instanceId = fields.instanceId;
    this.revision = fields.revision;
    this.type = fields.type;
    this.actor = fields.actor;
    this.cause = fields.cause;
    this.at = fields.at;
    this.idempotencyKey = fields.idempotencyKey;
    this.#event = event;
    this.#texts = texts;
    this.#value = value;
  }

  get event(): string {
    this.#eventText ??= JSON.stringify(this.#event);
    return this.#eventText;
  }

  get state(): string {
    this.#stateText ??= this.#texts.stateText(this.#value);
    return this.#stateText;
  }
}
