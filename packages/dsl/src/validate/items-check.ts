import { isMonthlyRecurrence } from '../calendar/recurrence-spec.js';
import type { CampaignDefinition } from '../model/process.js';
import { nameList } from './input-checks.js';
import type { Place, SemanticContext } from './semantic-context.js';

/**
 * 督办事项 — a campaign's kinds of tracked item: each id declared like any other work (no two alike),
 * the office role that verifies them declared, the inspection whose findings open them declared, and
 * an escalation only where there are levels to escalate to (DSL_ITEM_ESCALATE_NO_LEVELS), monthly
 * cards (`every`) only by the month (DSL_ITEM_EVERY_NOT_MONTHLY) and only for items that can have a
 * target (DSL_ITEM_EVERY_NO_TARGET).
 */
export function checkTrackedItems(cx: SemanticContext, campaign: CampaignDefinition, root: Place): void {
  (campaign.items ?? []).forEach((kind, index) => {
    const place = cx.at(root, 'items', index);
    cx.declareWork(kind.id, place);
    cx.ids.itemKind.add(kind.id);
    cx.refer('role', kind.by, cx.at(place, 'by'));
    if (kind.escalateAfter !== undefined && kind.levels === undefined)
      cx.report('DSL_ITEM_ESCALATE_NO_LEVELS', 'error', cx.at(place, 'escalateAfter'), { id: kind.id, n: kind.escalateAfter });
    if (kind.from !== undefined && !cx.ids.inspection.has(kind.from))
      cx.report('DSL_UNKNOWN_REFERENCE', 'error', cx.at(place, 'from'), { kindEn: 'inspection', kindZh: '检查', id: kind.from, hint: cx.ids.inspection.size > 0 ? ` (${nameList(cx.ids.inspection)})` : '' });
    if (kind.escalateAfterReds !== undefined && kind.levels === undefined)
      cx.report('DSL_ITEM_ESCALATE_NO_LEVELS', 'error', cx.at(place, 'escalateAfterReds'), { id: kind.id, n: kind.escalateAfterReds });
    if (kind.every !== undefined && !isMonthlyRecurrence(kind.every))
      cx.report('DSL_ITEM_EVERY_NOT_MONTHLY', 'error', cx.at(place, 'every'), { id: kind.id, every: kind.every });
    else if (kind.every !== undefined && kind.from !== undefined)
      cx.report('DSL_ITEM_EVERY_NO_TARGET', 'error', cx.at(place, 'every'), { id: kind.id, from: kind.from });
  });
}

/** Item events (亮牌) whose subject is the item's unit: a rule on them for members would never apply. */
const ITEM_EVENTS: ReadonlySet<string> = new Set(['item-yellow', 'item-red']);

/**
 * A ladder (whose subject defaults to member) or a consequence written for members that listens to an
 * item's light: refused (DSL_ITEM_EVENT_MEMBER), since an item is its unit's and it would never apply.
 */
export function checkItemEventSubjects(cx: SemanticContext, campaign: CampaignDefinition, root: Place): void {
  (campaign.ladders ?? []).forEach((ladder, index) => {
    if (ladder.on && ITEM_EVENTS.has(ladder.on.event) && (ladder.subject ?? 'member') === 'member')
      cx.report('DSL_ITEM_EVENT_MEMBER', 'error', cx.at(root, 'ladders', index, 'on', 'event'), { what: 'ladder', whatZh: '问责阶梯', id: ladder.id, event: ladder.on.event });
  });
  (campaign.consequences ?? []).forEach((q, index) => {
    if (ITEM_EVENTS.has(q.on.event) && q.subject === 'member')
      cx.report('DSL_ITEM_EVENT_MEMBER', 'error', cx.at(root, 'consequences', index, 'subject'), { what: 'consequence', whatZh: '后果', id: q.id, event: q.on.event });
  });
}
