/** A promise-chain mutex: sections passed to `run` never overlap and start in call order. */
export class AsyncLock {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` once every earlier section has settled, and returns its outcome. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
