import { createPrng, type Prng } from './prng.js';

/**
 * 随机流 — the run's random numbers, one stream per purpose: each unit's task (keyed by instance and
 * task key), each member's complaints and notices, each unit's findings, rectifications and items,
 * each decision. A stream's seed comes from the run's seed and its key alone, never from the order
 * the run reaches it, so two scenarios run on one seed draw the same numbers for the same task of
 * the same unit however differently the rest goes (common random numbers, 共同随机数): a change to
 * one kind's behaviour leaves every other unit's draws as they were.
 */
export class RandomStreams {
  readonly #seed: number;
  /** Streams drawn from more than once over the run (a unit's loop, a decision), by key. */
  readonly #kept = new Map<string, Prng>();

  constructor(seed: number) {
    this.#seed = seed >>> 0;
  }

  /**
   * A new stream for a key drawn from once (a task's completion, a member's complaints planned up
   * front): nothing is kept, so a year of tasks leaves no stream behind.
   */
  fresh(...key: readonly string[]): Prng {
    return createPrng(streamSeed(this.#seed, key.join('\u001f')));
  }

  /** The stream of a key drawn from again and again during the run (a unit's inspection loop), kept. */
  kept(...key: readonly string[]): Prng {
    const id = key.join('\u001f');
    let prng = this.#kept.get(id);
    if (prng === undefined) this.#kept.set(id, (prng = createPrng(streamSeed(this.#seed, id))));
    return prng;
  }
}

/**
 * The seed of the stream `key` in a run seeded `seed`: FNV-1a over the key's UTF-16 units from a
 * basis mixed with the seed, then MurmurHash3's 32-bit finaliser, so keys that differ in one
 * character (`u01`, `u02`) get seeds far apart and mulberry32's first draws are not alike.
 */
export function streamSeed(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
