import { EngineError } from '../errors/engine-error.js';
import type { CampaignPlan } from '../compiler/campaign-plan.js';
import type { HistoryRecord } from '../ports/store.js';
import { cycleNamed } from './cycles.js';
import type { InstanceContext } from './instance-context.js';
import type { CampaignClosedEvent, HostEvent } from './campaign-event.js';
import { canonicalJson } from './canonical-json.js';
import { phaseOf } from './instance-step.js';
import type { SendResult } from './views.js';

/**
 * The fields of each host event type that make the request (幂等请求): those `validateHostEvent`
 * keeps, beside `type`. Anything else a host sends is ignored when the event is applied, so it is
 * ignored when a repeat is compared with the first request too.
 */
const REQUEST_FIELDS: ReadonlyMap<string, readonly string[]> = new Map<HostEvent['type'] | CampaignClosedEvent['type'], readonly string[]>([
  ['task.completed', ['task', 'member', 'period', 'fields']],
  ['report.submitted', ['task', 'member', 'period', 'fields']],
  ['score.given', ['evaluation', 'score', 'member', 'fields']],
  ['finding.recorded', ['inspection', 'member', 'fields']],
  ['rectification.done', ['inspection', 'member', 'fields']],
  ['reinspection.recorded', ['inspection', 'passed', 'member', 'fields']],
  ['complaint.verified', ['member', 'fields']],
  ['notified', ['member', 'inspection', 'fields']],
  ['decision.taken', ['decision', 'option', 'member', 'fields']],
  ['item.opened', ['item', 'kind', 'owner', 'due', 'target', 'fields']],
  ['item.progress', ['item', 'done', 'fields']],
  ['item.resolved', ['item', 'fields']],
  ['item.verified', ['item', 'passed', 'fields']],
  ['item.closed', ['item', 'fields']],
  ['item.assessed', ['item', 'light', 'fields']],
  ['extension.requested', ['task', 'member', 'period', 'until', 'reason', 'fields']],
  ['extension.decided', ['task', 'member', 'period', 'approved', 'fields']],
  // 终止活动: the office's closing, repeated under its key (`Engine.closeCampaign`).
  ['campaign.closed', ['reason', 'unit']],
]);

/** The text of a request that cannot be the repeat of an applied one: no JSON text is equal to it. */
const UNLIKE_ANY = '\u0000not a request';

/**
 * A host event as a request, in one canonical text: its type and the fields its type reads, keys
 * sorted. The first request's text is made from the event its history entry recorded (validated,
 * with `at` and `actor` beside, which this leaves out), a repeat's from the raw event it sends.
 */
export function requestText(event: unknown): string {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return UNLIKE_ANY;
  const raw = event as Readonly<Record<string, unknown>>;
  const type = Object.hasOwn(raw, 'type') ? raw.type : undefined;
  const fields = typeof type === 'string' ? REQUEST_FIELDS.get(type) : undefined;
  // An event of no known type was never applied, so it cannot be the repeat of one that was.
  if (fields === undefined) return UNLIKE_ANY;
  const picked: Record<string, unknown> = { type };
  for (const field of fields) if (Object.hasOwn(raw, field) && raw[field] !== undefined) picked[field] = raw[field];
  try {
    return canonicalJson(picked);
  } catch {
    // Nested too deep to print (a hostile `fields`): no applied event was, since `fields` are flat.
    return UNLIKE_ANY;
  }
}

/**
 * The answer to a request whose idempotency key the instance has already applied: the result the
 * first request produced (its revision and the phase it left, `duplicate: true`, no effects added
 * by this call). The same key with another event or from another actor is not a repeat: refused
 * with ENGINE_IDEMPOTENCY_KEY_REUSED, as payment APIs refuse a key reused with another body.
 */
export function repeatedRequest(first: HistoryRecord, raw: unknown, actor: string | null, names?: { readonly plan: CampaignPlan; readonly context: InstanceContext }): SendResult {
  const original = requestText(JSON.parse(first.event) as unknown);
  const repeat = names === undefined ? raw : namedAsApplied(raw, names.plan, names.context);
  if (first.actor !== actor || original === UNLIKE_ANY || original !== requestText(repeat))
    throw new EngineError('ENGINE_IDEMPOTENCY_KEY_REUSED', { key: first.idempotencyKey ?? '', id: first.instanceId });
  return { instanceId: first.instanceId, revision: first.revision, duplicate: true, phase: phaseOf(JSON.parse(first.state) as unknown), effects: 0 };
}

/** The fields that name work, and how a name is known to the plan. */
const NAMED: readonly (readonly [field: string, known: (plan: CampaignPlan, name: string) => boolean])[] = [
  ['task', (plan, name) => plan.items.has(name)],
  ['evaluation', (plan, name) => plan.items.has(name)],
  ['inspection', (plan, name) => plan.inspections.has(name)],
];

/**
 * A repeat as its first request was recorded (周期): the history keeps the event as applied, a later
 * cycle's work under its cycle id (`自查报告.2025`) and no `cycle`, while the host sends it again as it
 * did the first time (`自查报告`, with or without `cycle: 2025`). The names are resolved as the
 * validator resolved them, in the cycle the instance is in now: a repeat sent after the instance
 * moved to another cycle names other work, and is refused as a reused key. A name that cannot be
 * resolved leaves the repeat as sent (it then matches nothing applied).
 */
function namedAsApplied(raw: unknown, plan: CampaignPlan, context: InstanceContext): unknown {
  if (plan.cycles === undefined || typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const event = raw as Readonly<Record<string, unknown>>;
  const given = Object.hasOwn(event, 'cycle') ? event.cycle : undefined;
  const cycle = typeof given === 'number' && Number.isInteger(given) ? String(given) : typeof given === 'string' && given !== '' ? given : undefined;
  if (given !== undefined && cycle === undefined) return raw;
  const named: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) if (key !== 'cycle') named[key] = value;
  try {
    for (const [field, known] of NAMED) {
      const id = Object.hasOwn(event, field) ? event[field] : undefined;
      if (typeof id === 'string') named[field] = cycleNamed(plan, context, id, cycle, (name) => known(plan, name));
    }
  } catch {
    // An unknown cycle (ENGINE_UNKNOWN_CYCLE): never applied, so not a repeat.
    return raw;
  }
  return named;
}
