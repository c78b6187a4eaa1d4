import { itemsResult, planItems } from './item-flow.js';
import { STANDING_HORIZON_YEARS, type ValidationResult } from '@luoshi/dsl';
import {
  CompiledCache,
  compilePlan,
  createEngine,
  createInProcessEngine,
  EngineError,
  processBundle,
  VirtualClock,
  writtenId,
  type CampaignPlan,
  type Effect,
  type Engine,
  type EffectsSink,
  type HostEvent,
  type OrganisationUnit,
  type Store,
  type TaskView,
} from '@luoshi/engine';
import { Agenda } from './agenda/agenda.js';
import { EffectTally } from './effect-tally.js';
import { simError } from './errors/sim-error.js';
import type { Behaviour, DecisionBehaviour, Distribution, ScenarioFile } from './model/scenario.js';
import { generateOrganisation } from './organisation/generate-organisation.js';
import { exponential, sample } from './random/distributions.js';
import { createPrng, type Prng } from './random/prng.js';
import type { DeadlineOutcome, MonthSample, RankingOutcome, SimulationResult, Timeline, TimelineDeadline } from './simulation-result.js';
import { cmp, round4, sortKeys } from './stable-order.js';
import { yearProgress } from './year-progress.js';
import { LightBoard, type LightsResult } from './light-board.js';
import { ownValue, setOwn } from './own-keys.js';

/** An inspection loop of the plan (the engine exports the plan, not this part's name). */
type InspectionPlan = CampaignPlan['inspections'] extends ReadonlyMap<string, infer I> ? I : never;

const DAY = 86_400_000;
const MONTH = 30.4375 * DAY;
/** The campaign id every simulated run uses, e.g. to read a run kept in a caller's store. */
export const SIMULATION_CAMPAIGN_ID = 'sim';
const CAMPAIGN_ID = SIMULATION_CAMPAIGN_ID;
/** Days between a rectification and its re-inspection. */
const REINSPECTION_DAYS = 3;
/** Days between a finding and the notice that names someone for it, when the scenario gives none. */
const NOTICE_DELAY: Distribution = { kind: 'fixed', mean: 3 };

/**
 * The compiled campaigns of each set of definitions simulated: a Monte Carlo thread runs `simulate`
 * once per seed with the same definitions object, an engine each, and compiling the campaign again
 * for every run cost about 3% of a run. Keyed weakly: the cache goes with the definitions.
 */
const compiledByDefinitions = new WeakMap<ValidationResult, CompiledCache>();

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
}

/** A host event a run applied: to which instance, and when. */
export interface SentEvent {
  readonly instanceId: string;
  readonly event: HostEvent;
  readonly at: number;
}

/**
 * What a run drives: the in-process driver (默认: states in memory, nothing durable) or, when the
 * caller hands over a store, the durable engine on it, so the live commands can read the run after.
 */
type Driver = Pick<Engine, 'deploy' | 'startCampaign' | 'send' | 'runDueTimers' | 'nextTimerAt' | 'deliverEffects' | 'subscribe' | 'state' | 'tasks' | 'rollup' | 'outcomes' | 'standings' | 'items' | 'close'>;

/** A unit of the simulated organisation with what the simulator needs of it. */
interface SimUnit {
  readonly id: string;
  readonly instanceId: string;
  readonly members: readonly string[];
  readonly behaviour: Behaviour;
  readonly office: boolean;
}

/** A decision of the plan with the scenario's assumption about it. */
interface PlannedDecision {
  readonly id: string;
  readonly behaviour: DecisionBehaviour;
}

/** A host event the simulator has planned. */
type Planned =
  | { readonly kind: 'send'; readonly unit: SimUnit; readonly event: HostEvent }
  | { readonly kind: 'decide'; readonly unit: SimUnit; readonly phase: string; readonly event: HostEvent }
  | { readonly kind: 'finding'; readonly unit: SimUnit; readonly inspection: InspectionPlan; readonly member?: string }
  | { readonly kind: 'rectify'; readonly unit: SimUnit; readonly inspection: InspectionPlan; readonly passes: boolean }
  | { readonly kind: 'reinspect'; readonly unit: SimUnit; readonly inspection: InspectionPlan; readonly passed: boolean };

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
  const prng = createPrng(seed);

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
    const run = new Run(engine, clock, plan, prng, scenario, options.onSent);
    // Instances changed since they were last looked at, with the keys of the tasks they opened (undefined: maybe any).
    const dirty = new Map<string, Set<string> | undefined>();
    engine.subscribe((change) => {
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
    const lights = lightBoard.result();
    return await collect(engine, plan, end, scenario, seed, units, run, tally, months, phaseSamples, lights, flagsAtEnd);
  } finally {
    await engine.close();
  }
}

