import { ItemFlow } from '../item-flow.js';
import { ExtensionFlow } from '../extension-flow.js';
import { EngineError, VirtualClock, type CampaignPlan, type HostEvent, type TrackedItemView } from '@luoshi/engine';
import { Agenda } from '../agenda/agenda.js';
import type { Distribution, ScenarioFile } from '../model/scenario.js';
import { exponential, sample } from '../random/distributions.js';
import type { Prng } from '../random/prng.js';
import { RandomStreams } from '../random/streams.js';
import { ownValue } from '../own-keys.js';
import { cmp } from '../stable-order.js';
import { CAMPAIGN_ID, DAY, MONTH, withMember, type Driver, type InspectionPlan, type Planned, type SentEvent, type SimUnit } from './sim-unit.js';
import { UnitStatus } from './unit-status.js';
import { InspectionLoops } from './inspection-loops.js';
import { DecisionPlans } from './planned-decisions.js';
import { TaskPlans } from './planned-tasks.js';

/** Days between a rectification and its re-inspection. */
const REINSPECTION_DAYS = 3;
/** Days between a finding and the notice that names someone for it, when the scenario gives none. */
const NOTICE_DELAY: Distribution = { kind: 'fixed', mean: 3 };

/**
 * The mutable state of one run: the agenda, what has been planned, what was sent and refused.
 * Every draw comes from the stream of what it is about (`RandomStreams`: a task of a unit, a
 * member's complaints, a unit's inspection loop, a decision), so the draws of one unit do not
 * depend on what happened to the others, nor on the order the run reached them.
 */
export class Run {
  readonly agenda = new Agenda<Planned>();
  readonly sent = new Map<string, number>();
  readonly rejected = new Map<string, number>();
  /** Per instance, the keys of the tasks already planned. */
  readonly #planned = new Map<string, Set<string>>();
  readonly #engine: Driver;
  /** The campaign run: `sim`, or the one a run continues (`simulateFrom`). */
  readonly #campaignId: string;
  readonly #clock: VirtualClock;
  readonly #onSent: ((sent: SentEvent) => void) | undefined;
  readonly #plan: CampaignPlan;
  readonly #streams: RandomStreams;
  /** What the run knows of each unit's state, so it sends nothing the unit's state makes void. */
  readonly status: UnitStatus;
  readonly #decisions: DecisionPlans;
  /** 检查整改: the inspections the run finds with, and where each unit's loops stand. */
  readonly #loops: InspectionLoops;
  /** The phase each instance was last seen in, to notice entering a phase (again). */
  readonly #phaseOf = new Map<string, string>();
  /** 督办事项: items opened, resolved and checked, and their monthly progress reports. */
  readonly #items: ItemFlow;
  /** 申请延期: requests drawn with task completions, and their counts. */
  readonly extensions: ExtensionFlow;
  /** 办理任务: what a unit does with each task that opens for it. */
  readonly #tasks: TaskPlans;
  /** The run's units by instance, once placed. */
  readonly #byInstance = new Map<string, SimUnit>();

  constructor(engine: Driver, clock: VirtualClock, plan: CampaignPlan, seed: number, scenario: ScenarioFile, onSent?: (sent: SentEvent) => void, campaignId = CAMPAIGN_ID) {
    this.#engine = engine;
    this.#campaignId = campaignId;
    this.#onSent = onSent;
    this.#clock = clock;
    this.#plan = plan;
    this.#streams = new RandomStreams(seed);
    this.status = new UnitStatus(engine, plan);
    this.#decisions = new DecisionPlans(plan, scenario, this.#streams);
    this.#loops = new InspectionLoops(engine, plan);
    this.#items = new ItemFlow(plan, this.#streams, (at, unit, event) => this.agenda.push(at, { kind: 'send', unit, event, background: true }));
    this.extensions = new ExtensionFlow(plan);
    this.#tasks = new TaskPlans(plan, this.#streams, this.agenda, this.#loops, this.extensions);
  }

