import { writtenId, type CampaignPlan, type HostEvent, type TaskView } from '@luoshi/engine';
import type { Agenda } from '../agenda/agenda.js';
import type { ExtensionFlow, NamedTask } from '../extension-flow.js';
import { sample } from '../random/distributions.js';
import type { Prng } from '../random/prng.js';
import type { RandomStreams } from '../random/streams.js';
import { ownValue } from '../own-keys.js';
import { DAY, MONTH, withMember, type Planned, type SimUnit } from './sim-unit.js';
import { cycleOf } from './unit-status.js';
import type { InspectionLoops } from './inspection-loops.js';

/**
 * 办理任务 in a simulation: what a unit does with a task that opens for it, each draw from that task's
 * own random stream (its key names the member and the occurrence), so no other task's draws move it —
 * a completion some sampled days on (or never), with a request for more time (申请延期) when the
 * behaviour asks for one; a score for an evaluation; the inspector's visit for an occurrence of a
 * periodic inspection (定期检查). What it plans goes on the run's agenda.
 */
export class TaskPlans {
  readonly #plan: CampaignPlan;
  readonly #streams: RandomStreams;
  readonly #agenda: Agenda<Planned>;
  /** For an inspection's own rate of findings (`findingsPerMonth`). */
  readonly #loops: InspectionLoops;
  readonly #extensions: ExtensionFlow;

  constructor(plan: CampaignPlan, streams: RandomStreams, agenda: Agenda<Planned>, loops: InspectionLoops, extensions: ExtensionFlow) {
    this.#plan = plan;
    this.#streams = streams;
    this.#agenda = agenda;
    this.#loops = loops;
    this.#extensions = extensions;
  }

  /** Plans what the unit does with one open task, from `now` (the time the run saw it open). */
  plan(unit: SimUnit, task: TaskView, now: number): void {
    if (task.kind === 'evaluation') this.#planScore(unit, task, now);
    else if (task.kind === 'inspection') this.#planInspection(unit, task, now);
    else this.#planCompletion(unit, task, now);
  }

  /** The stream of one task of a unit (its key names the member and the occurrence). */
  #taskStream(unit: SimUnit, task: TaskView): Prng {
    return this.#streams.fresh(unit.instanceId, 'task', task.key);
  }

  #planCompletion(unit: SimUnit, task: TaskView, now: number): void {
    const behaviour = unit.behaviour.tasks;
    const prng = this.#taskStream(unit, task);
    // Both are drawn whatever the first says: a scenario that changes `neverProbability` leaves the delays of the tasks still done as they were.
    const never = prng.next() < behaviour.neverProbability;
    const days = Math.max(0, sample(prng, behaviour.delay));
    let completion: number | undefined;
    if (!never) {
      const event: HostEvent = withMember(this.#completed(task), task.member);
      completion = now + Math.round(days * DAY);
      this.#agenda.push(completion, { kind: 'send', unit, event });
    }
    // 申请延期: drawn after the completion, from the task's stream, and only when asked for.
    const asks = unit.behaviour.extensions;
    if (asks !== undefined) {
      const { type: _type, ...named } = withMember(this.#completed(task), task.member) as NamedTask & { type: string };
      const request = this.#extensions.plan(prng, asks, named, now, task.dueAt, completion);
      if (request) this.#agenda.push(request.at, { kind: 'extend', unit, request });
    }
  }

  /**
   * A task's completion; an occurrence's is for its own period (报告期), however late it comes, and
   * a cycled campaign's for its own cycle (周期), even after the next one began.
   */
  #completed(task: TaskView): { type: 'task.completed'; task: string; period?: string; cycle?: string } {
    const completed: { type: 'task.completed'; task: string; period?: string; cycle?: string } = { type: 'task.completed', task: task.item };
    const item = this.#plan.items.get(task.item);
    const start = task.occurrence === undefined ? undefined : item?.recurrence?.starts[task.occurrence];
    const period = start === undefined ? null : this.#plan.calendar.dateTime(start).toISODate();
    if (period) completed.period = period;
    const cycle = cycleOf(this.#plan, item?.cycle);
    if (cycle !== undefined) completed.cycle = cycle;
    return completed;
  }

  /**
   * 定期检查 — one period's inspection of a subject: the inspector comes somewhere in the first 90% of
   * the period and finds something with the chance of at least one finding in it at the unit's
   * rate (the inspection's own in `findingsPerMonth`, else `findingsPerUnitPerMonth`), else records a clean result (the occurrence completed). The
   * inspector is not the scenario's to delay: it always comes.
   */
  #planInspection(unit: SimUnit, task: TaskView, now: number): void {
    const inspection = this.#plan.inspections.get(task.item);
    if (inspection === undefined) return;
    const prng = this.#taskStream(unit, task);
    const span = task.dueAt !== undefined && task.dueAt > now ? task.dueAt - now : DAY;
    const at = now + Math.round(prng.next() * span * 0.9);
    const rate = this.#loops.ownRate(unit, inspection) ?? unit.behaviour.findingsPerUnitPerMonth ?? 0;
    const found = prng.next() < 1 - Math.exp((-rate * span) / MONTH);
    if (found) this.#agenda.push(at, { kind: 'finding', unit, inspection, own: true, ...(task.member === undefined ? {} : { member: task.member }) });
    else this.#agenda.push(at, { kind: 'send', unit, event: withMember(this.#completed(task), task.member) });
  }

  #planScore(unit: SimUnit, task: TaskView, now: number): void {
    // Present whenever the campaign has evaluations (`checkBehaviourNeeded`).
    const scores = unit.behaviour.scores;
    if (!scores) return;
    const item = this.#plan.items.get(task.item);
    // 周期: a later cycle's evaluation (年度考核.2025) is scored as the scenario says of 年度考核.
    const distribution = ownValue(scores.evaluations, item ? writtenId(item) : task.item) ?? scores.default;
    const scale = item?.scale ?? { min: 0, max: 100 };
    const prng = this.#taskStream(unit, task);
    const raw = sample(prng, distribution);
    const score = Math.round(Math.min(scale.max, Math.max(scale.min, raw)) * 100) / 100;
    // Scores come in before the deadline: somewhere in the first 90% of the time left.
    const window = task.dueAt !== undefined && task.dueAt > now ? (task.dueAt - now) * 0.9 : DAY;
    const at = now + Math.round(prng.next() * window);
    const scored: { type: 'score.given'; evaluation: string; score: number; cycle?: string } = { type: 'score.given', evaluation: task.item, score };
    const cycle = cycleOf(this.#plan, item?.cycle);
    if (cycle !== undefined) scored.cycle = cycle;
    const event: HostEvent = withMember(scored, task.member);
    this.#agenda.push(at, { kind: 'send', unit, event });
  }
}
