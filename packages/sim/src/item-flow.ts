import type { CampaignPlan, HostEvent, TrackedItemView } from '@luoshi/engine';
import type { ItemBehaviour } from './model/scenario.js';
import type { Prng } from './random/prng.js';
import { exponential } from './random/distributions.js';

const DAY = 24 * 60 * 60 * 1000;
const MONTH = 30 * DAY;
/** Rounds of resolve-and-check one item goes through at most in a run: bounds the agenda. */
const MAX_ROUNDS = 20;

/**
 * 督办事项 in a simulation: each kind's items open for a unit at a Poisson rate; each is resolved
 * after an exponential wait, checked the next day (passing with `passRate`: struck off the day
 * after; failing: reopened, and worked on again), all planned when the run starts, as complaints
 * are. Items are named `<kind>-<n>`, numbered per unit. Draws are made only for a campaign with
 * items and a scenario that says how they arise, so other runs draw as before.
 */
export function planItems(
  plan: CampaignPlan,
  behaviour: ItemBehaviour | undefined,
  prng: Prng,
  start: number,
  end: number,
  push: (at: number, event: HostEvent) => void,
): void {
  const kinds = [...(plan.trackedKinds?.keys() ?? [])].sort();
  if (behaviour === undefined || behaviour.openedPerUnitPerMonth <= 0 || kinds.length === 0) return;
  const rate = behaviour.openedPerUnitPerMonth;
  for (const kind of kinds) {
    let n = 0;
    for (let t = start + exponential(prng, MONTH / rate); t < end; t += exponential(prng, MONTH / rate)) {
      const item = `${kind}-${++n}`;
      push(Math.round(t), { type: 'item.opened', item, kind });
      let from = t;
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const resolved = from + exponential(prng, behaviour.resolveDays * DAY);
        if (resolved + DAY >= end) break;
        push(Math.round(resolved), { type: 'item.resolved', item });
        const passed = prng.next() < behaviour.passRate;
        push(Math.round(resolved + DAY), { type: 'item.verified', item, passed });
        if (passed) {
          if (resolved + 2 * DAY < end) push(Math.round(resolved + 2 * DAY), { type: 'item.closed', item });
          break;
        }
        from = resolved + DAY;
      }
    }
  }
}

/** 督办事项 in a run's result: items opened, closed (销号), escalated (挂牌督办 above the first level) and still open. */
export interface ItemsResult {
  readonly opened: number;
  readonly closed: number;
  readonly escalated: number;
  readonly open: number;
}

/** The counts of a run's items at its end. */
export function itemsResult(plan: CampaignPlan, items: readonly TrackedItemView[]): ItemsResult {
  let closed = 0;
  let escalated = 0;
  for (const i of items) {
    if (i.status === 'closed') closed++;
    const first = plan.trackedKinds?.get(i.kind)?.levels[0];
    if (i.level !== undefined && i.level !== first) escalated++;
  }
  return { opened: items.length, closed, escalated, open: items.length - closed };
}
