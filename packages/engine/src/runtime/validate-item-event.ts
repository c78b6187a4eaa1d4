import { DSL_LIMITS } from '@luoshi/dsl';
import type { CampaignPlan } from '../compiler/campaign-plan.js';
import { EngineError } from '../errors/engine-error.js';
import type { HostEvent } from './campaign-event.js';
import type { InstanceContext, TrackedItemStatus } from './instance-context.js';
import { ownValue } from './own-keys.js';

/** Item event types (督办事项), checked here rather than in `validate-event.ts`. */
export type ItemEventType = 'item.opened' | 'item.progress' | 'item.resolved' | 'item.verified' | 'item.closed' | 'item.assessed';

const STATE_ZH: Record<TrackedItemStatus, string> = { open: '办理中', resolved: '已办结待核验', verified: '已核验待销号', closed: '已销号' };

/** The status an event needs its item in: progress and resolution while open, a check once resolved, closing once verified. */
const NEEDS: Record<Exclude<ItemEventType, 'item.opened' | 'item.assessed'>, TrackedItemStatus> = {
  'item.progress': 'open',
  'item.resolved': 'open',
  'item.verified': 'resolved',
  'item.closed': 'verified',
};

/** Who sends an event, as the host verified: the actor and the roles it holds. */
type Who = { readonly actor: string; readonly roles: readonly string[] };

/**
 * 督办事项 — checks an item event against the plan and the unit's items before anything is written
 * (also an item listed at the start, through `checkListedItem`):
 * a kind the campaign does not declare, an id already used or one it does not hold
 * (ENGINE_UNKNOWN_TRACKED_ITEM), a unit at its kind's limit (ENGINE_ITEM_LIMIT), an event its item's
 * status does not allow — progress on a closed item, closing one not verified (ENGINE_ITEM_STATE).
 * The kind's `by` role opens, checks, labels (调度亮牌) and closes; the unit reports progress and resolution without
 * one. The role is checked before the item's state is read, so a refused actor learns nothing of it.
 */
export function validateItemEvent(plan: CampaignPlan, context: InstanceContext, type: ItemEventType, event: Record<string, unknown>, fields: unknown, who?: Who): HostEvent {
  const id = text(event, 'item', type);
  const unit = context.unit;
  if (type === 'item.opened') {
    const kindId = text(event, 'kind', type);
    const kind = plan.trackedKinds?.get(kindId);
    if (!kind) throw new EngineError('ENGINE_UNKNOWN_ITEM', { kind: 'item kind', kindZh: '督办事项类别', id: kindId });
    mayAct(who, kind.by, id);
    const owner = optionalText(event, 'owner', type);
    const due = optionalText(event, 'due', type);
    if (due !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(due) || plan.calendar.endOfDay(due) === undefined))
      throw payload(type, `"due" must be a day written YYYY-MM-DD (got "${due}")`, `“due”须写成 YYYY-MM-DD 形式的日期（收到「${due}」）`);
    const target = event.target;
    if (target !== undefined && (typeof target !== 'number' || !Number.isFinite(target) || target <= 0))
      throw payload(type, '"target" must be a number above 0', '“target”必须是大于 0 的数');
    if (ownValue(context.tracked, id) !== undefined) throw new EngineError('ENGINE_ITEM_EXISTS', { id, unit });
    let held = 0;
    for (const item of Object.values(context.tracked ?? {})) if (item.k === kindId) held++;
    if (held >= kind.limit) throw new EngineError('ENGINE_ITEM_LIMIT', { kind: kindId, unit, limit: kind.limit });
    const out: Record<string, unknown> = { type, item: id, kind: kindId };
    if (owner !== undefined) out.owner = owner;
    if (due !== undefined) out.due = due;
    if (target !== undefined) out.target = target;
    if (fields !== undefined) out.fields = fields;
    return out as unknown as HostEvent;
  }
  const item = ownValue(context.tracked, id);
  // The kind's role first (from the plan, when the item is known), then its state. An item the
  // unit does not hold has no kind: the actor must then hold the role of some kind the campaign
  // declares, so a unit that may not check items cannot tell an item that exists from one that does not.
  if (type === 'item.verified' || type === 'item.closed' || type === 'item.assessed') {
    if (item) mayAct(who, plan.trackedKinds?.get(item.k)?.by, id);
    else mayActOnSome(who, plan, id);
  }
  if (!item) throw new EngineError('ENGINE_UNKNOWN_TRACKED_ITEM', { id, unit });
  if (type === 'item.assessed') {
    // 调度亮牌: any item not yet struck off; the label is one of the four colours.
    if (item.s === 'closed') throw new EngineError('ENGINE_ITEM_STATE', { id, unit, state: item.s, stateZh: STATE_ZH[item.s], type });
    const light = event.light;
    if (light !== 'blue' && light !== 'green' && light !== 'yellow' && light !== 'red')
      throw payload(type, `"light" must be blue, green, yellow or red (got ${JSON.stringify(light)?.slice(0, 40) ?? 'nothing'})`, `“light”必须是 blue、green、yellow 或 red（蓝、绿、黄、红）之一（收到 ${JSON.stringify(light)?.slice(0, 40) ?? '空'}）`);
    return (fields !== undefined ? { type, item: id, light, fields } : { type, item: id, light }) as HostEvent;
  }
  if (item.s !== NEEDS[type]) throw new EngineError('ENGINE_ITEM_STATE', { id, unit, state: item.s, stateZh: STATE_ZH[item.s], type });
  const out: Record<string, unknown> = { type, item: id };
  if (type === 'item.progress') {
    const done = event.done;
    if (typeof done !== 'number' || !Number.isFinite(done) || done < 0) throw payload(type, '"done" must be a number, 0 or more', '“done”必须是不小于 0 的数');
    out.done = done;
  }
  if (type === 'item.verified') {
    if (typeof event.passed !== 'boolean') throw payload(type, '"passed" must be true or false', '“passed”必须是 true 或 false');
    out.passed = event.passed;
  }
  if (fields !== undefined) out.fields = fields;
  return out as unknown as HostEvent;
}

