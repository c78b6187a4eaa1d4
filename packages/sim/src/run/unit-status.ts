/**
 * 单位状态 — what the run must know of a unit before it sends it something, so it sends nothing the
 * engine would refuse for the unit's state rather than for the scenario: a unit closed (已结束) takes
 * no more events, a unit waiting for its cohort (未启动, 批次) has no members at work yet, an
 * inspection loop takes a rectification only while rectifying. Read from the engine only when the
 * answer may have changed: the phase each instance was last seen in comes from the change stream.
 */
import type { CampaignPlan, InstanceState } from '@luoshi/engine';
import type { Driver, InspectionPlan, SimUnit } from './sim-unit.js';

/** A state read, valid while the unit stays in the phase it was read in. */
interface Seen {
  readonly phase: string;
  readonly started: boolean;
  /** While not started: when its cohort starts (then it is read again). */
  readonly startsAt: number | undefined;
}

export class UnitStatus {
  readonly #engine: Driver;
  /** Whether any unit can wait for a cohort: without cohorts no state is read for it. */
  readonly #cohorts: boolean;
  /** The phase of each instance in the last change seen (`ended` once its phases are over). */
  readonly #phase = new Map<string, string>();
  readonly #seen = new Map<string, Seen>();

  constructor(engine: Driver, plan: CampaignPlan) {
    this.#engine = engine;
    this.#cohorts = plan.cohorts.size > 0;
  }

  /** Notes the phase a change left an instance in. */
  observe(instanceId: string, phase: string): void {
    this.#phase.set(instanceId, phase);
  }

  /**
   * Whether the unit may have closed: last seen with its phases over. Only then is `closed` asked,
   * so the common send makes no promise of its own (a year sends one per host event).
   */
  mayBeClosed(unit: SimUnit): boolean {
    return this.#phase.get(unit.instanceId) === 'ended';
  }

  /**
   * Whether the unit has closed (its phases over and no work keeping it open): it accepts nothing
   * more. Read only for a unit last seen with its phases over.
   */
  async closed(unit: SimUnit): Promise<boolean> {
    if (!this.mayBeClosed(unit)) return false;
    return (await this.#engine.state(unit.instanceId)).ended;
  }

  /** Whether `atWork` must read the engine: a unit that may have closed, or any unit in a campaign with cohorts. */
  mayBeIdle(unit: SimUnit): boolean {
    return this.#cohorts || this.mayBeClosed(unit);
  }

  /**
   * Whether the unit is at work now: started (not waiting for its cohort) and not closed. What goes
   * on whatever the unit does (complaints about its members, notices, items) applies only then.
   */
  async atWork(unit: SimUnit, now: number): Promise<boolean> {
    if (await this.closed(unit)) return false;
    if (!this.#cohorts) return true;
    const phase = this.#phase.get(unit.instanceId);
    let seen = this.#seen.get(unit.instanceId);
    if (seen === undefined || (phase !== undefined && seen.phase !== phase) || (!seen.started && (seen.startsAt === undefined || seen.startsAt <= now))) {
      seen = started(await this.#engine.state(unit.instanceId));
      this.#seen.set(unit.instanceId, seen);
    }
    return seen.started;
  }
}

function started(state: InstanceState): Seen {
  return { phase: state.phase, started: state.started, startsAt: state.startsAt };
}

/**
 * 周期 — the cycle label an event about `cycle`'s work names (undefined: the first cycle's, or a
 * campaign without cycles): sent with every event naming work of a cycled campaign, so a first
 * cycle's task done after the next cycle began is booked to the first, not to the cycle the unit is in.
 */
export function cycleOf(plan: CampaignPlan, cycle: string | undefined): string | undefined {
  return plan.cycles === undefined ? undefined : (cycle ?? plan.cycles[0]?.label);
}

/** The id the process file gives an inspection (`软弱涣散认定` for a later cycle's `软弱涣散认定.2021`): how a scenario names it. */
export function inspectionWrittenId(plan: CampaignPlan, inspection: InspectionPlan): string {
  const cycle = plan.phaseById.get(inspection.phases[0] ?? '')?.cycle;
  return cycle !== undefined && inspection.id.endsWith(`.${cycle}`) ? inspection.id.slice(0, -(cycle.length + 1)) : inspection.id;
}