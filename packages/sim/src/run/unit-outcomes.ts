/**
 * 各单位结果 — what became of each unit in one run (`SimulationResult.units`): its tasks and its
 * members' by how they stood at the end, the days its late completions were late, the flags it held
 * and the grades it had at the end, the effects it received, the ladder rungs it climbed, its items
 * by light. Read once, at the end, from the engine's views; the effects and rungs from the run's
 * `EffectTally`. The days late of each deadline's late completions come out of the same pass.
 */
import type { CampaignPlan, TrackedItemView } from '@luoshi/engine';
import type { EffectTally } from '../effect-tally.js';
import type { UnitOutcome } from '../simulation-result.js';
import { cmp, round4 } from '../stable-order.js';
import { setOwn } from '../own-keys.js';
import { DAY, type Driver, type SimUnit } from './sim-unit.js';

/** What a unit held at the end of the run: subjects (the unit and its members) per flag, its own grades. */
export interface HeldAtEnd {
  readonly flags: ReadonlyMap<string, number>;
  readonly grades: Readonly<Record<string, string>>;
}

/**
 * The flags and grades every unit (the office left out) holds now. Sampled where the run's flags at
 * the end are (see `runCampaign`): a span of years just before its end, where yearly flags lapse.
 */
export async function heldNow(engine: Driver, units: readonly SimUnit[]): Promise<Map<string, HeldAtEnd>> {
  const out = new Map<string, HeldAtEnd>();
  for (const unit of units) {
    if (unit.office) continue;
    const flags = new Map<string, number>();
    let grades: Readonly<Record<string, string>> = {};
    for (const subject of await engine.subjects(unit.instanceId)) {
      for (const flag of subject.flags) flags.set(flag, (flags.get(flag) ?? 0) + 1);
      if (subject.kind === 'unit') grades = subject.grades;
    }
    out.set(unit.id, { flags, grades });
  }
  return out;
}

/** Every unit's outcome, and per deadline (item id) the days late summed over its late completions (the office's tasks included). */
export interface UnitOutcomes {
  readonly units: Record<string, UnitOutcome>;
  readonly daysLateByItem: ReadonlyMap<string, number>;
}

/**
 * Every unit's `UnitOutcome` (the office's tasks count for the deadlines only). `held`: what
 * `heldNow` read at the end; `items`: the campaign's items, in a process with items.
 */
export async function unitOutcomes(
  engine: Driver,
  plan: CampaignPlan,
  units: readonly SimUnit[],
  tally: EffectTally,
  held: ReadonlyMap<string, HeldAtEnd>,
  items: readonly TrackedItemView[] | undefined,
): Promise<UnitOutcomes> {
  const daysLateByItem = new Map<string, number>();
  const itemLights = new Map<string, Map<string, number>>();
  for (const item of items ?? []) {
    if (item.light === undefined) continue;
    let lights = itemLights.get(item.unitId);
    if (lights === undefined) itemLights.set(item.unitId, (lights = new Map()));
    lights.set(item.light, (lights.get(item.light) ?? 0) + 1);
  }
  const out: Record<string, UnitOutcome> = {};
  for (const unit of [...units].sort((a, b) => cmp(a.id, b.id))) {
    let onTime = 0;
    let late = 0;
    let overdue = 0;
    let open = 0;
    let sum = 0;
    let max = 0;
    for (const task of await engine.tasks(unit.instanceId)) {
      if (task.status === 'done') onTime++;
      else if (task.status === 'overdue') overdue++;
      else if (task.status === 'open') open++;
      else if (task.status === 'late') {
        late++;
        // Against the due in force when it was done (an extension granted moved it).
        const days = task.completedAt !== undefined && task.dueAt !== undefined ? Math.max(0, task.completedAt - task.dueAt) / DAY : 0;
        sum += days;
        if (days > max) max = days;
        daysLateByItem.set(task.item, (daysLateByItem.get(task.item) ?? 0) + days);
      }
    }
    if (unit.office) continue;
    const atEnd = held.get(unit.id);
    const outcome: UnitOutcome = {
      tasks: { onTime, late, overdue, open },
      daysLate: { sum: round4(sum), max: round4(max) },
      flags: sorted(atEnd?.flags),
      effects: sorted(tally.unitEffects.get(unit.id)),
      ladders: sorted(tally.unitRungs.get(unit.id)),
      // Only for a process with gradings, or items: the units of the others carry no empty fields.
      ...(plan.gradings.length > 0 ? { grades: { ...(atEnd?.grades ?? {}) } } : {}),
      ...(items ? { items: sorted(itemLights.get(unit.id)) } : {}),
    };
    setOwn(out, unit.id, outcome);
  }
  return { units: out, daysLateByItem };
}

/** A map as a record with its keys in code-unit order (keys from the process: set as own properties). */
function sorted(map: ReadonlyMap<string, number> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of [...(map ?? [])].sort(([a], [b]) => cmp(a, b))) setOwn(out, key, n);
  return out;
}
