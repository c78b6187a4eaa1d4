import { SingleBar } from 'cli-progress';
import type { Language } from '@luoshi/dsl';

/** A terminal a progress bar can be drawn on (process.stderr, or a test's stand-in). */
export interface ProgressTerminal extends NodeJS.WritableStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** The bar of a simulation: `onProgress` for `monteCarlo`, and `stop` once it has returned or failed. */
export interface SimulationProgress {
  readonly onProgress: (done: number, runs: number) => void;
  readonly stop: () => void;
}

/**
 * A progress bar (cli-progress) for `luoshi simulate`: the share of the year for one run, runs done
 * for many (a run under way counting by its share). Undefined when `terminal` is not a TTY: pipes,
 * logs and `--format json > file` stay clean.
 */
export function simulationProgress(terminal: ProgressTerminal | undefined, runs: number, lang: Language): SimulationProgress | undefined {
  if (!terminal?.isTTY) return undefined;
  const zh = lang === 'zh';
  const format =
    runs === 1
      ? zh
        ? '模拟全年 [{bar}] {percentage}% | 预计剩余 {eta_formatted}'
        : 'simulating the year [{bar}] {percentage}% | ETA {eta_formatted}'
      : zh
        ? '模拟 [{bar}] {percentage}% | 已完成 {finished} 次 | 预计剩余 {eta_formatted}'
        : 'simulating [{bar}] {percentage}% | {finished} runs done | ETA {eta_formatted}';
  // Hundredths of a run as the unit: the bar's value must be a count, and a run reports its year in hundredths.
  const bar = new SingleBar({ stream: terminal, format, barsize: 30, etaBuffer: 50 });
  let started = false;
  return {
    onProgress: (done, total) => {
      const finished = `${Math.floor(done)}/${total}`;
      if (!started) {
        started = true;
        bar.start(total * 100, 0, { finished });
      }
      bar.update(Math.round(done * 100), { finished });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
