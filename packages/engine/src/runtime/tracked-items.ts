import type { CampaignPlan, TrackedKindPlan } from '../compiler/campaign-plan.js';
import type { InstanceContext, TrackedItemRecord } from './instance-context.js';
import { itemLight, progressLight } from './item-lights.js';
import { itemStatusZh } from './validate-item-event.js';
import type { TrackedItemView } from './views.js';
import { ownValue, setOwn } from './own-keys.js';
import { effectDraft, type StepRecords } from './step-records.js';

/**
 * 督办事项 (items tracked to closure, 销号管理) — a unit's problems, rectification tasks or key
 * projects, each under the id the host gave it: opened (交办) with an owner, a due day and a target,
 * progress reported (报进度), resolved by the unit (办结), checked by the office (核验) — passed it
 * may be struck off (销号), failed it is reopened and, after its kind's `escalateAfter` failed checks,
 * escalated one level (挂牌督办: 县级 → 市级 → 省级), an effect `item-escalated` for the host.
 * The events were checked against the records before they get here (`validate-item-event.ts`).
 */

/** 交办 — a new item for the unit. */
export function openItem(
  records: StepRecords,
  id: string,
  kind: string,
  owner: string | undefined,
  due: number | undefined,
  target: number | undefined,
): void {
  const record: { -readonly [K in keyof TrackedItemRecord]: TrackedItemRecord[K] } = { k: kind, s: 'open', at: records.at };
  if (owner !== undefined) record.o = owner;
  if (due !== undefined) record.due = due;
  if (target !== undefined) record.t = target;
  write(records, id, record);
}

/**
 * 报进度 — the cumulative progress reported. An item with a target is assessed against the pro-rata
 * share of it (`item-lights.ts`); the `escalateAfterReds`th red in a row escalates it one level.
 */
export function itemProgress(records: StepRecords, id: string, done: number): void {
  const item = ownValue(records.context.tracked, id);
  if (!item) return;
  if (item.t === undefined) {
    write(records, id, { ...item, p: done });
    return;
  }
  const light = progressLight(records.plan, item.t, done, records.at);
  const { l: _l, nr: _nr, ...rest } = item;
  const reds = light === 'red' ? (item.nr ?? 0) + 1 : 0;
  const kind = records.plan.trackedKinds?.get(item.k);
  const level = item.lv ?? 0;
  const escalates = kind?.escalateAfterReds !== undefined && reds > 0 && reds % kind.escalateAfterReds === 0 && level + 1 < kind.levels.length;
  write(records, id, {
    ...rest,
    p: done,
    ...(light === 'yellow' ? { l: 'y' as const } : light === 'red' ? { l: 'r' as const, nr: reds } : {}),
    ...(escalates ? { lv: level + 1 } : {}),
  });
  if (escalates && kind) escalated(records, kind, id, level + 1);
}

/** 办结 — the unit reports the item resolved; it waits for the office's check. */
export function itemResolved(records: StepRecords, id: string): void {
  const item = ownValue(records.context.tracked, id);
  if (item) write(records, id, { ...item, s: 'resolved' });
}

/**
 * 核验 — the office's check of a resolved item: passed, it is verified (and may be struck off);
 * failed, it is open again, and every `escalateAfter`th failure moves it one level up while there
 * is one (the top level keeps it).
 */
export function itemVerified(records: StepRecords, id: string, passed: boolean): void {
  const item = ownValue(records.context.tracked, id);
  if (!item) return;
  if (passed) {
    write(records, id, { ...item, s: 'verified' });
    return;
  }
  const failed = (item.f ?? 0) + 1;
  const kind = records.plan.trackedKinds?.get(item.k);
  const level = item.lv ?? 0;
  const escalates = kind !== undefined && failed % kind.escalateAfter === 0 && level + 1 < kind.levels.length;
  write(records, id, { ...item, s: 'open', f: failed, ...(escalates ? { lv: level + 1 } : {}) });
  if (escalates) escalated(records, kind, id, level + 1);
}

/** 销号 — a verified item is closed and struck off. */
export function itemClosed(records: StepRecords, id: string): void {
  const item = ownValue(records.context.tracked, id);
  if (item) write(records, id, { ...item, s: 'closed', end: records.at });
}

/** 挂牌督办 — the item now supervised at `level`: an effect the host sees, with the level's name. */
function escalated(records: StepRecords, kind: TrackedKindPlan, id: string, level: number): void {
  const name = kind.levels[level] ?? String(level);
  records.emit(effectDraft('item-escalated', `${kind.title}「${id}」升级为${name}挂牌督办`, `item:${id}:${name}`, undefined, undefined));
}

/** The item's level by name (挂牌督办), if its kind has levels. */
export function itemLevel(kind: TrackedKindPlan | undefined, item: TrackedItemRecord): string | undefined {
  return kind?.levels[item.lv ?? 0];
}

/** A unit's items as hosts read them, in the order they were opened. */
export function itemViews(plan: CampaignPlan, instanceId: string, context: InstanceContext): TrackedItemView[] {
  const out: TrackedItemView[] = [];
  for (const [id, item] of Object.entries(context.tracked ?? {})) {
    const kind = plan.trackedKinds?.get(item.k);
    const level = itemLevel(kind, item);
    const light = itemLight(plan, item);
    out.push({
      unitId: context.unit,
      instanceId,
      item: id,
      kind: item.k,
      kindTitle: kind?.title ?? item.k,
      status: item.s,
      statusZh: itemStatusZh(item.s),
      ...(item.o !== undefined ? { owner: item.o } : {}),
      ...(item.due !== undefined ? { dueAt: item.due } : {}),
      ...(item.t !== undefined ? { target: item.t } : {}),
      ...(item.p !== undefined ? { done: item.p } : {}),
      ...(level !== undefined ? { level } : {}),
      ...(light !== undefined ? { light } : {}),
      failedChecks: item.f ?? 0,
      openedAt: item.at,
      ...(item.end !== undefined ? { closedAt: item.end } : {}),
    });
  }
  return out.sort((a, b) => a.openedAt - b.openedAt);
}

function write(records: StepRecords, id: string, record: TrackedItemRecord): void {
  // A copy of the unit's items per write: one event writes one item.
  const next: Record<string, TrackedItemRecord> = { ...records.context.tracked };
  setOwn(next, id, record);
  records.patch({ tracked: next });
}
