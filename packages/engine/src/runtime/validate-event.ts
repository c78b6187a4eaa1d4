import { DSL_LIMITS } from '@luoshi/dsl';
import type { CampaignPlan, InspectionPlan, ItemPlan } from '../compiler/campaign-plan.js';
import { EngineError } from '../errors/engine-error.js';
import { HOST_EVENT_TYPES, type HostEvent } from './campaign-event.js';
import type { InstanceContext, TaskRecord, TaskStatus } from './instance-context.js';
import { checkExtension, reasonOf } from './extensions.js';
import { holdsItem } from './record-keeper.js';
import { inspectionKey, memberRef } from './record-keys.js';
import { defaultOccurrence, occurrenceOfDay, periodDay } from './occurrence-period.js';
import { ownValue } from './own-keys.js';
import { taskFor } from './task-table.js';

import { cycleNamed } from './cycles.js';
import { validateItemEvent } from './validate-item-event.js';
const STATUS_ZH: Record<TaskStatus | 'missing', string> = {
  waiting: '等待起算',
  open: '办理中',
  overdue: '已逾期',
  done: '已完成',
  late: '逾期完成',
  missing: '尚未开始',
};

const INSPECTION_ZH: Record<string, string> = { clear: '无待整改问题', rectifying: '整改中', reinspecting: '待复验', exhausted: '整改轮次已用尽' };

/** Who sends an event, as the host verified: the actor and the roles it holds. */
type Who = { readonly actor: string; readonly roles: readonly string[] };

/**
 * Checks a host event against the plan and the instance's records before anything is written:
 * unknown types, tasks, members, inspections, decisions, scores out of range, payloads that do not
 * fit. Throws a typed `EngineError`; returns the event normalised to its known fields.
 *
 * With `who`, the actor must hold the role the process names for the event (ENGINE_FORBIDDEN),
 * checked as soon as the item is known from the plan and before anything of the instance's state
 * is looked at (its members, a task's status, an inspection's round, the current phase), so a
 * refused actor learns nothing of that state: a task's `owner`, an evaluation's, inspection's or
 * decision's `by`; a verified complaint or a notice (通报) needs a role the process declares at the
 * office level; a rectification is reported by the inspected unit and needs no role.
 */
