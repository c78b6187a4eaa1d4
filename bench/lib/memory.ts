import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What the memory measurement found, per live instance. */
export interface MemoryResult {
  readonly units: number;
  readonly members: number;
  /** Engine with its default snapshot cache + memory store: heap growth per instance. */
  readonly kbPerLiveInstance: number;
  /** The same with `cacheSize: 0`: what the memory store alone holds per instance. */
  readonly kbStoreOnly: number;
  /** The difference: the engine's cache of parsed snapshots. */
  readonly kbEngineCache: number;
  /** The same after moving into 组织实施 (timers fired, so history rows and larger snapshots). */
  readonly kbInPhase: number;
  /** The same in 组织实施 with `cacheSize: 0`. */
  readonly kbInPhaseStoreOnly: number;
  /** Mean length of one instance's snapshot JSON, in characters and in UTF-8 bytes. */
  readonly snapshotChars: number;
  readonly snapshotUtf8Bytes: number;
  readonly snapshotCharsInPhase: number;
  /** History rows an instance has in 组织实施 (start and the timers fired on the way). */
  readonly historyRowsInPhase: number;
  /** Share of snapshot strings V8 holds as two-byte (UTF-16) strings: any non-Latin-1 character. */
  readonly twoByteSnapshots: number;
}

/**
 * Starts seed 002 over `units` units × `members` members on a memory store and measures the heap
 * growth after full GCs: with the engine's default cache, with `cacheSize: 0`, and with the default
 * cache after moving into 组织实施. Runs in a child Node started with `--expose-gc`, so the parent's
 * heap does not count.
 */
export function measureMemory(units: number, members: number): Promise<MemoryResult> {
  const child = fileURLToPath(new URL('./memory-child.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...process.execArgv, '--expose-gc', child, String(units), String(members)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`memory child exited with ${code}`));
      const last = out.trim().split('\n').at(-1) ?? '';
      resolve(JSON.parse(last) as MemoryResult);
    });
  });
}
