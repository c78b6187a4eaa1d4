import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateProcessPaths, type ValidationResult } from '@luoshi/dsl';
import { createEngine, runUntil, VirtualClock, type Effect, type Engine, type HostEvent, type Store } from '@luoshi/engine';
export { sampleOrganisation as organisation } from '@luoshi/engine';
import { createKyselyStore } from '@luoshi/store-kysely';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Milliseconds of a wall-clock time in Shanghai. */
export function shanghai(iso: string): number {
  return Date.parse(`${iso}+08:00`);
}

/** A fresh SQLite file in a temp folder. */
export function tempDatabase(name = 'luoshi.sqlite'): string {
  return join(mkdtempSync(join(tmpdir(), 'luoshi-')), name);
}


export interface Harness {
  readonly engine: Engine;
  readonly clock: VirtualClock;
  readonly effects: Effect[];
  /** Moves the clock, firing every timer on the way, and delivers the effects. */
  runTo(iso: string): Promise<void>;
  close(): Promise<void>;
}

/** An engine on the SQLite store at `file` with the bundled processes deployed. */
export async function openHarness(file: string, start: string | number, effects: Effect[] = []): Promise<Harness> {
  return engineHarness(await createKyselyStore({ sqlite: file }), start, validateProcessPaths([join(root, 'processes')]), effects);
}

/** An engine on `store` with a virtual clock at `start` (a Shanghai wall-clock time, or ms), `definitions` deployed, its effects kept in `effects`. */
export async function engineHarness(store: Store, start: string | number, definitions: ValidationResult, effects: Effect[] = []): Promise<Harness> {
  const clock = new VirtualClock(typeof start === 'number' ? start : shanghai(start));
  const engine = createEngine({ store, clock, effects: { deliver: (e) => void effects.push(e) } });
  await engine.deploy(definitions);
  return {
    engine,
    clock,
    effects,
    async runTo(iso) {
      await runUntil(engine, clock, shanghai(iso));
      await engine.deliverEffects();
    },
    close: () => engine.close(),
  };
}

/** One scripted event of `examples/events/*.json`. */
export interface ScriptStep {
  readonly at: string;
  readonly unit: string;
  readonly event: HostEvent;
  readonly actor?: string;
}

/** The sample script of seed 002, sorted by time. */
export function sampleScript(): ScriptStep[] {
  const steps = JSON.parse(readFileSync(join(root, 'examples/events/002-sample.json'), 'utf8')) as ScriptStep[];
  return steps.map((s, i) => ({ s, i })).sort((a, b) => shanghai(a.s.at) - shanghai(b.s.at) || a.i - b.i).map((x) => x.s);
}

/** Applies script steps at their times, firing timers in between; each step with idempotency key `step-<n>`. */
export async function applyScript(h: Harness, campaignId: string, steps: readonly ScriptStep[], first = 0): Promise<void> {
  for (const [i, step] of steps.entries()) {
    await runUntil(h.engine, h.clock, Math.max(h.clock.now(), shanghai(step.at)));
    await h.engine.send(`${campaignId}/${step.unit}`, step.event, {
      idempotencyKey: `step-${first + i}`,
      ...(step.actor ? { actor: step.actor } : {}),
    });
  }
  await h.engine.deliverEffects();
}
