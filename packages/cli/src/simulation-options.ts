import type { Language } from '@luoshi/dsl';

/**
 * The options `luoshi simulate` takes alike whether it runs a campaign file from its start or
 * continues a live campaign `--from` a database: the scenarios, how many runs on which seed and
 * threads, where to stop, what to write and in which language. Declared once, so that the two
 * forms of the command cannot drift apart.
 */
export interface SimulationOptions {
  /** One scenario file, or several to compare (情景对比): the first is the baseline, all run with the same seeds. */
  readonly scenario: string | readonly string[];
  readonly runs: number;
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  readonly threads?: number;
  /** Stop at this time (ms) instead of the campaign's end. */
  readonly until?: number;
  /** A directory to write `report.json`, `report.html`, `results.csv` and `units.csv` into. */
  readonly out?: string;
  /** A workbook (.xlsx) to write the results, units and (comparing) the differences to. */
  readonly xlsx?: string;
  readonly format: 'text' | 'json';
  readonly lang: Language;
  /** The report's language when `--lang` was given; without it, Chinese for a Chinese campaign, else `lang`. */
  readonly reportLang?: Language;
  /** Called after each finished run, with the runs done out of `runs` (times the scenarios, comparing): the progress bar. */
  readonly onProgress?: (done: number, runs: number) => void;
}

/** What every simulator entry point (`monteCarlo`, `compareScenarios` and their `…From` forms) takes of the options. */
export interface RunOptions {
  readonly runs: number;
  readonly seed?: number;
  readonly threads?: number;
  readonly until?: number;
  readonly onProgress?: (done: number, runs: number) => void;
}

/** The run options out of the command's: one not given is left out rather than passed as `undefined`. */
export function runOptions(options: SimulationOptions): RunOptions {
  return {
    runs: options.runs,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.until === undefined ? {} : { until: options.until }),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
}
