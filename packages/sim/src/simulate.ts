import type { ValidationResult } from '@luoshi/dsl';
import {
  createEngine,
  createInProcessEngine,
  ENDED,
  VirtualClock,
  type CampaignPlan,
  type Effect,
  type EffectsSink,
  type HostEvent,
  type OrganisationUnit,
  type Store,
} from '@luoshi/engine';
import { EffectTally } from './effect-tally.js';
import type { ScenarioFile } from './model/scenario.js';
import { localTime, simError } from './errors/sim-error.js';
import type { SimulationResult } from './simulation-result.js';
import { yearProgress } from './year-progress.js';
import { LightBoard } from './light-board.js';
import { CAMPAIGN_ID, DAY, type Driver, type SentEvent } from './run/sim-unit.js';
import { Run } from './run/planned-run.js';
import { compiledCacheOf, countUnits, placeUnits, prepare, simulatedEnd } from './run/prepare-run.js';
import { collect, monthStarts, unitsByPhase } from './run/collect-result.js';
import { heldNow, type HeldAtEnd } from './run/unit-outcomes.js';

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
  /**
   * 模拟截至 — stop at this time (ms) if it comes before the end (of the campaign or of `years`):
   * a run kept in a `store` then stands there, to be continued (`simulateFrom`) or read.
   */
  readonly until?: number;
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
 * `SIM_UNKNOWN_OPTION`) or there is no organisation (`SIM_ORGANISATION_CHOICE`), `until` is no
 * instant (`SIM_BAD_UNTIL`) or not after the campaign's start (`SIM_UNTIL_PASSED`), `years` is not a
 * whole number of years the campaign spans (`SIM_BAD_YEARS`), and the engine's
 * `ENGINE_INVALID_ORGANISATION` when the organisation tree is not valid.
 */
export async function simulate(options: SimulateOptions): Promise<SimulationResult> {
  let prepared: { readonly plan: CampaignPlan; readonly organisation: OrganisationUnit; readonly end: number };
  try {
    const ready = prepare(options);
    const { plan } = ready;
    // A run from the start stands at the campaign's start: an `until` at or before it simulates nothing (as `simulateFrom` refuses one before its cut).
    if (options.until !== undefined && !(options.until > plan.start)) {
      throw simError('SIM_UNTIL_PASSED', { until: localTime(plan.calendar, options.until), campaign: plan.processId, at: localTime(plan.calendar, plan.start), zone: plan.calendar.zone });
    }
    prepared = { ...ready, end: Math.min(simulatedEnd(plan, options.years), options.until ?? Infinity) };
  } catch (error) {
    // The store was handed over to this run: it is closed however the run ends.
    await options.store?.close();
    throw error;
  }
  const { plan, organisation, end } = prepared;
  const { definitions, processId } = options;
  return runCampaign({
    options,
    plan,
    campaignId: CAMPAIGN_ID,
    from: plan.start,
    end,
    engine: (clock, effects) =>
      options.store
        ? createEngine({
            store: options.store,
            clock,
            // Every unit stays cached for the whole year: a state evicted and restored per event would cost more than the event.
            cacheSize: countUnits(organisation) + 1,
            compiledCache: compiledCacheOf(definitions),
            effects,
          })
        : createInProcessEngine({ clock, compiledCache: compiledCacheOf(definitions), effects }),
    open: async (engine) => {
      await engine.deploy(definitions);
      const started = await engine.startCampaign({ process: processId, organisation, campaignId: CAMPAIGN_ID });
      return { organisation, instances: new Map(started.instances.map((i) => [i.unitId, i.instanceId])) };
    },
  });
}

/** What a run needs of `SimulateOptions` once its campaign is known. */
export type RunOptions = Pick<SimulateOptions, 'scenario' | 'seed' | 'onEffect' | 'onProgress' | 'onSent' | 'maxRefusedShare'>;

/** A campaign put on a run's engine: its organisation, its instances by unit id, and what already happened in it. */
export interface OpenedCampaign {
  readonly organisation: OrganisationUnit;
  readonly instances: ReadonlyMap<string, string>;
  /** A campaign taken over part way (`simulateFrom`): the host events already sent by type, and the units per phase of each month that began before the run. */
  readonly past?: {
    readonly sent: ReadonlyMap<string, number>;
    readonly phaseSamples: readonly Record<string, number>[];
    /** Extension requests and decisions already applied (申请延期), counted in their months. */
    readonly extensions: readonly { readonly at: number; readonly event: HostEvent }[];
    /** In a campaign with flags: flag → subjects holding it at each of those months' starts, rebuilt from the history. */
    readonly flagSamples?: readonly Readonly<Record<string, number>>[];
    /**
     * The instances that had ended before the run (by their phases, a decision, the office's closing,
     * 终止): seen as ended from the first turn, so the run sends them nothing. Their open tasks are
     * still open in their records, and the run would otherwise plan and send their completions.
     */
    readonly ended?: readonly string[];
  };
}

