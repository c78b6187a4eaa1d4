import type { Engine } from '@luoshi/engine';

/** How often a failure that keeps repeating is logged again, in ms. */
const REPEAT_LOG_MS = 60_000;

/** The timer rounds of `luoshi serve`, running until `stop`. */
export interface TimerTicks {
  /** Stops the rounds and waits for the one under way. */
  stop(): Promise<void>;
}

/**
 * Fires due timers (到期定时器) every `tickMs`: one round at a time (a tick that finds the last
 * round still running is skipped, so rounds never pile up behind a slow or unreachable database),
 * and a round that fails never stops the next. A failure is logged when it starts, when its
 * message changes, and once a minute while it lasts; the first round that succeeds after it
 * logs that timers run again. The engine's timers are durable: a round that failed leaves its
 * timers due, and a later round fires them.
 */
export function startTimerTicks(engine: Pick<Engine, 'runDueTimers'>, tickMs: number, log: (line: string) => void): TimerTicks {
  let running: Promise<void> | undefined;
  let failing: { readonly message: string; loggedAt: number; rounds: number } | undefined;
  const round = async (): Promise<void> => {
    try {
      await engine.runDueTimers();
      if (failing !== undefined) {
        log(`timers: running again after ${failing.rounds} failed round(s)\n`);
        failing = undefined;
      }
    } catch (error) {
      const message = describe(error);
      const now = Date.now();
      if (failing === undefined || failing.message !== message || now - failing.loggedAt >= REPEAT_LOG_MS) {
        log(`timers: a round failed, retrying every ${tickMs} ms: ${message}\n`);
        failing = { message, loggedAt: now, rounds: (failing?.rounds ?? 0) + 1 };
      } else {
        failing.rounds++;
      }
    }
  };
  const interval = setInterval(() => {
    if (running !== undefined) return;
    running = round().finally(() => {
      running = undefined;
    });
  }, tickMs);
  return {
    async stop() {
      clearInterval(interval);
      await running;
    },
  };
}

/** A failure in one line: a coded error's code and English text, else the error's message. */
function describe(error: unknown): string {
  const coded = error as { code?: unknown; message?: unknown } | null;
  if (typeof coded?.code === 'string' && typeof coded.message === 'string') return `${coded.code} ${coded.message}`;
  return error instanceof Error ? error.message : String(error);
}
