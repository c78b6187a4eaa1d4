import type { ProgressTerminal } from './simulation-progress.js';

/** Where the CLI writes; injected so tests can capture output without a child process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where progress bars go (the CLI gives process.stderr); none unless it is a TTY. */
  readonly progress?: ProgressTerminal;
  /**
   * Stops `luoshi worker` and `luoshi serve` when aborted; without it they stop on SIGINT or
   * SIGTERM. Tests run them in-process with their own.
   */
  readonly stop?: AbortSignal;
}

/** Exit codes: 0 success, 1 invalid input files, 2 usage error. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** One run of the command, as its action sees it: where it writes, and the exit code it sets (0 unless it says otherwise). */
export interface CommandRun {
  readonly io: CliIo;
  exitCode: number;
}
