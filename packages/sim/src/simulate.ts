import type { ValidationResult } from '@luoshi/dsl';
import {
  createEngine,
  createInProcessEngine,
  VirtualClock,
  type CampaignPlan,
  type Effect,
  type EffectsSink,
  type OrganisationUnit,
  type Store,
} from '@luoshi/engine';
import { EffectTally } from './effect-tally.js';
import type { ScenarioFile } from './model/scenario.js';
import { simError } from './errors/sim-error.js';
import type { SimulationResult } from './simulation-result.js';
import { yearProgress } from './year-progress.js';
import { LightBoard } from './light-board.js';
import { CAMPAIGN_ID, DAY, type Driver, type SentEvent } from './run/sim-unit.js';
import { Run } from './run/planned-run.js';
import { compiledCacheOf, countUnits, placeUnits, prepare, simulatedEnd } from './run/prepare-run.js';
import { collect, monthStarts, unitsByPhase } from './run/collect-result.js';

export { SIMULATION_CAMPAIGN_ID, type SentEvent } from './run/sim-unit.js';

/** What `simulate` needs. */
export interface SimulateOptions {
  /** The validated process files (from `validateProcessPaths`), the campaign and its sub-processes among them. */
  readonly definitions: ValidationResult;
  /** The campaign to simulate (its process id). */
  readonly processId: string;
  /** The scenario (a valid `ScenarioFile`, e.g. from `loadScenarioFile`). */
  readonly scenario: ScenarioFile;
  /** The organisation, when the scenario names an `organisationFile` (the loader reads it); else generated. */
  readonly organisation?: OrganisationUnit;
  /** Overrides `scenario.seed`. */
  readonly seed?: number;
  /**
   * 模拟年数 — how many years from the campaign start to simulate (whole, 1 to 50). Default: the
   * whole campaign; for a standing mechanism (长效机制, no end date), 3 years. The run covers the
   * years and the instant they end (a ranking at 年底 of the last year is made).
   */
  readonly years?: number;
  /** Receives every delivered effect as it is delivered, for callers that want more than the metrics. */
  readonly onEffect?: (effect: Effect) => void;
  /**
   * Called as the year goes by with the share of the campaign period simulated so far (0–1), each
   * time it passes another hundredth, and with 1 once the year is over (before the result is made).
   */
  readonly onProgress?: (share: number) => void;
  /**
   * Where the engine keeps the run durably (default: nothing is stored, the run is in-process), e.g. a SQLite store so
   * the live commands can read the campaign (id `sim`) afterwards. It must not already hold a
   * campaign `sim`; the run closes it when it ends.
   */
  readonly store?: Store;
  /**
   * Receives every host event the run sends and the engine applies, with its instance and time, in
   * the order they were applied: a live rehearsal can replay them on a durable engine.
   */
  readonly onSent?: (sent: SentEvent) => void;
  /** Overrides `scenario.maxRefusedShare`: the largest share of sent host events the engine may refuse before the run fails (`SIM_TOO_MANY_REFUSED`). */
  readonly maxRefusedShare?: number;
}

/** The share of host events the engine may refuse when neither the scenario nor the caller says. */
export const DEFAULT_MAX_REFUSED_SHARE = 0.05;

/**
 * Runs one campaign under one scenario on a fresh engine (in memory unless `store` is given) and a
 * virtual clock, event by event: host events (task completions, scores, complaints, findings,
 * rectifications, notices, decisions) drawn from
 * the scenario with a seeded generator are merged with the engine's own timers, always taking the
 * earliest. The same inputs and seed give the same result. Throws a `LuoshiError` when the process
 * is not among the valid definitions (`SIM_PROCESS_NOT_FOUND`), the scenario names another process
 * (`SIM_PROCESS_MISMATCH`), names a decision or option the campaign lacks (`SIM_UNKNOWN_DECISION`,
 * `SIM_UNKNOWN_OPTION`) or there is no organisation (`SIM_ORGANISATION_CHOICE`), and the engine's
 * `ENGINE_INVALID_ORGANISATION` when the organisation tree is not valid.
 */
