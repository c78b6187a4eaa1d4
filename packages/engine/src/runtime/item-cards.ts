import type { CampaignPlan } from '../compiler/campaign-plan.js';
import type { TimerRecord } from '../ports/store.js';
import type { InstanceContext, TrackedItemRecord } from './instance-context.js';
import { yellowAt } from './lights.js';
import type { StepRecords } from './step-records.js';
import { formatTimerKey } from './timer-keys.js';

/*
 * 督办事项亮牌 — the cards an item is given (D2 贴蓝签、挂黄牌、亮红灯; D6 红黄绿亮牌) and the events
 * rules hear. An item is a subject of the rules as a unit and a member are, with one difference: it
 * is counted on itself (the yellows and reds on that item, and how many in a row) while what a rule
 * does lands on the unit that holds it (flags, points off, effects), since the directives punish the
 * unit for its item ("同一任务第二次被挂黄牌的，专函督办，并扣减年度考核1分"). A card comes from an
 * assessment — a progress report against the target's share, or the office's own label at its
 * roll-call (`item.assessed`) — or, in an instance whose items are lit (`itemLights`), from the item's
 * due day: yellow `lights.yellowBefore` before it, red once it has passed while the item is open.
 * Every yellow card raises `item-yellow`, every red one `item-red`, with the item's counts.
 */

/** A card's colour. */
export type Card = 'blue' | 'green' | 'yellow' | 'red';

/** The item's counters after a card: yellows and reds in total and in a row (a card of another colour breaks a row). */
export function counted(item: TrackedItemRecord, card: Card): TrackedItemRecord {
  const { ny, yr, rt, nr, ...rest } = item;
  const totals = { ...(ny !== undefined ? { ny } : {}), ...(rt !== undefined ? { rt } : {}) };
  if (card === 'yellow') return { ...rest, ...totals, ny: (ny ?? 0) + 1, yr: (yr ?? 0) + 1 };
  if (card === 'red') return { ...rest, ...totals, rt: (rt ?? 0) + 1, nr: (nr ?? 0) + 1 };
  return { ...rest, ...totals };
}

/** Raises the event of a card just written on `item` (its record after the card): `item-yellow` or `item-red`, heard by ladders and consequences for the unit. */
export function raiseCard(records: StepRecords, id: string, item: TrackedItemRecord, card: Card): void {
  if (card === 'yellow') records.raise('item-yellow', undefined, { item: id, kind: item.k, yellows: item.ny ?? 1, yellowsInRow: item.yr ?? 1 });
  else if (card === 'red') records.raise('item-red', undefined, { item: id, kind: item.k, reds: item.rt ?? 1, redsInRow: item.nr ?? 1 });
}

/** The label an assessment writes (`l`): blue, green, yellow, red as `b`, `g`, `y`, `r`. */
export function labelOf(card: Card): NonNullable<TrackedItemRecord['l']> {
  return card === 'blue' ? 'b' : card === 'green' ? 'g' : card === 'yellow' ? 'y' : 'r';
}

/** Whether an item is lit by its due day: the instance's items are lit, the campaign has lights, the item is open with a due. */
function dueLit(plan: CampaignPlan, context: InstanceContext, item: TrackedItemRecord): item is TrackedItemRecord & { readonly due: number } {
  return context.itemLights === true && plan.lights !== undefined && item.s === 'open' && item.due !== undefined;
}

/**
 * The timers of the instance's items lit by their due days: `item-yellow:<id>` at the start of the day
 * `yellowBefore` before the due day while not yet yellow, `item-due:<id>` at the due while not yet red.
 */
export function itemTimers(plan: CampaignPlan, instanceId: string, context: InstanceContext): TimerRecord[] {
  const timers: TimerRecord[] = [];
  if (context.itemLights !== true || plan.lights === undefined) return timers;
  for (const [id, item] of Object.entries(context.tracked ?? {})) {
    if (!dueLit(plan, context, item) || item.dl === 'r') continue;
    if (item.dl === undefined) {
      const at = yellowAt(plan, item.due);
      if (at !== undefined) timers.push({ instanceId, key: formatTimerKey({ kind: 'item-yellow', item: id }), dueAt: at });
    }
    timers.push({ instanceId, key: formatTimerKey({ kind: 'item-due', item: id }), dueAt: item.due });
  }
  return timers;
}

/**
 * 时限灯 — the item's due-day light when its timer fires: yellow (or red at once, when the yellow time
 * comes after the due has passed: an item listed or reopened late), red when the due has passed. The
 * new record, and the card it is, or undefined when there is nothing to change.
 */
export function dueCard(plan: CampaignPlan, context: InstanceContext, item: TrackedItemRecord, at: number, kind: 'yellow' | 'due'): { record: TrackedItemRecord; card: Card } | undefined {
  if (!dueLit(plan, context, item) || item.dl === 'r') return undefined;
  const red = kind === 'due' || at >= item.due;
  if (!red && item.dl === 'y') return undefined;
  const card: Card = red ? 'red' : 'yellow';
  return { record: { ...counted(item, card), dl: red ? 'r' : 'y' }, card };
}
