import type { CampaignDefinition } from '../model/process.js';
import { readDuration } from './calendar-checks.js';
import type { Place, SemanticContext } from './semantic-context.js';

/**
 * 红黄绿灯 — a campaign's lights: their lengths read on the calendar (`yellowBefore`, the urging
 * interval), the urging action declared. A score deduction (`deduct`) names an evaluation.
 */
export function checkLights(cx: SemanticContext, campaign: CampaignDefinition, root: Place): void {
  const lights = campaign.lights;
  if (!lights) return;
  const place = cx.at(root, 'lights');
  readDuration(cx, lights.yellowBefore, cx.at(place, 'yellowBefore'));
  if (lights.urge) {
    const urge = cx.at(place, 'urge');
    readDuration(cx, lights.urge.every, cx.at(urge, 'every'));
    cx.refer('action', lights.urge.action, cx.at(urge, 'action'));
  }
}

/** The evaluation a deduction takes points from, checked once every evaluation is declared. */
export function checkDeduction(cx: SemanticContext, deduct: { readonly from: string } | undefined, place: Place): void {
  if (deduct) cx.refer('evaluation', deduct.from, cx.at(place, 'deduct', 'from'));
}

/** 申请延期 — the role that decides extension requests declared, the longest delay read on the calendar. */
export function checkExtensions(cx: SemanticContext, campaign: CampaignDefinition, root: Place): void {
  const extensions = campaign.extensions;
  if (!extensions) return;
  const place = cx.at(root, 'extensions');
  cx.refer('role', extensions.decidedBy, cx.at(place, 'decidedBy'));
  readDuration(cx, extensions.maxDelay, cx.at(place, 'maxDelay'));
}
