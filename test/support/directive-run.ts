import { validateProcessPaths, type ValidationResult } from '@luoshi/dsl';
import { createInProcessEngine, createMemoryStore, VirtualClock, type Effect, type Engine, type InProcessEngine, type OrganisationUnit, type Store } from '@luoshi/engine';
import { loadScenarioFile, simulate, type SimulationResult } from '@luoshi/sim';
import { engineHarness, root, shanghai } from './campaign-harness.js';

/** A worked directive of `examples/directives/` validated on its own (with the shared sub-processes). */
export function validateDirective(file: string): ValidationResult {
  return validateProcessPaths([`${root}examples/directives/${file}`, `${root}processes/subprocesses/`]);
}

/** One seeded run of `examples/scenarios/<name>.yaml` over a validated directive. */
export async function simulateBaseline(definitions: ValidationResult, processId: string, name: string): Promise<SimulationResult> {
  const loaded = loadScenarioFile(`${root}examples/scenarios/${name}.yaml`);
  if (!loaded.ok || !loaded.scenario) throw new Error(`scenario ${name} does not load: ${JSON.stringify(loaded.diagnostics)}`);
  return simulate({ definitions, processId, scenario: loaded.scenario });
}

/** A directive running in memory on a virtual clock, for scripted runs. */
export interface DirectiveRun {
  readonly driver: InProcessEngine;
  readonly clock: VirtualClock;
  /** The effects delivered so far (actions taken, in order). */
  readonly effects: Effect[];
  /** Moves the clock to a Shanghai wall-clock time, firing every timer on the way at its own time. */
  runTo(iso: string): Promise<void>;
}

/** Starts `processId` over `organisation` as campaign `c` at the Shanghai time `startIso`. */
export async function startDirective(definitions: ValidationResult, processId: string, organisation: OrganisationUnit, startIso: string): Promise<DirectiveRun> {
  const clock = new VirtualClock(shanghai(startIso));
  const effects: Effect[] = [];
  const driver = createInProcessEngine({ clock, effects: { deliver: (e) => void effects.push(e) } });
  await driver.deploy(definitions);
  await driver.startCampaign({ process: processId, organisation, campaignId: 'c' });
  const run: DirectiveRun = {
    driver,
    clock,
    effects,
    async runTo(iso) {
      const until = shanghai(iso);
      for (;;) {
        const next = await driver.nextTimerAt();
        if (next === undefined || next > until) break;
        clock.advanceTo(Math.max(next, clock.now()));
        await driver.runDueTimers();
      }
      if (until > clock.now()) clock.advanceTo(until);
      await driver.deliverEffects();
    },
  };
  await run.runTo(startIso);
  return run;
}

/** An organisation of an office over units with the given ids. */
export function unitsNamed(office: string, ids: readonly string[]): OrganisationUnit {
  return { id: office, units: ids.map((id) => ({ id })) };
}

/** A directive running on the engine itself (a store, roles checked), for scripted runs that read subjects. */
export interface EngineDirectiveRun {
  readonly engine: Engine;
  readonly clock: VirtualClock;
  /** The effects delivered so far (actions taken, in order). */
  readonly effects: Effect[];
  /** Moves the clock to a Shanghai wall-clock time, firing every timer on the way, and delivers the effects. */
  runTo(iso: string): Promise<void>;
}

/** Starts `processId` over `organisation` as campaign `c` at the Shanghai time `startIso` on `store` (default: a memory store). */
export async function startOnEngine(
  definitions: ValidationResult,
  processId: string,
  organisation: OrganisationUnit,
  startIso: string,
  store: Store = createMemoryStore(),
): Promise<EngineDirectiveRun> {
  const run = await engineHarness(store, startIso, definitions);
  await run.engine.startCampaign({ process: processId, organisation, campaignId: 'c' });
  return run;
}
