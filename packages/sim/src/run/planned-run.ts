import { ItemFlow } from '../item-flow.js';
import { ExtensionFlow, type NamedTask } from '../extension-flow.js';
import { EngineError, VirtualClock, writtenId, type CampaignPlan, type HostEvent, type TaskView } from '@luoshi/engine';
import { Agenda } from '../agenda/agenda.js';
import type { DecisionBehaviour, Distribution, ScenarioFile } from '../model/scenario.js';
import { exponential, sample } from '../random/distributions.js';
import type { Prng } from '../random/prng.js';
import { cmp } from '../stable-order.js';
import { ownValue } from '../own-keys.js';
import { CAMPAIGN_ID, DAY, MONTH, withMember, type Driver, type InspectionPlan, type Planned, type SentEvent, type SimUnit } from './sim-unit.js';

/** Days between a rectification and its re-inspection. */
const REINSPECTION_DAYS = 3;
/** Days between a finding and the notice that names someone for it, when the scenario gives none. */
const NOTICE_DELAY: Distribution = { kind: 'fixed', mean: 3 };

/** A decision of the plan with the scenario's assumption about it. */
interface PlannedDecision {
  readonly id: string;
  readonly behaviour: DecisionBehaviour;
}

/** The mutable state of one run: the agenda, what has been planned, what was sent and refused. */
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
  readonly #prng: Prng;
  /** Phase id → the decisions the scenario says something about; empty when no phase ends on one. */
  readonly #decisions = new Map<string, readonly PlannedDecision[]>();
  /** The phase each instance was last seen in, to notice entering a phase (again). */
  readonly #phaseOf = new Map<string, string>();
  /** Decisions the leading group takes once for every unit: the option (or none) and the delay. */
  readonly #campaignDraws = new Map<string, { readonly option: string | undefined; readonly days: number }>();
  /** 督办事项: items opened, resolved and checked, and their monthly progress reports. */
  readonly #items: ItemFlow;
  /** 申请延期: requests drawn with task completions, and their counts. */
  readonly extensions: ExtensionFlow;
  /** The run's units by instance, once placed. */
  readonly #byInstance = new Map<string, SimUnit>();

  constructor(engine: Driver, clock: VirtualClock, plan: CampaignPlan, prng: Prng, scenario: ScenarioFile, onSent?: (sent: SentEvent) => void, campaignId = CAMPAIGN_ID) {
    this.#engine = engine;
    this.#campaignId = campaignId;
    this.#onSent = onSent;
    this.#clock = clock;
    this.#plan = plan;
    this.#prng = prng;
    this.#items = new ItemFlow(plan, prng, (at, unit, event) => this.agenda.push(at, { kind: 'send', unit, event }));
    this.extensions = new ExtensionFlow(plan);
    for (const phase of plan.phases) {
      const known = phase.decisions.flatMap((d) => {
        const behaviour = ownValue(scenario.decisions, d.id);
        return behaviour ? [{ id: d.id, behaviour }] : [];
      });
      if (known.length > 0) this.#decisions.set(phase.id, known);
    }
  }

  /**
   * Plans the Poisson processes known in advance: complaints per member, findings per unit, from
   * `start` (the campaign's, or the time a run continues a campaign from: they have no memory) to the end.
   */
  planBackground(units: readonly SimUnit[], start = this.#plan.start): void {
    const { end } = this.#plan;
    // A periodic inspection (定期检查, `every:`) finds what it finds on its own calendar (`#planInspection`), not at random times.
    const inspections = this.#randomInspections();
    for (const unit of units) this.#byInstance.set(unit.instanceId, unit);
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
      this.#items.planOpenings(unit, start, end);
    }
    // 月度调度: from the campaign start (items listed at start are seen then), every month's first instant.
    if (this.#items.active(units)) this.agenda.push(start, { kind: 'item-reports' });
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
    let completion: number | undefined;
    if (this.#prng.next() >= behaviour.neverProbability) {
      const days = Math.max(0, sample(this.#prng, behaviour.delay));
      const event: HostEvent = withMember(this.#completed(task), task.member);
      completion = now + Math.round(days * DAY);
      this.agenda.push(completion, { kind: 'send', unit, event });
    }
    // 申请延期: drawn after the completion, and only when asked for, so other runs draw as before.
    const asks = unit.behaviour.extensions;
    if (asks !== undefined) {
      const { type: _type, ...named } = withMember(this.#completed(task), task.member) as NamedTask & { type: string };
      const request = this.extensions.plan(this.#prng, asks, named, now, task.dueAt, completion);
      if (request) this.agenda.push(request.at, { kind: 'extend', unit, request });
    }
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
      if (status === 'rectifying') this.#planRectification(unit, inspection, now);
      else if (status === 'reinspecting' && inspection.reinspect) {
        const passing = r.onTime + r.late;
        const passed = this.#prng.next() * (passing + r.failsReinspection) < passing;
        this.agenda.push(now + REINSPECTION_DAYS * DAY, { kind: 'reinspect', unit, inspection, passed });
      }
    }
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
      case 'extend': {
        const { unit, request } = planned;
        const code = await this.#sendCoded(unit, request.event);
        this.extensions.count(now, request.event, code);
        // A task done before the office looks at the request leaves nothing to decide.
        if (code === undefined && (request.completion === undefined || request.completion > request.decideAt)) {
          this.agenda.push(request.decideAt, { kind: 'extend-decide', unit, event: request.decision });
        }
        return;
      }
      case 'extend-decide': {
        this.extensions.count(now, planned.event, await this.#sendCoded(planned.unit, planned.event));
        return;
      }
      case 'item-reports': {
        const views = await this.#engine.items(this.#campaignId);
        for (const { unit, event } of this.#items.monthlyReports(views, (id) => this.#byInstance.get(id), now, this.#plan.end)) await this.#send(unit, event);
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

  #pick<T>(list: readonly T[]): T | undefined {
    return list.length === 0 ? undefined : list[Math.floor(this.#prng.next() * list.length)];
  }
}