export function validateHostEvent(
  plan: CampaignPlan,
  context: InstanceContext,
  currentPhase: string,
  raw: unknown,
  who?: Who,
): HostEvent {
  if (typeof raw !== 'object' || raw === null) throw payload('?', 'an event must be an object with a "type"', '事件必须是带“type”的对象');
  const event = raw as Record<string, unknown>;
  const type = event.type;
  if (typeof type !== 'string' || !(HOST_EVENT_TYPES as readonly string[]).includes(type))
    throw new EngineError('ENGINE_UNKNOWN_EVENT', { type: String(type), known: HOST_EVENT_TYPES.join(', ') });
  const unit = context.unit;
  const member = optionalText(event, 'member', type);
  // 周期: the cycle whose work the event names (its label, `2025`), else the one the unit is in.
  const cycle = cycleLabel(event, type);
  const fields = event.fields;
  if (fields !== undefined) {
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw payload(type, '"fields" must be an object', '“fields”必须是对象');
    for (const [k, v] of Object.entries(fields))
      if (!['string', 'number', 'boolean'].includes(typeof v)) throw payload(type, `field "${k}" must be a text, number or true/false`, `字段「${k}」必须是文字、数字或真假值`);
  }

  switch (type) {
    case 'item.opened':
    case 'item.progress':
    case 'item.resolved':
    case 'item.verified':
    case 'item.closed':
    case 'item.assessed':
      if (member !== undefined) throw payload(type, 'an item is the unit\'s, not a member\'s', '督办事项属于单位，不能写成员');
      return validateItemEvent(plan, context, type, event, fields, who);
    case 'task.completed':
    case 'report.submitted': {
      const { id, task, period } = namedTask(plan, context, event, type, cycle, member, who, undefined);
      const status = task?.s ?? 'missing';
      if (status !== 'open' && status !== 'overdue') throw notOpen(id, unit, status);
      const done = withCommon({ type, task: id }, member, fields) as { period?: string };
      if (period !== undefined) done.period = period;
      return done as HostEvent;
    }
    case 'extension.requested':
    case 'extension.decided': {
      // 申请延期: a campaign without the key allows none; the request is the task owner's, the decision `decidedBy`'s.
      const rule = plan.extensions;
      if (!rule) throw new EngineError('ENGINE_NO_EXTENSIONS', {});
      const { id, task, period } = namedTask(plan, context, event, type, cycle, member, who, type === 'extension.decided' ? rule.decidedBy : undefined);
      const out = withCommon({ type, task: id }, member, fields) as Record<string, unknown>;
      if (period !== undefined) out.period = period;
      if (type === 'extension.decided') {
        if (typeof event.approved !== 'boolean') throw payload(type, '"approved" must be true or false', '“approved”必须是 true 或 false');
        checkExtension(plan, rule, context, id, task, { type }, (status) => notOpen(id, unit, status));
        out.approved = event.approved;
        return out as unknown as HostEvent;
      }
      const until = text(event, 'until', type);
      const untilAt = /^\d{4}-\d{2}-\d{2}$/.test(until) ? plan.calendar.endOfDay(until) : undefined;
      if (untilAt === undefined) throw payload(type, `"until" must be a day written YYYY-MM-DD (got "${until}")`, `“until”须写成 YYYY-MM-DD 形式的日期（收到「${until}」）`);
      const reason = reasonOf(event.reason);
      if (reason === undefined) throw payload(type, `"reason" must be a text of 1 to ${DSL_LIMITS.extensionReason} characters without control characters other than line breaks`, `“reason”必须是 1 至 ${DSL_LIMITS.extensionReason} 个字符、除换行外不含控制字符的文字`);
      checkExtension(plan, rule, context, id, task, { type, until: untilAt, untilDay: until }, (status) => notOpen(id, unit, status));
      out.until = until;
      out.reason = reason;
      return out as unknown as HostEvent;
    }
    case 'score.given': {
      const id = cycleNamed(plan, context, text(event, 'evaluation', type), cycle, (n) => plan.items.has(n));
      const item = plan.items.get(id);
      if (!item || item.kind !== 'evaluation' || !holdsItem(item, context))
        throw new EngineError('ENGINE_UNKNOWN_ITEM', { kind: 'evaluation', kindZh: '评价', id });
      mayAct(who, item.owner, id);
      knownMember(context, member);
      if (item.perMember && member === undefined) throw payload(type, `evaluation "${id}" scores each member: name the member`, `评价「${id}」给每位成员打分，请写明成员`);
      if (!item.perMember && member !== undefined) throw payload(type, `evaluation "${id}" scores the unit, not a member`, `评价「${id}」给单位打分，不能写成员`);
      const score = event.score;
      if (typeof score !== 'number' || !Number.isFinite(score)) throw payload(type, '"score" must be a number', '“score”必须是数字');
      const scale = item.scale ?? { min: 0, max: 100 };
      if (score < scale.min || score > scale.max)
        throw new EngineError('ENGINE_SCORE_OUT_OF_RANGE', { evaluation: id, score, min: scale.min, max: scale.max });
      if (ownValue(context.entered, item.phase) === undefined)
        throw new EngineError('ENGINE_TASK_NOT_OPEN', { id, unit, status: 'missing', statusZh: STATUS_ZH.missing });
      return withCommon({ type, evaluation: id, score }, member, fields);
    }
    case 'finding.recorded':
    case 'rectification.done':
    case 'reinspection.recorded': {
      const id = cycleNamed(plan, context, text(event, 'inspection', type), cycle, (n) => plan.inspections.has(n));
      const inspection = plan.inspections.get(id);
      if (!inspection) throw new EngineError('ENGINE_UNKNOWN_ITEM', { kind: 'inspection', kindZh: '检查', id });
      // The inspector records findings and re-inspections; the inspected unit reports its rectification.
      if (type !== 'rectification.done') mayAct(who, inspection.by, id);
      const ref = knownMember(context, member);
      if (inspection.subject === 'member' && member === undefined) throw payload(type, `inspection "${id}" is of members: name the member`, `检查「${id}」针对成员，请写明成员`);
      // A loop runs while its phase does: a finding outside it is refused. A round it started
      // before the phase ended is followed through (rectification, re-inspection, its deadline).
      if (type === 'finding.recorded') inspectionActive(plan, context, currentPhase, inspection, type);
      const subjectMember = inspection.subject === 'member' ? member : undefined;
      const state = ownValue(context.insp, inspectionKey(id, subjectMember === undefined ? undefined : ref))?.s ?? 'clear';
      const expected = type === 'rectification.done' ? 'rectifying' : type === 'reinspection.recorded' ? 'reinspecting' : undefined;
      if (expected && state !== expected)
        throw new EngineError('ENGINE_INSPECTION_STATE', { id, unit, state, stateZh: INSPECTION_ZH[state] ?? state, type });
      if (type === 'reinspection.recorded') {
        if (typeof event.passed !== 'boolean') throw payload(type, '"passed" must be true or false', '“passed”必须是 true 或 false');
        return withCommon({ type, inspection: id, passed: event.passed }, member, fields);
      }
      return withCommon({ type, inspection: id }, member, fields);
    }
    case 'complaint.verified': {
      mayAct(who, officeRoles(plan), type);
      knownMember(context, member);
      const needsMember = complaintsNeedMember(plan);
      if (needsMember && member === undefined) throw payload(type, 'a verified complaint counts against a member: name the member', '查实的举报投诉要计入成员，请写明成员');
      return withCommon({ type }, member, fields);
    }
    case 'notified': {
      mayAct(who, officeRoles(plan), type);
      knownMember(context, member);
      const inspection = optionalText(event, 'inspection', type);
      const notice = withCommon({ type }, member, fields) as { inspection?: string };
      if (inspection !== undefined) notice.inspection = inspection;
      return notice as HostEvent;
    }
    case 'decision.taken': {
      const id = text(event, 'decision', type);
      const option = text(event, 'option', type);
      const decision = plan.phaseById.get(currentPhase)?.decisions.find((d) => d.id === id);
      // The role is checked before the phase is: one who may not decide learns not which phase the unit is in.
      const named = decision ?? plan.phases.flatMap((p) => p.decisions).find((d) => d.id === id);
      if (named) mayAct(who, named.by, id);
      if (!decision) throw new EngineError('ENGINE_UNKNOWN_ITEM', { kind: 'decision of the current phase', kindZh: '当前阶段的决定', id });
      knownMember(context, member);
      if (!decision.options.some((o) => o.id === option))
        throw new EngineError('ENGINE_UNKNOWN_ITEM', { kind: 'option', kindZh: '选项', id: option });
      // A phase waiting for its window has not begun: its decisions wait with it.
      phaseOpen(plan, context, currentPhase, type);
      return withCommon({ type, decision: id, option }, member, fields);
    }
  }
  throw new EngineError('ENGINE_UNKNOWN_EVENT', { type, known: HOST_EVENT_TYPES.join(', ') });
}

