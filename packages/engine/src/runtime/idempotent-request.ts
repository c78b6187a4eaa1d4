import { EngineError } from '../errors/engine-error.js';
import type { HistoryRecord } from '../ports/store.js';
import type { HostEvent } from './campaign-event.js';
import { canonicalJson } from './canonical-json.js';
import { phaseOf } from './instance-step.js';
import type { SendResult } from './views.js';

/**
 * The fields of each host event type that make the request (幂等请求): those `validateHostEvent`
 * keeps, beside `type`. Anything else a host sends is ignored when the event is applied, so it is
 * ignored when a repeat is compared with the first request too.
 */
const REQUEST_FIELDS: ReadonlyMap<string, readonly string[]> = new Map<HostEvent['type'], readonly string[]>([
  ['task.completed', ['task', 'member', 'fields']],
  ['report.submitted', ['task', 'member', 'fields']],
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
export function repeatedRequest(first: HistoryRecord, raw: unknown, actor: string | null): SendResult {
  const original = requestText(JSON.parse(first.event) as unknown);
  if (first.actor !== actor || original === UNLIKE_ANY || original !== requestText(raw))
    throw new EngineError('ENGINE_IDEMPOTENCY_KEY_REUSED', { key: first.idempotencyKey ?? '', id: first.instanceId });
  return { instanceId: first.instanceId, revision: first.revision, duplicate: true, phase: phaseOf(JSON.parse(first.state) as unknown), effects: 0 };
}
