/**
 * 检查整改 in a run: which inspections find at random times and when they may run, whether one runs
 * for a unit now, and where the unit's loop stands (read from the engine, so the run rectifies only
 * a round that is open and re-inspects only one waiting for it); the events name the loop's cycle.
 */
import type { CampaignPlan, HostEvent } from '@luoshi/engine';
import { ownValue } from '../own-keys.js';
import { cmp } from '../stable-order.js';
import { withMember, type Driver, type InspectionPlan, type SimUnit } from './sim-unit.js';
import { cycleOf, inspectionWrittenId } from './unit-status.js';

export class InspectionLoops {
  readonly #engine: Driver;
  readonly #plan: CampaignPlan;

  constructor(engine: Driver, plan: CampaignPlan) {
    this.#engine = engine;
    this.#plan = plan;
  }

  /** The unit's own finding rate for an inspection (`findingsPerMonth`, by the id the file writes), if the scenario gives one. */
  ownRate(unit: SimUnit, inspection: InspectionPlan): number | undefined {
    return ownValue(unit.behaviour.findingsPerMonth, inspectionWrittenId(this.#plan, inspection));
  }

  /** The inspections that find at random times (not periodic ones, 定期检查), by id. */
  random(): InspectionPlan[] {
    return [...this.#plan.inspections.values()].filter((i) => this.#plan.items.get(i.id)?.kind !== 'inspection').sort((a, b) => cmp(a.id, b.id));
  }

  /**
   * Whether one of the phases that declare an inspection may run at a time: its window holds it, or
   * it has no window of its own (长效管理, entered when a unit passes: any time of the campaign).
   */
  mayRun(inspection: InspectionPlan, t: number): boolean {
    return inspection.phases.some((id) => {
      const phase = this.#plan.phaseById.get(id);
      return phase !== undefined && (phase.opens === undefined || (phase.start <= t && t < phase.end));
    });
  }

  /** The first inspection (by id) that runs for the unit now, finding at random times. */
  async runningNow(unit: SimUnit, now: number): Promise<InspectionPlan | undefined> {
    for (const inspection of this.random()) if (await this.running(unit, inspection, now)) return inspection;
    return undefined;
  }

  /**
   * Whether an inspection runs for the unit now: it is in a phase that declares it, that phase's
   * window has opened, and the unit has started (not waiting for its cohort) and not closed.
   */
  async running(unit: SimUnit, inspection: InspectionPlan, now: number): Promise<boolean> {
    const { phase, started, ended } = await this.#engine.state(unit.instanceId);
    const opens = this.#plan.phaseById.get(phase)?.opens;
    return started && !ended && inspection.phases.includes(phase) && !(opens !== undefined && opens > now);
  }

  /**
   * The state of a unit's loop of an inspection (clear, rectifying, reinspecting, exhausted), or
   * undefined for a loop of members, which the engine's state does not list.
   */
  async state(unit: SimUnit, inspection: InspectionPlan): Promise<string | undefined> {
    if (inspection.subject !== 'unit') return undefined;
    return ownValue((await this.#engine.state(unit.instanceId)).inspections, inspection.id) ?? 'clear';
  }

  /** An event of an inspection loop, naming the loop's cycle in a cycled campaign (周期) and its member. */
  event<E extends HostEvent & { cycle?: string }>(event: E, inspection: InspectionPlan, member: string | undefined): E {
    const cycle = cycleOf(this.#plan, this.#plan.phaseById.get(inspection.phases[0] ?? '')?.cycle);
    if (cycle !== undefined) event.cycle = cycle;
    return withMember(event, member);
  }
}
