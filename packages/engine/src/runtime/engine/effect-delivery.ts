import type { Clock } from '../../ports/clock.js';
import type { EffectsSink } from '../../ports/effects-sink.js';
import type { Store } from '../../ports/store.js';
import { effectOf } from '../lazy-outbox-record.js';

/** Most outbox entries read at once by a delivery round. */
const OUTBOX_PAGE = 100;

/**
 * Effect delivery (效果投递): the committed outbox handed to the effects sink, oldest first, after
 * the commit that wrote it. One delivery runs at a time; a call while one runs joins it, and it
 * goes round again so what that caller committed is delivered too.
 */
export class EffectDelivery {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #sink: EffectsSink | undefined;
  #delivering: Promise<number> | undefined;
  /** Effects were committed while a delivery round ran: it goes round again before it ends. */
  #redeliver = false;

  constructor(store: Store, clock: Clock, sink: EffectsSink | undefined) {
    this.#store = store;
    this.#clock = clock;
    this.#sink = sink;
  }

  /** See `Engine.deliverEffects`. */
  deliver(): Promise<number> {
    if (!this.#sink) return Promise.resolve(0);
    if (this.#delivering) {
      // The running round may already have seen the outbox empty: it goes round once more, and
      // its promise is this caller's too, so this call's effects are delivered when it resolves.
      this.#redeliver = true;
      return this.#delivering;
    }
    this.#delivering = this.#rounds(this.#sink);
    return this.#delivering;
  }

  /** The delivery under way, if any (an engine closing waits for it). */
  get running(): Promise<number> | undefined {
    return this.#delivering;
  }

  async #rounds(sink: EffectsSink): Promise<number> {
    let delivered = 0;
    try {
      do {
        this.#redeliver = false;
        delivered += await this.#round(sink);
      } while (this.#redeliver);
    } finally {
      // In the same turn as the last check: a call from now on starts a round of its own.
      this.#delivering = undefined;
    }
    return delivered;
  }

  /** Delivers the pending outbox page by page until it is empty, marking each page as far as it went. */
  async #round(sink: EffectsSink): Promise<number> {
    let delivered = 0;
    for (;;) {
      const pending = await this.#store.pendingOutbox(OUTBOX_PAGE);
      if (pending.length === 0) return delivered;
      const done: string[] = [];
      try {
        for (const p of pending) {
          await sink.deliver(effectOf(p));
          done.push(p.id);
        }
      } finally {
        if (done.length > 0) await this.#store.markDelivered(done, this.#clock.now());
        delivered += done.length;
      }
    }
  }
}