/**
 * The task an event names (`task.completed`, `report.submitted`, the extension events): its plan
 * item held here, the actor holding `role` (default the task's owner) before the instance's state
 * is read, the member named as the task needs, the occurrence its `period` names, and its record.
 */
function namedTask(
  plan: CampaignPlan,
  context: InstanceContext,
  event: Record<string, unknown>,
  type: string,
  cycle: string | undefined,
  member: string | undefined,
  who: Who | undefined,
  role: string | undefined,
): { readonly id: string; readonly task: TaskRecord | undefined; readonly period: string | undefined } {
  const unit = context.unit;
  const id = cycleNamed(plan, context, text(event, 'task', type), cycle, (n) => plan.items.has(n));
  const item = plan.items.get(id);
  if (!item || item.kind === 'evaluation' || !holdsItem(item, context)) throw new EngineError('ENGINE_UNKNOWN_TASK', { id, unit });
  mayAct(who, role ?? item.owner, id);
  const ref = knownMember(context, member);
  if (item.perMember && member === undefined) throw payload(type, `task "${id}" is done by each member: name the member`, `任务「${id}」由每位成员办理，请写明成员`);
  if (!item.perMember && member !== undefined) throw payload(type, `task "${id}" is done by the unit, not by a member`, `任务「${id}」由单位办理，不能写成员`);
  const period = optionalText(event, 'period', type);
  const occurrence = occurrenceNamed(plan, context, item, period, type, ref);
  return { id, task: taskFor(context.tasks, id, ref, occurrence), period };
}

