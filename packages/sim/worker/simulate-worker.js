// @ts-check
/*
 * A thread of `monteCarlo` (src/monte-carlo.ts): runs `simulate` for the seeds it is sent. Plain
 * JavaScript outside src/ importing the built package, so the built package and the TypeScript
 * sources under test start the same file.
 *
 * workerData: { definitions, processId, scenario, organisation?, years?, until?, progress }, or for a
 * run continued from a live campaign (`simulateFrom`) { source, scenario, until?, progress }
 * (structured clones).
 * Message in: { index, seed }. Messages out: { index, share } as the run goes by (when `progress`),
 * then { index, result } or { index, error }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { simulate, simulateFrom } from '@luoshi/sim';

const { progress, ...options } = workerData;

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

port.on('message', async (/** @type {{ index: number, seed: number }} */ { index, seed }) => {
  try {
    const onProgress = progress ? (/** @type {number} */ share) => port.postMessage({ index, share }) : undefined;
    const run = { ...options, seed, ...(onProgress ? { onProgress } : {}) };
    const result = 'source' in options ? await simulateFrom(run) : await simulate(run);
    port.postMessage({ index, result });
  } catch (error) {
    const e = /** @type {{ message?: string, code?: string, messages?: unknown, details?: unknown }} */ (error ?? {});
    port.postMessage({
      index,
      error: { message: String(e.message ?? error), ...(typeof e.code === 'string' ? { code: e.code, messages: e.messages, details: e.details } : {}) },
    });
  }
});
