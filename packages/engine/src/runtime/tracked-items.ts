import type { CampaignPlan, TrackedKindPlan } from '../compiler/campaign-plan.js';
import type { InstanceContext, TrackedItemRecord } from './instance-context.js';
import { counted, dueCard, labelOf, raiseCard, type Card } from './item-cards.js';
import { itemLight, proRataShare, shareLight } from './item-lights.js';
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
 * share of it at the report (`item-lights.ts`; met or missed with `redAfterMisses`): a card, whose
 * event rules hear; the `escalateAfterReds`th red in a row escalates it one level. In an instance whose
 * items of a monthly kind are carded every month (`monthCards`), the report's time is kept (`pa`): the
 * month it falls in has had its card (`monthly-cards.ts`).
 */
export function itemProgress(records: StepRecords, id: string, done: number): void {
  const item = ownValue(records.context.tracked, id);
  if (!item) return;
  const kind = records.plan.trackedKinds?.get(item.k);
  const reported: TrackedItemRecord = { ...item, p: done, ...(records.context.monthCards === true && kind?.monthly === true ? { pa: records.at } : {}) };
  if (item.t === undefined) write(records, id, reported);
  else assessAgainstShare(records, id, reported, kind, item.t, done, proRataShare(records.plan, records.at));
}

/**
 * 亮牌 — an item judged on its cumulative progress `done` against `share` of its `target`:
 * by D6's thresholds, or, with `redAfterMisses`, met or missed (any shortfall is a miss, the
 * `redAfterMisses`th in a row red). The one judgement of a progress report and of a month's turn.
 */
export function assessAgainstShare(records: StepRecords, id: string, item: TrackedItemRecord, kind: TrackedKindPlan | undefined, target: number, done: number, share: number): void {
  const { l: _l, nm: _nm, ...rest } = item;
  let card: Card = shareLight(target, done, share);
  let misses: number | undefined;
  if (kind?.redAfterMisses !== undefined) {
    // 月度任务: any shortfall is a miss; the redAfterMisses-th miss in a row is red.
    misses = card === 'green' ? undefined : (item.nm ?? 0) + 1;
    card = misses === undefined ? 'green' : misses >= kind.redAfterMisses ? 'red' : 'yellow';
  }
  // A green writes no label (absent is green with a target), as before cards were counted.
  const labelled: TrackedItemRecord = { ...rest, ...(card === 'green' ? {} : { l: labelOf(card) }), ...(misses !== undefined ? { nm: misses } : {}) };
  carded(records, id, kind, labelled, card);
}

/**
 * 调度亮牌 — the office's label for an item at its roll-call (D2: 蓝签 on schedule, 黄牌 slow, 红灯
 * stalled): written as given and counted as a card. An item red by its due day stays red until it is
 * resolved (`itemLight` shows the worse of the two), whatever the label.
 */
export function itemAssessed(records: StepRecords, id: string, light: Card): void {
  const item = ownValue(records.context.tracked, id);
  if (!item) return;
  carded(records, id, records.plan.trackedKinds?.get(item.k), { ...item, l: labelOf(light) }, light);
}

/** An item's due-day timer (`item-yellow`, `item-due`): its yellow or red card, when it is still open and lit. */
export function itemDueTimer(records: StepRecords, id: string, kind: 'yellow' | 'due'): void {
  const item = ownValue(records.context.tracked, id);
  if (!item) return;
  const change = dueCard(records.plan, records.context, item, records.at, kind);
  if (!change) return;
  write(records, id, change.record);
  raiseCard(records, id, change.record, change.card);
}

/**
 * 由检查发现交办 — a finding of an inspection opens an item of each kind that names it (`from`), named
 * `<inspection>-<n>` (the first free n from the unit's nth finding) and due with the rectification.
 * A unit at its kind's limit gets no more (the finding stands).
 */
export function openFromFinding(records: StepRecords, inspection: string, findings: number, due: number | undefined): void {
  for (const kind of records.plan.trackedKinds?.values() ?? []) {
    // A later cycle's inspection is named `id.label` (检查.2025); the kind names the id.
    if (kind.from !== inspection && !inspection.startsWith(`${kind.from}.`)) continue;
    let held = 0;
    for (const item of Object.values(records.context.tracked ?? {})) if (item.k === kind.id) held++;
    if (held >= kind.limit) continue;
    let n = findings;
    while (ownValue(records.context.tracked, `${inspection}-${n}`) !== undefined) n++;
    openItem(records, `${inspection}-${n}`, kind.id, undefined, due, undefined);
  }
}

/** Writes an assessed card (counted), raises its event, and escalates at every `escalateAfterReds`th red in a row. */
function carded(records: StepRecords, id: string, kind: TrackedKindPlan | undefined, labelled: TrackedItemRecord, card: Card): void {
  const record = counted(labelled, card);
  const level = record.lv ?? 0;
  const reds = record.nr ?? 0;
  const escalates = card === 'red' && kind?.escalateAfterReds !== undefined && reds % kind.escalateAfterReds === 0 && level + 1 < kind.levels.length;
  const after = escalates ? { ...record, lv: level + 1 } : record;
  write(records, id, after);
  raiseCard(records, id, after, card);
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
    const light = itemLight(plan, item, context.itemLights === true);
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
      ...(item.ny !== undefined ? { yellows: item.ny } : {}),
      ...(item.rt !== undefined ? { reds: item.rt } : {}),
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
