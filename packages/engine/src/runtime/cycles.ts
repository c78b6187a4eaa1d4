import type { CampaignPlan, ItemPlan } from '../compiler/campaign-plan.js';
import { EngineError } from '../errors/engine-error.js';
import type { InstanceContext } from './instance-context.js';

/*
 * 周期 — a cycled campaign (`cycle: 每年 | 每半年`) runs its flow of phases once per cycle. The
 * compiler lays every cycle out (`compile-plan.ts`): the first cycle's phases, items, inspection
 * loops and uses keep the ids the file gives them; a later cycle's are named by the cycle's label
 * after a ".", which no id of the file may contain (`自查.2025`, `季报.2025#3`, `自查.2025@m1`,
 * phase `部署.2025`). This module names them and reads the names hosts give.
 */

/** The mark between an id and its cycle's label: ids of the file never contain it. */
const MARK = '.';

/** The name of a phase, item, inspection loop or use in a later cycle. */
export function cycleId(id: string, label: string): string {
  return `${id}${MARK}${label}`;
}

/** The label of the cycle an instance is in (its `cycle`, else the first), or undefined in a campaign without cycles. */
export function currentCycle(plan: CampaignPlan, context: InstanceContext): string | undefined {
  return context.cycle ?? plan.cycles?.[0]?.label;
}

/** The label of the cycle an item belongs to, or undefined for an item of no cycle (a campaign's own duty, a campaign without cycles). */
export function cycleOfItem(plan: CampaignPlan, item: ItemPlan): string | undefined {
  if (item.cycle !== undefined) return item.cycle;
  return plan.cycles !== undefined && item.campaignWide !== true ? plan.cycles[0]?.label : undefined;
}

/**
 * The plan's name of the work a host event names (a task, an evaluation, an inspection) in the
 * cycle it names, or without one in the cycle the instance is in: `自查` in cycle 2025 is
 * `自查.2025`; the first cycle's keeps its id. A name of no cycle (a campaign's own duty), or one
 * already naming its cycle (`自查.2025`, as task views give it), is taken as it is. A cycle the
 * campaign does not have is ENGINE_UNKNOWN_CYCLE, whether or not it has cycles at all.
 */
export function cycleNamed(
  plan: CampaignPlan,
  context: InstanceContext,
  id: string,
  cycle: string | undefined,
  exists: (name: string) => boolean,
): string {
  const cycles = plan.cycles;
  if (cycle !== undefined) {
    const index = cycles?.findIndex((c) => c.label === cycle) ?? -1;
    if (cycles === undefined || index < 0) {
      const known = (cycles ?? []).map((c) => c.label);
      throw new EngineError('ENGINE_UNKNOWN_CYCLE', { cycle, unit: context.unit, known: known.length > 8 ? `${known.slice(0, 8).join(', ')} …` : known.join(', ') || '—' });
    }
    if (index === 0) return id;
    const named = cycleId(id, cycle);
    return exists(named) ? named : id;
  }
  if (context.cycle === undefined) return id;
  const named = cycleId(id, context.cycle);
  return exists(named) ? named : id;
}

/** The id the file gives an item of a later cycle (`自查` for `自查.2025`): how a scenario or a report names it. */
export function writtenId(item: ItemPlan): string {
  return item.cycle === undefined ? item.id : item.id.slice(0, -(item.cycle.length + MARK.length));
}
