import type { Effect } from '../ports/effects-sink.js';
import type { OutboxRecord } from '../ports/store.js';

/**
 * An effect as the outbox holds it, its JSON made when a store first reads it. Frozen, so a store
 * in memory keeps the record itself (it copies only what could still change) and never reads the
 * JSON; the engine then delivers the effect object it made, without the round trip through text.
 */
export function lazyOutboxRecord(effect: Effect, createdAt: number): OutboxRecord {
  return Object.freeze(new LazyOutboxRecord(Object.freeze(effect), createdAt));
}

/** The effect an outbox record holds: the very object when the engine made the record, else parsed from its JSON. */
export function effectOf(record: OutboxRecord): Effect {
  return record instanceof LazyOutboxRecord ? record.value : (JSON.parse(record.effect) as Effect);
}

/** Private fields stay writable in a frozen object: the JSON is still made once, on first read. */
class LazyOutboxRecord implements OutboxRecord {
  readonly id: string;
  readonly instanceId: string;
  readonly createdAt: number;
  readonly value: Effect;
  #text: string | undefined;

  constructor(effect: Effect, createdAt: number) {
    this.id = effect.id;
    this.instanceId = effect.instanceId;
    this.createdAt = createdAt;
    this.value = effect;
  }

  get effect(): string {
    this.#text ??= JSON.stringify(this.value);
    return this.#text;
  }
}
