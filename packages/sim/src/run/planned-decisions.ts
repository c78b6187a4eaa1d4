/**
 * 作出决定 in a simulation: the decisions of phases that end on one (`exit: decision`), drawn from
 * the scenario's `decisions`. The leading group's (`scope: campaign`) is one draw for every unit,
 * from a stream of its own, so which unit enters the phase first changes nothing; a unit's own
 * (`scope: unit`) is drawn from that unit's stream, one draw per entry, and never for the office.
 */
import type { CampaignPlan, HostEvent } from '@luoshi/engine';
import type { DecisionBehaviour, ScenarioFile } from '../model/scenario.js';
import { sample } from '../random/distributions.js';
import type { RandomStreams } from '../random/streams.js';
import { ownValue } from '../own-keys.js';
import { DAY, type SimUnit } from './sim-unit.js';

/** A decision of the plan with the scenario's assumption about it. */
interface PlannedDecision {
  readonly id: string;
  readonly behaviour: DecisionBehaviour;
}

/** One draw: the option (none: never decided) and the days after the phase opened. */
interface Draw {
  readonly option: string | undefined;
  readonly days: number;
}

export class DecisionPlans {
  readonly #streams: RandomStreams;
  /** Phase id → the decisions the scenario says something about; empty when no phase ends on one. */
  readonly #byPhase = new Map<string, readonly PlannedDecision[]>();
  /** Decisions the leading group takes once for every unit: the option (or none) and the delay. */
  readonly #campaignDraws = new Map<string, Draw>();

  constructor(plan: CampaignPlan, scenario: ScenarioFile, streams: RandomStreams) {
    this.#streams = streams;
    for (const phase of plan.phases) {
      const known = phase.decisions.flatMap((d) => {
        const behaviour = ownValue(scenario.decisions, d.id);
        return behaviour ? [{ id: d.id, behaviour }] : [];
      });
      if (known.length > 0) this.#byPhase.set(phase.id, known);
    }
  }

  /** Whether the campaign has decisions the scenario speaks of. */
  get any(): boolean {
    return this.#byPhase.size > 0;
  }

  /**
   * The decisions to take in `phase`, just entered by the unit at `from` (its opening, for a phase
   * entered before its window): each `decision.taken` and when. A draw in "never" gives nothing.
   */
  entered(unit: SimUnit, phase: string, from: number): { readonly at: number; readonly event: HostEvent }[] {
    const out: { readonly at: number; readonly event: HostEvent }[] = [];
    for (const decision of this.#byPhase.get(phase) ?? []) {
      // A decision on each unit (scope: unit: 申报, 验收结论) is about a unit's own work: the office,
      // which holds none, is no unit to decide on (its flags and effects would count as one more
      // town's). It takes the leading group's decisions for every unit (scope: campaign) with them.
      if (unit.office && decision.behaviour.scope === 'unit') continue;
      const { option, days } = this.#draw(decision, unit);
      if (option === undefined) continue;
      out.push({ at: from + Math.round(days * DAY), event: { type: 'decision.taken', decision: decision.id, option } });
    }
    return out;
  }

  #draw(decision: PlannedDecision, unit: SimUnit): Draw {
    const campaignWide = (decision.behaviour.scope ?? 'campaign') === 'campaign';
    const cached = campaignWide ? this.#campaignDraws.get(decision.id) : undefined;
    if (cached) return cached;
    const prng = campaignWide ? this.#streams.fresh('campaign', 'decision', decision.id) : this.#streams.kept(unit.instanceId, 'decision', decision.id);
    const u = prng.next();
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
    const draw = { option, days: Math.max(0, sample(prng, decision.behaviour.delay)) };
    if (campaignWide) this.#campaignDraws.set(decision.id, draw);
    return draw;
  }
}