/** ENGINE_TASK_NOT_OPEN, with the status in both languages. */
function notOpen(id: string, unit: string, status: TaskStatus | 'missing'): EngineError {
  return new EngineError('ENGINE_TASK_NOT_OPEN', { id, unit, status, statusZh: STATUS_ZH[status] });
}

/**
 * Refuses a finding of an inspection outside the phases that declare it (ENGINE_INSPECTION_NOT_ACTIVE),
 * or while the unit waits for the window of such a phase (ENGINE_PHASE_NOT_OPEN).
 */
function inspectionActive(plan: CampaignPlan, context: InstanceContext, currentPhase: string, inspection: InspectionPlan, type: string): void {
  if (!inspection.phases.includes(currentPhase)) {
    const titles = inspection.phases.map((id) => plan.phaseById.get(id)?.title ?? id).join(' / ');
    const current = plan.phaseById.get(currentPhase)?.title ?? currentPhase;
    throw new EngineError('ENGINE_INSPECTION_NOT_ACTIVE', { id: inspection.id, unit: context.unit, phases: titles, current });
  }
  phaseOpen(plan, context, currentPhase, type);
}

/** Refuses work in a phase the unit has entered before its window opened (ENGINE_PHASE_NOT_OPEN). */
function phaseOpen(plan: CampaignPlan, context: InstanceContext, currentPhase: string, type: string): void {
  if (context.opensAt === undefined) return;
  const opens = plan.calendar.dateTime(context.opensAt).toISODate() ?? String(context.opensAt);
  throw new EngineError('ENGINE_PHASE_NOT_OPEN', { unit: context.unit, phase: plan.phaseById.get(currentPhase)?.title ?? currentPhase, opens, type });
}

/**
 * The reference of the event's member, looked up once and after the role check (the members are
 * the unit's, not the plan's): the record keys name members by it. ENGINE_UNKNOWN_MEMBER if none.
 */
function knownMember(context: InstanceContext, member: string | undefined): string | undefined {
  if (member === undefined) return undefined;
  const ref = memberRef(context.members, member);
  if (ref === undefined) throw new EngineError('ENGINE_UNKNOWN_MEMBER', { unit: context.unit, id: member });
  return ref;
}

/** Refuses work by an actor the host says lacks the role (or every one of the roles) the process file names for it. */
function mayAct(who: Who | undefined, role: string | readonly string[], id: string): void {
  if (!who) return;
  if (typeof role === 'string' ? who.roles.includes(role) : role.some((r) => who.roles.includes(r))) return;
  throw new EngineError('ENGINE_FORBIDDEN', { actor: who.actor, role: typeof role === 'string' ? role : role.join(' / '), id });
}

/**
 * 终止活动 — the office's closing of a campaign needs a role the process declares at the office level
 * (领导小组, 办公室), as a verified complaint or a notice does: refused (ENGINE_FORBIDDEN) to an actor
 * the host says holds none of them; nothing is checked without `who`.
 */
