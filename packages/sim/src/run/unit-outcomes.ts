/**
 * 各单位结果 — what became of each unit in one run (`SimulationResult.units`): its tasks and its
 * members' by how they stood at the end, the days its late completions were late, the flags held
 * and its grades at the end (the engine's `unitOutcomes`, counted from the records), the effects it
 * received and the ladder rungs it climbed (the run's `EffectTally`), its items by light. The days
 * late of each deadline's late completions come out of the same pass.
 */
import type { CampaignPlan, TrackedItemView, UnitOutcomeCounts } from '@luoshi/engine';
import type { EffectTally } from '../effect-tally.js';
import type { UnitOutcome } from '../simulation-result.js';
import { cmp, round4 } from '../stable-order.js';
import { ownValue, setOwn } from '../own-keys.js';
import { DAY, type Driver, type SimUnit } from './sim-unit.js';

/** What each unit held at one instant: unit id → subjects per flag, and its own grades. */
export type HeldAtEnd = ReadonlyMap<string, Pick<UnitOutcomeCounts, 'flags' | 'grades'>>;

/**
 * The flags and grades every unit holds now: for a span of years, sampled where the run's flags at
 * the end are (`runCampaign`), just before its end, where yearly flags lapse.
 */
export async function heldNow(engine: Driver, campaignId: string): Promise<HeldAtEnd> {
  return new Map((await engine.unitOutcomes(campaignId)).map((u) => [u.unitId, { flags: u.flags, grades: u.grades }]));
}

/** Every unit's outcome, and per deadline (item id) the days late summed over its late completions (the office's tasks included). */
export interface UnitOutcomes {
  readonly units: Record<string, UnitOutcome>;
  readonly daysLateByItem: ReadonlyMap<string, number>;
}

/**
 * Every unit's `UnitOutcome` (the office's tasks count for the deadlines only). `held`: what
 * `heldNow` read before a span of years ended, else the flags and grades now; `items`: the
 * campaign's items, in a process with items.
 */
export async function unitOutcomes(
  engine: Driver,
  campaignId: string,
  plan: CampaignPlan,
  units: readonly SimUnit[],
  tally: EffectTally,
  held: HeldAtEnd | undefined,
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
  const offices = new Set(units.filter((u) => u.office).map((u) => u.id));
  const out: Record<string, UnitOutcome> = {};
  for (const counts of await engine.unitOutcomes(campaignId)) {
    for (const [item, ms] of Object.entries(counts.lateByItem)) daysLateByItem.set(item, (daysLateByItem.get(item) ?? 0) + ms / DAY);
    if (offices.has(counts.unitId)) continue;
    const { tasks } = counts;
    const atEnd = held ? held.get(counts.unitId) : counts;
    const outcome: UnitOutcome = {
      tasks: { onTime: tasks.done, late: tasks.late, overdue: tasks.overdue, open: tasks.open },
      daysLate: { sum: round4(counts.late.sum / DAY), max: round4(counts.late.max / DAY) },
      flags: sorted(Object.entries(atEnd?.flags ?? {})),
      effects: sorted(tally.unitEffects.get(counts.unitId)),
      ladders: sorted(tally.unitRungs.get(counts.unitId)),
      // Only for a process with gradings, or items: the units of the others carry no empty fields.
      ...(plan.gradings.length > 0 ? { grades: gradesOf(atEnd?.grades) } : {}),
      ...(items ? { items: sorted(itemLights.get(counts.unitId)) } : {}),
    };
    setOwn(out, counts.unitId, outcome);
  }
  return { units: out, daysLateByItem };
}

/** Entries as a record with keys in code-unit order (keys from the process: set as own properties). */
function sorted(entries: Iterable<readonly [string, number]> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of [...(entries ?? [])].sort(([a], [b]) => cmp(a, b))) setOwn(out, key, n);
  return out;
}

function gradesOf(grades: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of Object.keys(grades ?? {}).sort(cmp)) setOwn(out, id, ownValue(grades, id) as string);
  return out;
}