/**
 * How a run begins: on a campaign it starts (`simulate`) or on one taken over where it stands
 * (`simulateFrom`); either way the same loop drives it from `from` to `end`.
 */
export interface RunSetup<E extends Driver = Driver> {
  readonly options: RunOptions;
  readonly plan: CampaignPlan;
  /** The campaign's id: `sim` for a campaign the run starts, the stored one for one it continues. */
  readonly campaignId: string;
  /** When the run begins: the campaign start, or the time the campaign is continued from. */
  readonly from: number;
  readonly end: number;
  readonly engine: (clock: VirtualClock, effects: EffectsSink) => E;
  /** Puts the campaign on the engine; effects that already happened go straight to the tally. */
  readonly open: (engine: E, tally: EffectTally) => Promise<OpenedCampaign>;
}

/** The run loop: host events drawn from the scenario merged with the engine's timers, from `setup.from` to the end. */
export async function runCampaign<E extends Driver>(setup: RunSetup<E>): Promise<SimulationResult> {
  const { plan, end, from, options } = setup;
  const { scenario } = options;
  const seed = options.seed ?? scenario.seed;

  const clock = new VirtualClock(from);
  const delivered = new Set<string>();
  const months = monthStarts(plan, end);
  // A run cut short (`years`, `until`) ends where the next month it does not hold begins: what is dated
  // at that instant belongs to that month. A whole campaign's last month keeps its overtime day.
  const tally = new EffectTally(plan, months, end === plan.end ? Infinity : end);
  const effects: EffectsSink = {
    deliver: (effect) => {
      if (delivered.has(effect.id)) return;
      delivered.add(effect.id);
      tally.add(effect);
      options.onEffect?.(effect);
    },
  };
  const engine = setup.engine(clock, effects);
  try {
    const { campaignId } = setup;
    const run = new Run(engine, clock, plan, seed, scenario, options.onSent, campaignId);
    // Instances changed since they were last looked at, with the keys of the tasks they opened (undefined: maybe any, as at the start).
    const dirty = new Map<string, Set<string> | undefined>();
    engine.subscribe((change) => {
      if (change.campaignId === campaignId) run.status.observe(change.instanceId, change.phase);
      // Most events open no task (the completion just performed, a deadline passing): nothing to look at.
      if (change.campaignId !== campaignId || !run.mayPlan(change.instanceId, change.opened)) return;
      const keys = dirty.get(change.instanceId);
      if (!dirty.has(change.instanceId)) dirty.set(change.instanceId, new Set(change.opened));
      else if (keys !== undefined) for (const key of change.opened) keys.add(key);
    });
    const opened = await setup.open(engine, tally);
    const { organisation } = opened;
    for (const [type, n] of opened.past?.sent ?? []) run.sent.set(type, n);
    for (const instanceId of opened.past?.ended ?? []) run.status.observe(instanceId, ENDED);
    for (const { at, event } of opened.past?.extensions ?? []) run.extensions.count(at, event, undefined);
    // The engine's own id strings: every map on the way (its cached states, the store's records, the
    // run's plans) then finds a key by identity instead of comparing its text.
    const units = placeUnits(organisation, scenario, opened.instances);
    const byInstance = new Map(units.map((u) => [u.instanceId, u]));
    for (const u of units) dirty.set(u.instanceId, undefined);

    // A campaign taken over part way: the rectification rounds it left open are taken up.
    if (opened.past) for (const unit of units) await run.planOpenRounds(unit);
    // …and the items its units hold go on from where they stand.
    run.planBackground(units, from, opened.past && plan.trackedKinds ? await engine.items(campaignId) : undefined);
    // A whole campaign runs a day past its end (its last deadlines fall due); a span of years to its end.
    const until = end === plan.end ? plan.end + DAY : end;
    const progress = options.onProgress && yearProgress(options.onProgress, from, until);
    // 终止活动: the day the scenario has the office close the campaign, once, at the start of that day.
    let closing = closingOf(plan, scenario, from, until);
    const phaseSamples: Record<string, number>[] = [...(opened.past?.phaseSamples ?? [])];
    // Flags held at each month's start, sampled with the phases (a continued campaign's months before the cut: as rebuilt from its history).
    const flagSamples: (Readonly<Record<string, number>> | undefined)[] = phaseSamples.map((_, i) => opened.past?.flagSamples?.[i]);
    const sampleMonth = async (): Promise<void> => {
      phaseSamples.push(await unitsByPhase(engine, office, campaignId));
      flagSamples.push(plan.flags.size > 0 ? await engine.flagsHeld(campaignId) : undefined);
    };
    // 月末亮灯: in a campaign with lights, every instance's light at each month end (those that end from the run's beginning on).
    const lightBoard = new LightBoard(plan, lightMonths(months, from, end), end);
    const instanceIds = units.map((u) => u.instanceId);
    const office = units.find((u) => u.office);
    // A month is sampled once everything up to and including its first instant has happened, so a phase that begins at midnight counts.
    const monthDueBefore = (t: number): boolean => phaseSamples.length < months.length && (months[phaseSamples.length] as number) < t;
    // A span of years ends at a campaign year's end, the instant the year's flags lapse: the flags
    // counted are the last year's, as they stood just before it (see collect).
    let flagsAtEnd: Readonly<Record<string, number>> | undefined;
    let heldAtEnd: HeldAtEnd | undefined;
    if (opened.past) {
      // A campaign continued from `from`: the instant belongs to its history. Timers due by then fire
      // (as a worker would have fired them), and what is sampled at it is sampled before the run's
      // own events there (a completion drawn with no delay).
      await engine.runDueTimers();
      while (monthDueBefore(from + 1)) await sampleMonth();
      while (lightBoard.dueBefore(from + 1)) await lightBoard.sample(engine, instanceIds, campaignId);
    }
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
      const next = Math.min(timerAt ?? Infinity, hostAt ?? Infinity, closing ?? Infinity);
      // Checked before anything is awaited: a month is due a dozen times a year, an event comes thousands of times.
      while (monthDueBefore(Math.min(next, until + 1))) await sampleMonth();
      while (lightBoard.dueBefore(Math.min(next, until + 1))) await lightBoard.sample(engine, instanceIds, campaignId);
      if (next > until) break;
      if (flagsAtEnd === undefined && end !== plan.end && next >= end) {
        flagsAtEnd = await engine.flagsHeld(campaignId);
        heldAtEnd = await heldNow(engine, campaignId);
      }
      clock.advanceTo(Math.max(next, clock.now()));
      progress?.(clock.now());
      if (closing !== undefined && closing <= next) {
        // First at its instant: that day's work never opens, and a deadline that ends as the day begins
        // (the day before's) is ruled over with the rest; the run then sends nothing to a closed unit.
        await engine.closeCampaign(campaignId, { actor: CLOSING_ACTOR, reason: `情景假设：${scenario.closeAt ?? ''}起终止活动` });
        closing = undefined;
      } else if (timerAt !== undefined && timerAt <= (hostAt ?? Infinity)) {
        await engine.runDueTimers();
      } else {
        const entry = run.agenda.pop();
        if (entry) await run.perform(entry.value);
      }
    }
    if (until > clock.now()) clock.advanceTo(until);
    progress?.(until);
    await engine.deliverEffects();
    flagsAtEnd ??= end !== plan.end ? await engine.flagsHeld(campaignId) : undefined;
    heldAtEnd ??= end !== plan.end ? await heldNow(engine, campaignId) : undefined;
    checkRefusals(run, options.maxRefusedShare ?? scenario.maxRefusedShare ?? DEFAULT_MAX_REFUSED_SHARE);
    const lights = lightBoard.result();
    return await collect(engine, plan, end, scenario, seed, units, run, tally, months, { phases: phaseSamples, flags: flagSamples }, lights, flagsAtEnd, heldAtEnd, campaignId);
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

/** Who the history of a simulated closing names: the office, as the scenario assumes it acts. */
const CLOSING_ACTOR = '情景';

/**
 * The instant a scenario's `closeAt` closes the campaign: the start of that day in the campaign's
 * zone; undefined without one. A day not after the run's start, or not before its end, is refused
 * (SIM_BAD_CLOSE_AT): a closing the run never reaches would silently change nothing.
 */
function closingOf(plan: CampaignPlan, scenario: ScenarioFile, from: number, until: number): number | undefined {
  if (scenario.closeAt === undefined) return undefined;
  const at = plan.calendar.startOfDay(scenario.closeAt);
  if (at === undefined || !(at > from) || !(at < until)) {
    throw simError('SIM_BAD_CLOSE_AT', { closeAt: scenario.closeAt, from: localTime(plan.calendar, from), end: localTime(plan.calendar, until), zone: plan.calendar.zone });
  }
  return at;
}

/** The month starts whose months end at or after `from` (a month ends where the next begins, the last at `end`): those a run from `from` can still sample. */
function lightMonths(months: readonly number[], from: number, end: number): readonly number[] {
  const first = months.findIndex((_, i) => (months[i + 1] ?? end) >= from);
  return first <= 0 ? months : months.slice(first);
}