/** The mutable state of one run: the agenda, what has been planned, what was sent and refused. */
class Run {
  readonly agenda = new Agenda<Planned>();
  readonly sent = new Map<string, number>();
  readonly rejected = new Map<string, number>();
  /** Per instance, the keys of the tasks already planned. */
  readonly #planned = new Map<string, Set<string>>();
  readonly #engine: Driver;
  readonly #clock: VirtualClock;
  readonly #onSent: ((sent: SentEvent) => void) | undefined;
  readonly #plan: CampaignPlan;
  readonly #prng: Prng;
  /** Phase id → the decisions the scenario says something about; empty when no phase ends on one. */
  readonly #decisions = new Map<string, readonly PlannedDecision[]>();
  /** The phase each instance was last seen in, to notice entering a phase (again). */
  readonly #phaseOf = new Map<string, string>();
  /** Decisions the leading group takes once for every unit: the option (or none) and the delay. */
  readonly #campaignDraws = new Map<string, { readonly option: string | undefined; readonly days: number }>();

  constructor(engine: Driver, clock: VirtualClock, plan: CampaignPlan, prng: Prng, scenario: ScenarioFile, onSent?: (sent: SentEvent) => void) {
    this.#engine = engine;
    this.#onSent = onSent;
    this.#clock = clock;
    this.#plan = plan;
    this.#prng = prng;
    for (const phase of plan.phases) {
      const known = phase.decisions.flatMap((d) => {
        const behaviour = ownValue(scenario.decisions, d.id);
        return behaviour ? [{ id: d.id, behaviour }] : [];
      });
      if (known.length > 0) this.#decisions.set(phase.id, known);
    }
  }