  /**
   * Plans the Poisson processes known in advance: complaints and notices per member, findings per
   * unit (and per inspection with a rate of its own), items per unit, from `start` (the campaign's,
   * or the time a run continues a campaign from: they have no memory) to the end. They go on whatever
   * the unit does, so they are sent only while it is at work (`UnitStatus.atWork`: started, not closed).
   * `held`: a campaign continued from `start`, with the items its units hold there (`ItemFlow.takeOver`).
   */
  planBackground(units: readonly SimUnit[], start = this.#plan.start, held?: readonly TrackedItemView[]): void {
    const { end } = this.#plan;
    // A periodic inspection (定期检查, `every:`) finds what it finds on its own calendar (`#planInspection`), not at random times.
    const inspections = this.#loops.random();
    for (const unit of units) this.#byInstance.set(unit.instanceId, unit);
    if (held) this.#items.takeOver(held, (id) => this.#byInstance.get(id), start, end);
    for (const unit of units) {
      if (unit.office) continue;
      const complaintRate = unit.behaviour.complaintsPerMemberPerMonth ?? 0;
      if (complaintRate > 0) {
        for (const member of unit.members) {
          const prng = this.#streams.fresh(unit.instanceId, 'complaints', member);
          for (let t = start + exponential(prng, MONTH / complaintRate); t < end; t += exponential(prng, MONTH / complaintRate)) {
            this.agenda.push(Math.round(t), { kind: 'send', unit, event: { type: 'complaint.verified', member }, background: true });
          }
        }
      }
      const noticeRate = unit.behaviour.notifications?.perMemberPerMonth ?? 0;
      if (noticeRate > 0) {
        for (const member of unit.members) {
          const prng = this.#streams.fresh(unit.instanceId, 'notices', member);
          for (let t = start + exponential(prng, MONTH / noticeRate); t < end; t += exponential(prng, MONTH / noticeRate)) {
            this.agenda.push(Math.round(t), { kind: 'send', unit, event: { type: 'notified', member }, background: true });
          }
        }
      }
      // An inspection with a rate of its own (`findingsPerMonth`) finds at that rate; the others share `findingsPerUnitPerMonth`.
      const own = inspections.filter((i) => this.#loops.ownRate(unit, i) !== undefined);
      const shared = inspections.filter((i) => this.#loops.ownRate(unit, i) === undefined);
      this.#planFindings(unit, shared, unit.behaviour.findingsPerUnitPerMonth ?? 0, this.#streams.fresh(unit.instanceId, 'findings'), false, start);
      for (const inspection of own)
        this.#planFindings(unit, [inspection], this.#loops.ownRate(unit, inspection) ?? 0, this.#streams.fresh(unit.instanceId, 'findings', inspection.id), true, start);
      // 督办事项: only with items and a behaviour for them.
      this.#items.planOpenings(unit, start, end);
    }
    // 月度调度: from the campaign start (items listed at start are seen then), every month's first instant;
    // a continued campaign's items are taken over at `start`, its next roll-call the next month's.
    const reports = held ? this.#plan.calendar.dateTime(start).startOf('month').plus({ months: 1 }).toMillis() : start;
    if (this.#items.active(units) && reports < end) this.agenda.push(reports, { kind: 'item-reports' });
  }

  /**
   * Findings at `rate` per month among `inspections`, each at a time one of them may run (a loop
   * runs while its phase does); `own`: the rate is these inspections' own, so a finding that comes
   * when the unit is not under its inspection is dropped rather than found by another loop.
   * (A unit whose path leaves the calendar, by a decision or an early exit, is checked when the finding comes.)
   */
  #planFindings(unit: SimUnit, inspections: readonly InspectionPlan[], rate: number, prng: Prng, own: boolean, start: number): void {
    if (rate <= 0 || inspections.length === 0) return;
    const { end } = this.#plan;
    for (let t = start + exponential(prng, MONTH / rate); t < end; t += exponential(prng, MONTH / rate)) {
      const running = inspections.filter((i) => this.#loops.mayRun(i, t));
      if (running.length === 0) continue;
      const inspection = running[Math.floor(prng.next() * running.length)] as InspectionPlan;
      const member = inspection.subject === 'member' ? pick(prng, unit.members) : undefined;
      if (inspection.subject === 'member' && member === undefined) continue;
      this.agenda.push(Math.round(t), { kind: 'finding', unit, inspection, own, ...(member === undefined ? {} : { member }) });
    }
  }

  /**
   * Whether a change to an instance that opened the tasks under `opened` may give this run something
   * to plan: a task not yet planned (one opened again after it was done was planned the first time),
   * or a phase entered when the campaign has decisions.
   */
  mayPlan(instanceId: string, opened: readonly string[]): boolean {
    return this.#decisions.any || (opened.length > 0 && !this.#allPlanned(instanceId, opened));
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
      this.#tasks.plan(unit, task, now);
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
    return this.#decisions.any ? this.#planDecisions(unit) : undefined;
  }

  async #planDecisions(unit: SimUnit): Promise<void> {
    const { phase } = await this.#engine.state(unit.instanceId);
    if (this.#phaseOf.get(unit.instanceId) === phase) return;
    this.#phaseOf.set(unit.instanceId, phase);
    // A phase entered before its window waits for it: its decisions are counted from the opening.
    const now = Math.max(this.#clock.now(), this.#plan.phaseById.get(phase)?.opens ?? 0);
    for (const { at, event } of this.#decisions.entered(unit, phase, now)) this.agenda.push(at, { kind: 'decide', unit, phase, event });
  }

  /**
   * A run that continues a campaign (`simulateFrom`): the unit's rectification rounds open where it
   * stands are taken up as if the finding were made now (the rectification drawn as after a
   * finding), and a re-inspection awaited is made in REINSPECTION_DAYS, passing with the share of
   * rectifications that pass. Loops of members are left to their deadlines (the engine's query
   * lists a unit's own loops only).
   */
  async planOpenRounds(unit: SimUnit): Promise<void> {
    const r = unit.behaviour.rectification;
    if (!r || unit.office) return;
    const now = this.#clock.now();
    const { inspections } = await this.#engine.state(unit.instanceId);
    for (const id of Object.keys(inspections).sort(cmp)) {
      const inspection = this.#plan.inspections.get(id);
      if (inspection === undefined) continue;
      const status = ownValue(inspections, id);
      if (status === 'rectifying') this.#planRectification(unit, inspection, undefined, now);
      else if (status === 'reinspecting' && inspection.reinspect) {
        const passing = r.onTime + r.late;
        const passed = this.#streams.kept(unit.instanceId, 'rectify', inspection.id, '').next() * (passing + r.failsReinspection) < passing;
        this.agenda.push(now + REINSPECTION_DAYS * DAY, { kind: 'reinspect', unit, inspection, member: undefined, passed });
      }
    }
  }

  /** Carries out one planned host event at the current time. */
  perform(planned: Planned): Promise<unknown> {
    // Most are plain sends: no frame of their own around the send.
    if (planned.kind !== 'send') return this.#performStep(planned);
    return planned.background ? this.#sendAtWork(planned.unit, planned.event) : this.#send(planned.unit, planned.event);
  }

  /** What goes on whatever the unit does (a complaint, a notice, an item): sent only while it is at work. */
  #sendAtWork(unit: SimUnit, event: HostEvent): Promise<boolean> {
    return this.status.mayBeIdle(unit) ? this.#sendIfAtWork(unit, event) : this.#send(unit, event);
  }

  async #sendIfAtWork(unit: SimUnit, event: HostEvent): Promise<boolean> {
    return (await this.status.atWork(unit, this.#clock.now())) && this.#send(unit, event);
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
        // A periodic inspection's finding is its occurrence's: the inspector comes whatever the unit's state.
        const periodic = this.#plan.items.get(inspection.id)?.kind === 'inspection';
        // The unit is elsewhere than the calendar said (a branch, a phase left early, a phase without a
        // window it has or has not entered): the inspection it is under now finds it, if any; a
        // finding at an inspection's own rate is that inspection's or none.
        if (!periodic && !(await this.#loops.running(unit, inspection, now))) {
          const instead = planned.own ? undefined : await this.#loops.runningNow(unit, now);
          if (instead === undefined) return;
          inspection = instead;
          member = instead.subject === 'member' ? (member ?? pick(this.#streams.kept(unit.instanceId, 'finding-member'), unit.members)) : undefined;
          if (instead.subject === 'member' && member === undefined) return;
        }
        // A finding while a round runs counts on it (the engine's rule); only one on a clear loop opens a round to rectify.
        const before = await this.#loops.state(unit, inspection);
        const event: HostEvent = this.#loops.event({ type: 'finding.recorded', inspection: inspection.id }, inspection, member);
        if (await this.#send(unit, event)) {
          this.#planNotice(unit, inspection, member, now);
          if (before === undefined || before === 'clear') this.#planRectification(unit, inspection, member, now);
        }
        return;
      }
      case 'rectify': {
        const { unit, inspection, member, passes } = planned;
        // A round that ran out meanwhile (exhausted) takes no rectification; one rectified late is the next round's.
        const loop = await this.#loops.state(unit, inspection);
        if (loop !== undefined && loop !== 'rectifying') return;
        if (!(await this.#send(unit, this.#loops.event({ type: 'rectification.done', inspection: inspection.id }, inspection, member)))) return;
        if (inspection.reinspect) {
          this.agenda.push(now + REINSPECTION_DAYS * DAY, { kind: 'reinspect', unit, inspection, member, passed: passes });
        }
        return;
      }
      case 'reinspect': {
        const { unit, inspection, member, passed } = planned;
        const loop = await this.#loops.state(unit, inspection);
        if (loop !== undefined && loop !== 'reinspecting') return;
        const ok = await this.#send(unit, this.#loops.event({ type: 'reinspection.recorded', inspection: inspection.id, passed }, inspection, member));
        // A failed re-inspection opens the next round (until maxRounds): the unit rectifies again.
        if (ok && !passed) this.#planRectification(unit, inspection, member, now);
        return;
      }
      case 'extend': {
        const { unit, request } = planned;
        if (await this.status.closed(unit)) return;
        const code = await this.#sendCoded(unit, request.event);
        this.extensions.count(now, request.event, code);
        // A task done before the office looks at the request leaves nothing to decide.
        if (code === undefined && (request.completion === undefined || request.completion > request.decideAt)) {
          this.agenda.push(request.decideAt, { kind: 'extend-decide', unit, event: request.decision });
        }
        return;
      }
      case 'extend-decide': {
        if (await this.status.closed(planned.unit)) return;
        this.extensions.count(now, planned.event, await this.#sendCoded(planned.unit, planned.event));
        return;
      }
      case 'item-reports': {
        const views = await this.#engine.items(this.#campaignId);
        // Sent only while the unit is at work, as any item event: a unit of a later cohort (未启动) reports nothing, and is carded for nothing, before it starts.
        for (const { unit, event } of this.#items.monthlyReports(views, (id) => this.#byInstance.get(id), now, this.#plan.end)) await this.#sendAtWork(unit, event);
        const next = this.#plan.calendar.dateTime(now).startOf('month').plus({ months: 1 }).toMillis();
        if (next < this.#plan.end) this.agenda.push(next, { kind: 'item-reports' });
        return;
      }
    }
  }

  /** A finding circulated in a notice naming a member (抽查被通报), with the scenario's probability. */
  #planNotice(unit: SimUnit, inspection: InspectionPlan, member: string | undefined, from: number): void {
    const notifications = unit.behaviour.notifications;
    const p = notifications?.perFinding ?? 0;
    if (p <= 0) return;
    const prng = this.#streams.kept(unit.instanceId, 'notice', inspection.id);
    if (prng.next() >= p) return;
    const named = member ?? pick(prng, unit.members);
    const days = Math.max(0, sample(prng, notifications?.delay ?? NOTICE_DELAY));
    const event: HostEvent = withMember({ type: 'notified', inspection: inspection.id }, named);
    this.agenda.push(from + Math.round(days * DAY), { kind: 'send', unit, event });
  }

  /** A round's rectification (of the member's loop, for an inspection of members). */
  #planRectification(unit: SimUnit, inspection: InspectionPlan, member: string | undefined, from: number): void {
    // Present whenever the campaign has inspections (`checkBehaviourNeeded`).
    const r = unit.behaviour.rectification;
    if (!r) return;
    const deadline = this.#plan.calendar.addDuration(from, inspection.rectifyWithin);
    const span = Math.max(deadline - from, DAY);
    const prng = this.#streams.kept(unit.instanceId, 'rectify', inspection.id, member ?? '');
    // Both drawn every round: a scenario that moves the shares leaves each round's timing as it was.
    const u = prng.next();
    const v = prng.next();
    if (u < r.onTime) {
      this.agenda.push(from + Math.round(span * (0.2 + 0.7 * v)), { kind: 'rectify', unit, inspection, member, passes: true });
    } else if (u < r.onTime + r.late) {
      this.agenda.push(deadline + Math.round(DAY * (1 + 14 * v)), { kind: 'rectify', unit, inspection, member, passes: true });
    } else if (u < r.onTime + r.late + r.failsReinspection) {
      this.agenda.push(from + Math.round(span * (0.2 + 0.7 * v)), { kind: 'rectify', unit, inspection, member, passes: false });
    }
    // Otherwise the unit never rectifies: the engine's deadline does the rest.
  }

  /**
   * Sends one event; a refusal by the engine is counted by its code, not thrown. Nothing is sent to
   * a unit that has closed: work planned past its end is simply never done (nor asked to be extended).
   */
  async #send(unit: SimUnit, event: HostEvent): Promise<boolean> {
    if (this.status.mayBeClosed(unit) && (await this.status.closed(unit))) return false;
    return (await this.#sendCoded(unit, event)) === undefined;
  }

  /** Sends one event: undefined when the engine applied it, else the code it was refused with (counted). */
  async #sendCoded(unit: SimUnit, event: HostEvent): Promise<string | undefined> {
    try {
      await this.#engine.send(unit.instanceId, event, { actor: 'sim' });
      this.#onSent?.({ instanceId: unit.instanceId, event, at: this.#clock.now() });
      this.sent.set(event.type, (this.sent.get(event.type) ?? 0) + 1);
      return undefined;
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      this.rejected.set(error.code, (this.rejected.get(error.code) ?? 0) + 1);
      return error.code;
    }
  }
}

function pick<T>(prng: Prng, list: readonly T[]): T | undefined {
  return list.length === 0 ? undefined : list[Math.floor(prng.next() * list.length)];
}

