import type { CampaignDefinition } from '../model/process.js';
import type { Place, SemanticContext } from './semantic-context.js';

/**
 * 督办事项 — a campaign's kinds of tracked item: each id declared like any other work (no two alike),
 * the office role that verifies them declared, and an escalation only where there are levels to
 * escalate to (DSL_ITEM_ESCALATE_NO_LEVELS).
 */
export function checkTrackedItems(cx: SemanticContext, campaign: CampaignDefinition, root: Place): void {
  (campaign.items ?? []).forEach((kind, index) => {
    const place = cx.at(root, 'items', index);
    cx.declareWork(kind.id, place);
    cx.refer('role', kind.by, cx.at(place, 'by'));
    if (kind.escalateAfter !== undefined && kind.levels === undefined)
      cx.report('DSL_ITEM_ESCALATE_NO_LEVELS', 'error', cx.at(place, 'escalateAfter'), { id: kind.id, n: kind.escalateAfter });
    if (kind.escalateAfterReds !== undefined && kind.levels === undefined)
      cx.report('DSL_ITEM_ESCALATE_NO_LEVELS', 'error', cx.at(place, 'escalateAfterReds'), { id: kind.id, n: kind.escalateAfterReds });
  });
}