/** The state of an item in Chinese, for views. */
export function itemStatusZh(status: TrackedItemStatus): string {
  return STATE_ZH[status];
}

function mayAct(who: Who | undefined, role: string | undefined, id: string): void {
  if (!who || role === undefined || who.roles.includes(role)) return;
  throw new EngineError('ENGINE_FORBIDDEN', { actor: who.actor, role, id });
}

/** For an item not held: refused unless the actor could act on an item of some declared kind (holds its `by` role, or it names none). */
function mayActOnSome(who: Who | undefined, plan: CampaignPlan, id: string): void {
  if (!who || plan.trackedKinds === undefined || plan.trackedKinds.size === 0) return;
  const roles = new Set<string>();
  for (const kind of plan.trackedKinds.values()) {
    if (kind.by === undefined || who.roles.includes(kind.by)) return;
    roles.add(kind.by);
  }
  throw new EngineError('ENGINE_FORBIDDEN', { actor: who.actor, role: [...roles].join('、'), id });
}

/**
 * Control, invisible-format and lone-surrogate characters, refused in an item's id, kind and owner as
 * in a unit's id (`organisation.ts`): an item named "\u202e…" reads as another on a board or a card.
 */
const UNSEEN = /[\p{Cc}\p{Cf}\p{Cs}]/u;

function text(event: Record<string, unknown>, key: string, type: string): string {
  const value = event[key];
  if (typeof value !== 'string' || value.length === 0 || value.length > DSL_LIMITS.trackedItemText || UNSEEN.test(value))
    throw payload(
      type,
      `"${key}" must be a text of 1 to ${DSL_LIMITS.trackedItemText} characters without control, invisible-format or lone-surrogate characters`,
      `「${key}」必须是 1 至 ${DSL_LIMITS.trackedItemText} 个字符、不含控制字符、不可见格式字符或孤立代理项的文字`,
    );
  return value;
}

function optionalText(event: Record<string, unknown>, key: string, type: string): string | undefined {
  return event[key] === undefined ? undefined : text(event, key, type);
}

function payload(type: string, detail: string, detailZh: string): EngineError {
  return new EngineError('ENGINE_INVALID_PAYLOAD', { type, detail, detailZh });
}