export function mayCloseCampaign(plan: CampaignPlan, who: Who | undefined): void {
  mayAct(who, officeRoles(plan), 'campaign.closed');
}

const officeRolesOf = new WeakMap<CampaignPlan, readonly string[]>();

/** The roles a process declares at the office level (领导小组, 办公室, 督查组): who verifies complaints and issues notices. */
function officeRoles(plan: CampaignPlan): readonly string[] {
  let roles = officeRolesOf.get(plan);
  if (roles === undefined) {
    roles = [...plan.roles.values()].filter((r) => r.level === 'office').map((r) => r.id);
    officeRolesOf.set(plan, roles);
  }
  return roles;
}

const complaintRules = new WeakMap<CampaignPlan, boolean>();

/** Whether a ladder counts verified complaints per member, so a complaint must name one. */
function complaintsNeedMember(plan: CampaignPlan): boolean {
  let needs = complaintRules.get(plan);
  if (needs === undefined) {
    needs = [...plan.ladders.values()].some((l) => l.on?.event === 'complaint-verified' && l.subject === 'member');
    complaintRules.set(plan, needs);
  }
  return needs;
}

/** Member and fields added to the normalised event by assignment: an object literal spreading optional parts gets a layout of its own from V8 every time. */
function withCommon<E extends Record<string, unknown>>(out: E, member: string | undefined, fields: unknown): HostEvent {
  const event: Record<string, unknown> = out;
  if (member !== undefined) event.member = member;
  if (fields !== undefined) event.fields = fields;
  return out as unknown as HostEvent;
}

/**
 * The occurrence of a recurring item a completion is for (报告期): the one whose period holds the day
 * `period` names, or without one the current (latest started) occurrence; undefined for an item that
 * does not recur. A period on an item that does not recur is a payload that does not fit; one that is
 * no occurrence's, or one that has not started yet, is ENGINE_UNKNOWN_PERIOD.
 */
function occurrenceNamed(plan: CampaignPlan, context: InstanceContext, item: ItemPlan, period: string | undefined, type: string, member: string | undefined): number | undefined {
  const rec = item.recurrence;
  if (!rec) {
    if (period !== undefined) throw payload(type, `task "${item.id}" does not recur: it has no "period"`, `任务「${item.id}」不是周期性任务，不能写“period”`);
    return undefined;
  }
  const started = ownValue(context.recur, item.id) ?? 0;
  if (period === undefined) return defaultOccurrence(context.tasks, item, started, member);
  const day = periodDay(plan, period);
  if (day === undefined)
    throw payload(type, `"period" must be a month or a day inside the period, like 2024-05 or 2024-05-20 (got "${period}")`, `“period”须写报告期内的月份或日期，如 2024-05 或 2024-05-20（收到「${period}」）`);
  const n = occurrenceOfDay(item, day);
  if (n === undefined || n >= started) {
    const starts = rec.starts.slice(0, 6).map((s) => plan.calendar.dateTime(s).toISODate()).join(', ') + (rec.starts.length > 6 ? ' …' : '');
    throw new EngineError('ENGINE_UNKNOWN_PERIOD', { id: item.id, unit: context.unit, period, starts });
  }
  return n;
}

/** The `cycle` an event names: a label as text, or a year as a number (2025). */
function cycleLabel(event: Record<string, unknown>, type: string): string | undefined {
  const value = event.cycle;
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return text(event, 'cycle', type);
}

function text(event: Record<string, unknown>, key: string, type: string): string {
  const value = event[key];
  if (typeof value !== 'string' || value.length === 0) throw payload(type, `"${key}" must be a non-empty text`, `「${key}」必须是非空文字`);
  return value;
}

function optionalText(event: Record<string, unknown>, key: string, type: string): string | undefined {
  return event[key] === undefined ? undefined : text(event, key, type);
}

function payload(type: string, detail: string, detailZh: string): EngineError {
  return new EngineError('ENGINE_INVALID_PAYLOAD', { type, detail, detailZh });
}