  /** Plans the Poisson processes known in advance: complaints per member, findings per unit. */
  planBackground(units: readonly SimUnit[]): void {
    const { start, end } = this.#plan;
    // A periodic inspection (定期检查, `every:`) finds what it finds on its own calendar (`#planInspection`), not at random times.
    const inspections = this.#randomInspections();
    for (const unit of units) {
      if (unit.office) continue;
      const complaintRate = unit.behaviour.complaintsPerMemberPerMonth ?? 0;
      if (complaintRate > 0) {
        for (const member of unit.members) {
          for (let t = start + exponential(this.#prng, MONTH / complaintRate); t < end; t += exponential(this.#prng, MONTH / complaintRate)) {
            this.agenda.push(Math.round(t), { kind: 'send', unit, event: { type: 'complaint.verified', member } });
          }
        }
      }
      const noticeRate = unit.behaviour.notifications?.perMemberPerMonth ?? 0;
      if (noticeRate > 0) {
        for (const member of unit.members) {
          for (let t = start + exponential(this.#prng, MONTH / noticeRate); t < end; t += exponential(this.#prng, MONTH / noticeRate)) {
            this.agenda.push(Math.round(t), { kind: 'send', unit, event: { type: 'notified', member } });
          }
        }
      }
      const findingRate = unit.behaviour.findingsPerUnitPerMonth ?? 0;
      if (findingRate > 0 && inspections.length > 0) {
        for (let t = start + exponential(this.#prng, MONTH / findingRate); t < end; t += exponential(this.#prng, MONTH / findingRate)) {
          // Only inspections whose phase may run at the time: a loop runs while its phase does.
          // (A unit whose path leaves the calendar, by a decision or an early exit, is checked when the finding comes.)
          const running = inspections.filter((i) => this.#mayRun(i, t));
          if (running.length === 0) continue;
          const inspection = running[Math.floor(this.#prng.next() * running.length)] as InspectionPlan;
          const member = inspection.subject === 'member' ? this.#pick(unit.members) : undefined;
          if (inspection.subject === 'member' && member === undefined) continue;
          this.agenda.push(Math.round(t), { kind: 'finding', unit, inspection, ...(member === undefined ? {} : { member }) });
        }
      }
      // 督办事项: drawn last, and only with items and a behaviour for them, so other runs draw as before.
      planItems(this.#plan, unit.behaviour.items, this.#prng, start, end, (at, event) => this.agenda.push(at, { kind: 'send', unit, event }));
    }
  }

  /** The inspections that find at random times (not periodic ones, 定期检查), by id. */
  #randomInspections(): InspectionPlan[] {
    return [...this.#plan.inspections.values()].filter((i) => this.#plan.items.get(i.id)?.kind !== 'inspection').sort((a, b) => cmp(a.id, b.id));
  }

  /**
   * Whether one of the phases that declare an inspection may run at a time: its window holds it, or
   * it has no window of its own (长效管理, entered when a unit passes: any time of the campaign).
   */
  #mayRun(inspection: InspectionPlan, t: number): boolean {
    return inspection.phases.some((id) => {
      const phase = this.#plan.phaseById.get(id);
      return phase !== undefined && (phase.opens === undefined || (phase.start <= t && t < phase.end));
    });
  }

  /** The first inspection (by id) that runs for the unit now, finding at random times. */
  async #inspectionNow(unit: SimUnit, now: number): Promise<InspectionPlan | undefined> {
    for (const inspection of this.#randomInspections()) if (await this.#inspecting(unit, inspection, now)) return inspection;
    return undefined;
  }

  /** Whether an inspection runs for the unit now: it is in a phase that declares it, and that phase's window has opened. */
  async #inspecting(unit: SimUnit, inspection: InspectionPlan, now: number): Promise<boolean> {
    const { phase } = await this.#engine.state(unit.instanceId);
    const opens = this.#plan.phaseById.get(phase)?.opens;
    return inspection.phases.includes(phase) && !(opens !== undefined && opens > now);
  }

  /**
   * Whether a change to an instance that opened the tasks under `opened` (undefined: maybe any) may
   * give this run something to plan: a task not yet planned (one opened again after it was done
   * was planned the first time), or a phase entered when the campaign has decisions.
   */
  mayPlan(instanceId: string, opened: readonly string[] | undefined): boolean {
    return opened === undefined || this.#decisions.size > 0 || (opened.length > 0 && !this.#allPlanned(instanceId, opened));
  }

  /**
   * Plans the completion (or score) of every task of the unit that is open and not yet planned,
   * looking only at `keys` when given (the tasks opened since the unit was last looked at).
   * Undefined, without asking the engine, when there is nothing to look at.
   */
  planOpenTasks(unit: SimUnit, keys?: ReadonlySet<string>): Promise<void> | undefined {
    if (keys?.size === 0) return undefined;
    // `mayPlan` lets such changes through only when the campaign has decisions: they still ask nothing.
    if (keys !== undefined && this.#allPlanned(unit.instanceId, keys)) return undefined;
    return this.#planOpenTasks(unit, keys);
  }

  async #planOpenTasks(unit: SimUnit, keys: ReadonlySet<string> | undefined): Promise<void> {
    const now = this.#clock.now();
    const open = await this.#engine.tasks(unit.instanceId, { status: ['open', 'overdue'], ...(keys ? { keys: [...keys] } : {}) });
    for (const task of open) {
      let planned = this.#planned.get(unit.instanceId);
      if (planned === undefined) this.#planned.set(unit.instanceId, (planned = new Set()));
      if (planned.has(task.key)) continue;
      planned.add(task.key);
      if (task.kind === 'evaluation') this.#planScore(unit, task, now);
      else if (task.kind === 'inspection') this.#planInspection(unit, task, now);
      else this.#planCompletion(unit, task, now);
    }
  }

  #allPlanned(instanceId: string, keys: Iterable<string>): boolean {
    const planned = this.#planned.get(instanceId);
    if (planned === undefined) return false;
    for (const key of keys) if (!planned.has(key)) return false;
    return true;
  }

  /**
   * Plans the decisions of the phase the unit has just entered (a phase re-entered through a loop
   * counts as new): the option drawn from the scenario's probabilities, taken the sampled number of
   * days later; a draw that falls in "never" plans nothing.
   * Undefined when the campaign has no decisions the scenario speaks of.
   */
  planDecisions(unit: SimUnit): Promise<void> | undefined {
    return this.#decisions.size === 0 ? undefined : this.#planDecisions(unit);
  }

  async #planDecisions(unit: SimUnit): Promise<void> {
    const { phase } = await this.#engine.state(unit.instanceId);
    if (this.#phaseOf.get(unit.instanceId) === phase) return;
    this.#phaseOf.set(unit.instanceId, phase);
    // A phase entered before its window waits for it: its decisions are counted from the opening.
    const now = Math.max(this.#clock.now(), this.#plan.phaseById.get(phase)?.opens ?? 0);
    for (const decision of this.#decisions.get(phase) ?? []) {
      // A decision on each unit (scope: unit: 申报, 验收结论) is about a unit's own work: the office,
      // which holds none, is no unit to decide on (its flags and effects would count as one more
      // town's). It takes the leading group's decisions for every unit (scope: campaign) with them.
      if (unit.office && decision.behaviour.scope === 'unit') continue;
      const { option, days } = this.#drawDecision(decision);
      if (option === undefined) continue;
      const event: HostEvent = { type: 'decision.taken', decision: decision.id, option };
      this.agenda.push(now + Math.round(days * DAY), { kind: 'decide', unit, phase, event });
    }
  }

  #drawDecision(decision: PlannedDecision): { readonly option: string | undefined; readonly days: number } {
    const campaignWide = (decision.behaviour.scope ?? 'campaign') === 'campaign';
    const cached = campaignWide ? this.#campaignDraws.get(decision.id) : undefined;
    if (cached) return cached;
    const u = this.#prng.next();
    let option: string | undefined;
    let acc = 0;
    // Options in file order: the planner's order is the one the probabilities were written in.
    for (const [id, p] of Object.entries(decision.behaviour.options)) {
      acc += p;
      if (u < acc) {
        option = id;
        break;
      }
    }
    const draw = { option, days: Math.max(0, sample(this.#prng, decision.behaviour.delay)) };
    if (campaignWide) this.#campaignDraws.set(decision.id, draw);
    return draw;
  }

  #planCompletion(unit: SimUnit, task: TaskView, now: number): void {
    const behaviour = unit.behaviour.tasks;
    if (this.#prng.next() < behaviour.neverProbability) return;
    const days = Math.max(0, sample(this.#prng, behaviour.delay));
    const event: HostEvent = withMember(this.#completed(task), task.member);
    this.agenda.push(now + Math.round(days * DAY), { kind: 'send', unit, event });
  }

  /** A task's completion; an occurrence's is for its own period (报告期), however late it comes. */
  #completed(task: TaskView): { type: 'task.completed'; task: string; period?: string } {
    const completed: { type: 'task.completed'; task: string; period?: string } = { type: 'task.completed', task: task.item };
    const start = task.occurrence === undefined ? undefined : this.#plan.items.get(task.item)?.recurrence?.starts[task.occurrence];
    const period = start === undefined ? null : this.#plan.calendar.dateTime(start).toISODate();
    if (period) completed.period = period;
    return completed;
  }

  /**
   * 定期检查 — one period's inspection of a subject: the inspector comes somewhere in the first 90% of
   * the period and finds something with the chance of at least one finding in it at the unit's
   * rate (`findingsPerUnitPerMonth`), else records a clean result (the occurrence completed). The
   * inspector is not the scenario's to delay: it always comes.
   */
  #planInspection(unit: SimUnit, task: TaskView, now: number): void {
    const inspection = this.#plan.inspections.get(task.item);
    if (inspection === undefined) return;
    const span = task.dueAt !== undefined && task.dueAt > now ? task.dueAt - now : DAY;
    const at = now + Math.round(this.#prng.next() * span * 0.9);
    const found = this.#prng.next() < 1 - Math.exp((-(unit.behaviour.findingsPerUnitPerMonth ?? 0) * span) / MONTH);
    if (found) this.agenda.push(at, { kind: 'finding', unit, inspection, ...(task.member === undefined ? {} : { member: task.member }) });
    else this.agenda.push(at, { kind: 'send', unit, event: withMember(this.#completed(task), task.member) });
  }

  #planScore(unit: SimUnit, task: TaskView, now: number): void {
    // Present whenever the campaign has evaluations (`checkBehaviourNeeded`).
    const scores = unit.behaviour.scores;
    if (!scores) return;
    const item = this.#plan.items.get(task.item);
    // 周期: a later cycle's evaluation (年度考核.2025) is scored as the scenario says of 年度考核.
    const distribution = ownValue(scores.evaluations, item ? writtenId(item) : task.item) ?? scores.default;
    const scale = item?.scale ?? { min: 0, max: 100 };
    const raw = sample(this.#prng, distribution);
    const score = Math.round(Math.min(scale.max, Math.max(scale.min, raw)) * 100) / 100;
    // Scores come in before the deadline: somewhere in the first 90% of the time left.
    const window = task.dueAt !== undefined && task.dueAt > now ? (task.dueAt - now) * 0.9 : DAY;
    const at = now + Math.round(this.#prng.next() * window);
    const event: HostEvent = withMember({ type: 'score.given', evaluation: task.item, score }, task.member);
    this.agenda.push(at, { kind: 'send', unit, event });
  }

  /** Carries out one planned host event at the current time. */
  perform(planned: Planned): Promise<unknown> {
    // Most are plain sends: no frame of their own around the send.
    return planned.kind === 'send' ? this.#send(planned.unit, planned.event) : this.#performStep(planned);
  }

  async #performStep(planned: Exclude<Planned, { readonly kind: 'send' }>): Promise<void> {
    const now = this.#clock.now();
    switch (planned.kind) {
      case 'decide': {
        // The phase may have ended meanwhile (its window, another decision): a stale decision is not sent.
        const { phase } = await this.#engine.state(planned.unit.instanceId);
        if (phase === planned.phase) await this.#send(planned.unit, planned.event);
        return;
      }
      case 'finding': {
        const { unit } = planned;
        let { inspection, member } = planned;
        // The unit is elsewhere than the calendar said (a branch, a phase left early, a phase without a
        // window it has or has not entered): the inspection it is under now finds it, if any.
        if (!(await this.#inspecting(unit, inspection, now))) {
          const instead = await this.#inspectionNow(unit, now);
          if (instead === undefined) return;
          inspection = instead;
          member = instead.subject === 'member' ? (member ?? this.#pick(unit.members)) : undefined;
          if (instead.subject === 'member' && member === undefined) return;
        }
        const event: HostEvent = withMember({ type: 'finding.recorded', inspection: inspection.id }, member);
        if (await this.#send(unit, event)) {
          this.#planNotice(unit, inspection, member, now);
          this.#planRectification(unit, inspection, now);
        }
        return;
      }
      case 'rectify': {
        const { unit, inspection, passes } = planned;
        if (!(await this.#send(unit, { type: 'rectification.done', inspection: inspection.id }))) return;
        if (inspection.reinspect) {
          this.agenda.push(now + REINSPECTION_DAYS * DAY, { kind: 'reinspect', unit, inspection, passed: passes });
        }
        return;
      }
      case 'reinspect': {
        const { unit, inspection, passed } = planned;
        const ok = await this.#send(unit, { type: 'reinspection.recorded', inspection: inspection.id, passed });
        // A failed re-inspection opens the next round (until maxRounds): the unit rectifies again.
        if (ok && !passed) this.#planRectification(unit, inspection, now);
        return;
      }
    }
  }

  /** A finding circulated in a notice naming a member (抽查被通报), with the scenario's probability. */
  #planNotice(unit: SimUnit, inspection: InspectionPlan, member: string | undefined, from: number): void {
    const notifications = unit.behaviour.notifications;
    const p = notifications?.perFinding ?? 0;
    if (p <= 0 || this.#prng.next() >= p) return;
    const named = member ?? this.#pick(unit.members);
    const days = Math.max(0, sample(this.#prng, notifications?.delay ?? NOTICE_DELAY));
    const event: HostEvent = withMember({ type: 'notified', inspection: inspection.id }, named);
    this.agenda.push(from + Math.round(days * DAY), { kind: 'send', unit, event });
  }

  #planRectification(unit: SimUnit, inspection: InspectionPlan, from: number): void {
    // Present whenever the campaign has inspections (`checkBehaviourNeeded`).
    const r = unit.behaviour.rectification;
    if (!r) return;
    const deadline = this.#plan.calendar.addDuration(from, inspection.rectifyWithin);
    const span = Math.max(deadline - from, DAY);
    const u = this.#prng.next();
    if (u < r.onTime) {
      this.agenda.push(from + Math.round(span * (0.2 + 0.7 * this.#prng.next())), { kind: 'rectify', unit, inspection, passes: true });
    } else if (u < r.onTime + r.late) {
      this.agenda.push(deadline + Math.round(DAY * (1 + 14 * this.#prng.next())), { kind: 'rectify', unit, inspection, passes: true });
    } else if (u < r.onTime + r.late + r.failsReinspection) {
      this.agenda.push(from + Math.round(span * (0.2 + 0.7 * this.#prng.next())), { kind: 'rectify', unit, inspection, passes: false });
    }
    // Otherwise the unit never rectifies: the engine's deadline does the rest.
  }

  /** Sends one event; a refusal by the engine is counted by its code, not thrown. */
  async #send(unit: SimUnit, event: HostEvent): Promise<boolean> {
    try {
      await this.#engine.send(unit.instanceId, event, { actor: 'sim' });
      this.#onSent?.({ instanceId: unit.instanceId, event, at: this.#clock.now() });
      this.sent.set(event.type, (this.sent.get(event.type) ?? 0) + 1);
      return true;
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      this.rejected.set(error.code, (this.rejected.get(error.code) ?? 0) + 1);
      return false;
    }
  }

  #pick<T>(list: readonly T[]): T | undefined {
    return list.length === 0 ? undefined : list[Math.floor(this.#prng.next() * list.length)];
  }
}

/** The compiled campaigns shared by the runs of these definitions. */
function compiledCacheOf(definitions: ValidationResult): CompiledCache {
  let cache = compiledByDefinitions.get(definitions);
  if (cache === undefined) {
    cache = new CompiledCache();
    compiledByDefinitions.set(definitions, cache);
  }
  return cache;
}

/** The checks that need no engine: the campaign, the scenario's process and decisions, the organisation. */
function prepare(options: SimulateOptions): { readonly plan: CampaignPlan; readonly organisation: OrganisationUnit } {
  const { definitions, processId, scenario } = options;
  const campaign = definitions.campaigns.get(processId);
  if (!campaign) throw simError('SIM_PROCESS_NOT_FOUND', { process: processId });
  if (scenario.process !== undefined && scenario.process !== processId) {
    throw simError('SIM_PROCESS_MISMATCH', { process: processId, expected: scenario.process });
  }
  // The bundle the engine deploys: the plan the results are read against is the one it runs.
  const plan = compilePlan(processBundle(campaign, definitions.subprocesses), 1);
  checkDecisions(plan, scenario);
  checkBehaviourNeeded(plan, scenario);
  checkCohorts(plan, scenario);
  const organisation = options.organisation ?? (scenario.organisation ? generateOrganisation(scenario.organisation) : undefined);
  if (!organisation) throw simError('SIM_ORGANISATION_CHOICE');
  return { plan, organisation };
}

/** Refuses a scenario that names a decision or option the campaign does not have: it would silently never be taken. */
function checkDecisions(plan: CampaignPlan, scenario: ScenarioFile): void {
  const decisions = new Map(plan.phases.flatMap((p) => p.decisions.map((d) => [d.id, d] as const)));
  for (const [id, behaviour] of Object.entries(scenario.decisions ?? {}).sort(([a], [b]) => cmp(a, b))) {
    const decision = decisions.get(id);
    if (!decision) throw simError('SIM_UNKNOWN_DECISION', { process: plan.processId, decision: id, known: [...decisions.keys()].join(', ') || '-' });
    for (const option of Object.keys(behaviour.options)) {
      if (!decision.options.some((o) => o.id === option)) {
        throw simError('SIM_UNKNOWN_OPTION', { decision: id, option, known: decision.options.map((o) => o.id).join(', ') });
      }
    }
  }
}

/**
 * A scenario gives scores only for a campaign with evaluations, findings and rectification only for
 * one with inspections, complaints only for one whose rules count verified complaints: what the
 * campaign does not use is not asked for, and what it uses must be there.
 */
function checkBehaviourNeeded(plan: CampaignPlan, scenario: ScenarioFile): void {
  const evaluations = [...plan.items.values()].filter((i) => i.kind === 'evaluation').map((i) => i.id);
  if (evaluations.length > 0 && !scenario.behaviour.default.scores)
    throw simError('SIM_BEHAVIOUR_NEEDED', { process: plan.processId, whatEn: 'evaluations', whatZh: '评价', ids: evaluations.slice(0, 5).join(', '), field: 'scores' });
  const inspections = [...plan.inspections.keys()];
  for (const field of ['findingsPerUnitPerMonth', 'rectification'] as const)
    if (inspections.length > 0 && scenario.behaviour.default[field] === undefined)
      throw simError('SIM_BEHAVIOUR_NEEDED', { process: plan.processId, whatEn: 'inspections', whatZh: '检查整改', ids: inspections.slice(0, 5).join(', '), field });
  const complaints = [...plan.ladders.values(), ...plan.consequences].filter((r) => r.on?.event === 'complaint-verified').map((r) => r.id);
  if (complaints.length > 0 && scenario.behaviour.default.complaintsPerMemberPerMonth === undefined)
    throw simError('SIM_BEHAVIOUR_NEEDED', {
      process: plan.processId,
      whatEn: 'rules on verified complaints',
      whatZh: '举报投诉查实的规则',
      ids: complaints.slice(0, 5).join(', '),
      field: 'complaintsPerMemberPerMonth',
    });
}

/** Refuses a cohort share the campaign does not declare: its units would not start (ENGINE_INVALID_ORGANISATION), said of the scenario. */
function checkCohorts(plan: CampaignPlan, scenario: ScenarioFile): void {
  for (const share of scenario.organisation?.cohorts ?? []) {
    if (!plan.cohorts.has(share.id)) throw simError('SIM_UNKNOWN_COHORT', { process: plan.processId, cohort: share.id, known: [...plan.cohorts.keys()].join(', ') || '-' });
  }
}

/** The campaign start and the start of every later month before `end`, in the campaign's zone. */
function monthStarts(plan: CampaignPlan, end: number): number[] {
  const out = [plan.start];
  for (let m = plan.calendar.dateTime(plan.start).startOf('month').plus({ months: 1 }); m.toMillis() < end; m = m.plus({ months: 1 })) {
    out.push(m.toMillis());
  }
  return out;
}

/** Units per phase now, the office left out (its instance only coordinates). */
async function unitsByPhase(engine: Driver, office: SimUnit | undefined): Promise<Record<string, number>> {
  const phases = { ...(await engine.rollup(CAMPAIGN_ID)).phases };
  if (office) {
    const { phase } = await engine.state(office.instanceId);
    const left = (ownValue(phases, phase) ?? 0) - 1;
    if (left > 0) setOwn(phases, phase, left);
    else delete phases[phase];
  }
  return phases;
}

/** The phase windows and deadlines of the plan, as JSON. */
/**
 * The plan's phases and deadlines as far as the run goes (`end`: the campaign's end, or the end of
 * the years simulated, e.g. a standing mechanism's first three of the fifty it is laid out over).
 */
function timelineOf(plan: CampaignPlan, end: number): Timeline {
  const iso = (ms: number) => new Date(ms).toISOString();
  const deadlines: (TimelineDeadline & { readonly at: number })[] = [];
  for (const item of plan.items.values()) {
    // The occurrences the run reaches: those that start by its end.
    const reached = (item.recurrence?.starts ?? []).filter((start) => start <= end).length;
    const dues = item.recurrence?.dues.slice(0, reached) ?? [];
    const at = dues.length > 0 ? Math.max(...dues) : (item.dueAt ?? item.stageEnd);
    if (item.recurrence ? reached === 0 : at > end) continue;
    deadlines.push({
      item: item.id,
      title: item.title,
      phase: item.phase,
      due: iso(at),
      ...(item.recurrence ? { occurrences: dues.length } : {}),
      at,
    });
  }
  deadlines.sort((a, b) => a.at - b.at || cmp(a.item, b.item));
  return {
    campaign: plan.title,
    zone: plan.zone,
    phases: plan.phases.filter((p) => p.start < end).map((p) => ({ id: p.id, title: p.title, start: iso(p.start), end: iso(Math.min(p.end, end)) })),
    deadlines: deadlines.map(({ at: _at, ...d }) => d),
  };
}

/** The monthly series: the sampled phases and the ladder rungs climbed in each month (from the `ladder:<id>:<level>` effects). */
function monthlyOf(plan: CampaignPlan, months: readonly number[], phaseSamples: readonly Record<string, number>[], tally: EffectTally): MonthSample[] {
  return months.map((at, i) => ({
    month: plan.calendar.dateTime(at).toFormat('yyyy-MM'),
    at: new Date(at).toISOString(),
    phases: phaseSamples[i] ?? {},
    ladderClimbs: fromMap(tally.climbs[i] ?? new Map()),
  }));
}

/** Lists the units of the tree, parents first, each with its merged behaviour. */
function placeUnits(root: OrganisationUnit, scenario: ScenarioFile, instanceOf: ReadonlyMap<string, string>): SimUnit[] {
  const out: SimUnit[] = [];
  const visit = (unit: OrganisationUnit, office: boolean): void => {
    const kind = unit.kind ?? (office ? 'office' : 'unit');
    out.push({
      id: unit.id,
      instanceId: instanceOf.get(unit.id) ?? `${CAMPAIGN_ID}/${unit.id}`,
      members: (unit.members ?? []).map((m) => m.id),
      behaviour: { ...scenario.behaviour.default, ...ownValue(scenario.behaviour.kinds, kind) },
      office,
    });
    for (const child of unit.units ?? []) visit(child, false);
  };
  visit(root, true);
  return out;
}

async function collect(
  engine: Driver,
  plan: CampaignPlan,
  end: number,
  scenario: ScenarioFile,
  seed: number,
  units: readonly SimUnit[],
  run: Run,
  tally: EffectTally,
  months: readonly number[],
  phaseSamples: readonly Record<string, number>[],
  lights: LightsResult | undefined,
  flagsAtEnd?: Readonly<Record<string, number>>,
): Promise<SimulationResult> {
  const outcomes = await engine.outcomes(CAMPAIGN_ID);
  const deadlines = new Map<string, { total: number; onTime: number; late: number; overdue: number; open: number }>();
  const overdueByPhase = new Map<string, number>();
  for (const phase of plan.phases) overdueByPhase.set(phase.id, 0);
  for (const [item, counts] of Object.entries(outcomes.items)) {
    // A task still waiting for its anchor has no deadline yet: it counts for nothing.
    const total = counts.open + counts.overdue + counts.done + counts.late;
    if (total === 0) continue;
    deadlines.set(item, { total, onTime: counts.done, late: counts.late, overdue: counts.overdue, open: counts.open });
    const phase = plan.items.get(item)?.phase;
    if (phase !== undefined) overdueByPhase.set(phase, (overdueByPhase.get(phase) ?? 0) + counts.late + counts.overdue);
  }

  const rankings: Record<string, RankingOutcome> = {};
  for (const ranking of plan.rankings) {
    // Keys in the result's order (`sortKeys` then leaves the tens of thousands of them as they are),
    // and two layouts only: with a band and without.
    const standings = (await engine.standings(CAMPAIGN_ID, ranking.id)).map((s): { band?: 'top' | 'bottom'; rank: number; score: number; subject: string } => {
      const subject = s.member === undefined ? s.unit : `${s.unit}/${s.member}`;
      const score = round4(s.score);
      return s.band === undefined ? { rank: s.rank, score, subject } : { band: s.band, rank: s.rank, score, subject };
    });
    setOwn(rankings, ranking.id, {
      subject: ranking.subject === 'member' ? 'member' : 'unit',
      ranked: standings.length,
      top: standings.filter((s) => s.band === 'top').map((s) => s.subject),
      bottom: standings.filter((s) => s.band === 'bottom').map((s) => s.subject),
      standings,
    });
  }

  const deadlineOutcomes: Record<string, DeadlineOutcome> = {};
  for (const [item, d] of deadlines) {
    const itemPlan = plan.items.get(item);
    setOwn(deadlineOutcomes, item, {
      title: itemPlan?.title ?? item,
      phase: itemPlan?.phase ?? '',
      ...d,
      onTimeRate: d.total === 0 ? 1 : round4(d.onTime / d.total),
    });
  }
  const workUnits = units.filter((u) => !u.office);
  const result: SimulationResult = {
    scenario: scenario.id,
    processId: plan.processId,
    seed,
    period: { start: new Date(plan.start).toISOString(), end: new Date(end).toISOString() },
    organisation: { units: workUnits.length, members: units.reduce((n, u) => n + u.members.length, 0) },
    events: { sent: fromMap(run.sent), rejected: fromMap(run.rejected) },
    deadlines: deadlineOutcomes,
    overdueByPhase: fromMap(overdueByPhase),
    ladders: outcomes.ladders,
    flags: flagsAtEnd ?? outcomes.flags,
    effects: fromMap(tally.counts),
    commended: [...tally.commended].sort(cmp),
    questioned: [...tally.questioned].sort(cmp),
    rankings,
    // Only for a process with gradings: results of the others keep the bytes they had.
    ...(plan.gradings.length > 0 ? { grades: outcomes.grades } : {}),
    timeline: timelineOf(plan, end),
    monthly: monthlyOf(plan, months, phaseSamples, tally),
    ...(lights ? { lights } : {}),
    // 督办事项: only for a process with items, so results of the others keep the bytes they had.
    ...(plan.trackedKinds ? { items: itemsResult(plan, await engine.items(CAMPAIGN_ID)) } : {}),
  };
  return sortKeys(result) as SimulationResult;
}

/**
 * A host event with its member set when there is one. Assigned, not spread in: V8 gives a literal
 * with a conditional spread a layout of its own every time, and a year plans an event per task.
 */
function withMember<E extends HostEvent>(event: E, member: string | undefined): E {
  if (member !== undefined) (event as { member?: string }).member = member;
  return event;
}

function fromMap(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries(map);
}

function countUnits(unit: OrganisationUnit): number {
  return 1 + (unit.units ?? []).reduce((n, u) => n + countUnits(u), 0);
}

/** A standing mechanism (长效机制) simulated without `years`: this many. */
const STANDING_DEFAULT_YEARS = 3;

/**
 * Where the run ends: `years` after the start (never past the campaign's end), else the campaign's
 * end, or for a standing mechanism, which has none, STANDING_DEFAULT_YEARS after its start.
 * Throws SIM_BAD_YEARS for a count that is not a whole number from 1 to STANDING_HORIZON_YEARS.
 */
function simulatedEnd(plan: CampaignPlan, years: number | undefined): number {
  if (years !== undefined && (!Number.isInteger(years) || years < 1 || years > STANDING_HORIZON_YEARS))
    throw simError('SIM_BAD_YEARS', { years: String(years), max: STANDING_HORIZON_YEARS });
  const count = years ?? (plan.standing ? STANDING_DEFAULT_YEARS : undefined);
  if (count === undefined) return plan.end;
  return Math.min(plan.end, plan.calendar.dateTime(plan.start).plus({ years: count }).toMillis());
}