export async function simulate(options: SimulateOptions): Promise<SimulationResult> {
  const { scenario } = options;
  let prepared: { readonly plan: CampaignPlan; readonly organisation: OrganisationUnit; readonly end: number };
  try {
    const ready = prepare(options);
    prepared = { ...ready, end: simulatedEnd(ready.plan, options.years) };
  } catch (error) {
    // The store was handed over to this run: it is closed however the run ends.
    await options.store?.close();
    throw error;
  }
  const { plan, organisation, end } = prepared;
  const { definitions, processId } = options;
  const seed = options.seed ?? scenario.seed;

  const clock = new VirtualClock(plan.start);
  const delivered = new Set<string>();
  const months = monthStarts(plan, end);
  const tally = new EffectTally(plan, months);
  const effects: EffectsSink = {
    deliver: (effect) => {
      if (delivered.has(effect.id)) return;
      delivered.add(effect.id);
      tally.add(effect);
      options.onEffect?.(effect);
    },
  };
  const engine: Driver = options.store
    ? createEngine({
        store: options.store,
        clock,
        // Every unit stays cached for the whole year: a state evicted and restored per event would cost more than the event.
        cacheSize: countUnits(organisation) + 1,
        compiledCache: compiledCacheOf(definitions),
        effects,
      })
    : createInProcessEngine({ clock, compiledCache: compiledCacheOf(definitions), effects });
  try {
    await engine.deploy(definitions);
    const run = new Run(engine, clock, plan, seed, scenario, options.onSent);
    // Instances changed since they were last looked at, with the keys of the tasks they opened (undefined: maybe any).
    const dirty = new Map<string, Set<string> | undefined>();
    engine.subscribe((change) => {
      if (change.campaignId === CAMPAIGN_ID) run.status.observe(change.instanceId, change.phase);
      // Most events open no task (the completion just performed, a deadline passing): nothing to look at.
      if (change.campaignId !== CAMPAIGN_ID || !run.mayPlan(change.instanceId, change.opened)) return;
      const keys = dirty.get(change.instanceId);
      if (change.opened === undefined) dirty.set(change.instanceId, undefined);
      else if (!dirty.has(change.instanceId)) dirty.set(change.instanceId, new Set(change.opened));
      else if (keys !== undefined) for (const key of change.opened) keys.add(key);
    });
    const started = await engine.startCampaign({ process: processId, organisation, campaignId: CAMPAIGN_ID });
    // The engine's own id strings: every map on the way (its cached states, the store's records, the
    // run's plans) then finds a key by identity instead of comparing its text.
    const units = placeUnits(organisation, scenario, new Map(started.instances.map((i) => [i.unitId, i.instanceId])));
    const byInstance = new Map(units.map((u) => [u.instanceId, u]));
    for (const u of units) dirty.set(u.instanceId, undefined);

    run.planBackground(units);
    // A whole campaign runs a day past its end (its last deadlines fall due); a span of years to its end.
    const until = end === plan.end ? plan.end + DAY : end;
    const progress = options.onProgress && yearProgress(options.onProgress, plan.start, until);
    const phaseSamples: Record<string, number>[] = [];
    // 月末亮灯: in a campaign with lights, every instance's light at each month end.
    const lightBoard = new LightBoard(plan, months, end);
    const instanceIds = units.map((u) => u.instanceId);
    const office = units.find((u) => u.office);
    // A month is sampled once everything up to and including its first instant has happened, so a phase that begins at midnight counts.
    const monthDueBefore = (t: number): boolean => phaseSamples.length < months.length && (months[phaseSamples.length] as number) < t;
    // A span of years ends at a campaign year's end, the instant the year's flags lapse: the flags
    // counted are the last year's, as they stood just before it (see collect).
    let flagsAtEnd: Readonly<Record<string, number>> | undefined;
    for (;;) {
      // Sorted so the run does not depend on the order changes arrived in; most turns have none.
      if (dirty.size > 0)
        for (const id of [...dirty.keys()].sort()) {
          const keys = dirty.get(id);
          dirty.delete(id);
          const unit = byInstance.get(id);
          if (unit) {
            // Each is awaited only when it has work: an await per event was a twentieth of a run's allocations.
            const tasks = run.planOpenTasks(unit, keys);
            if (tasks) await tasks;
            const decisions = run.planDecisions(unit);
            if (decisions) await decisions;
          }
        }
      const timerAt = await engine.nextTimerAt();
      const hostAt = run.agenda.peekAt();
      const next = Math.min(timerAt ?? Infinity, hostAt ?? Infinity);
      // Checked before anything is awaited: a month is due a dozen times a year, an event comes thousands of times.
      while (monthDueBefore(Math.min(next, until + 1))) phaseSamples.push(await unitsByPhase(engine, office));
      while (lightBoard.dueBefore(Math.min(next, until + 1))) await lightBoard.sample(engine, instanceIds);
      if (next > until) break;
      if (flagsAtEnd === undefined && end !== plan.end && next >= end) flagsAtEnd = (await engine.outcomes(CAMPAIGN_ID)).flags;
      clock.advanceTo(Math.max(next, clock.now()));
      progress?.(clock.now());
      if (timerAt !== undefined && timerAt <= (hostAt ?? Infinity)) {
        await engine.runDueTimers();
      } else {
        const entry = run.agenda.pop();
        if (entry) await run.perform(entry.value);
      }
    }
    if (until > clock.now()) clock.advanceTo(until);
    progress?.(until);
    await engine.deliverEffects();
    flagsAtEnd ??= end !== plan.end ? (await engine.outcomes(CAMPAIGN_ID)).flags : undefined;
    checkRefusals(run, options.maxRefusedShare ?? scenario.maxRefusedShare ?? DEFAULT_MAX_REFUSED_SHARE);
    const lights = lightBoard.result();
    return await collect(engine, plan, end, scenario, seed, units, run, tally, months, phaseSamples, lights, flagsAtEnd);
  } finally {
    await engine.close();
  }
}

/**
 * Fails the run when the engine refused more than `max` of the host events it was sent: what the
 * run does not send for a unit's state (closed, waiting for its cohort, a loop not rectifying) is
 * never sent, so a refusal means the scenario asks for what the process does not allow.
 */
function checkRefusals(run: Run, max: number): void {
  const refused = [...run.rejected.values()].reduce((a, b) => a + b, 0);
  const attempted = refused + [...run.sent.values()].reduce((a, b) => a + b, 0);
  if (attempted === 0 || refused / attempted <= max) return;
  const codes = [...run.rejected].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, n]) => `${code} ${n}`).join(', ');
  throw simError('SIM_TOO_MANY_REFUSED', { refused, attempted, share: `${Math.round((refused / attempted) * 1000) / 10}%`, max, codes });
}
