import { EngineError } from '../../errors/engine-error.js';
import type { HistoryRecord, InstanceRecord, TimerRecord } from '../../ports/store.js';
import { compareText } from '../compare-text.js';

/*
 * The records of a memory store (内存存储的记录): the frozen copies it keeps, the keys it files them
 * under, and the comparisons and errors its transactions share.
 */

export function compareInstances(a: InstanceRecord, b: InstanceRecord): number {
  return compareText(a.unitPath, b.unitPath) || compareText(a.id, b.id);
}

export function pairKey(a: string, b: string | number): string {
  return `${a}\u0000${b}`;
}

/**
 * A frozen copy of an instance record, field by field: a copy by spread gets a layout of its own
 * from V8, and a large simulation holds one record per unit. A record its writer froze is kept as
 * it is (the engine freezes each one it writes): nobody can change it, and a copy per event was
 * one more object kept until the unit's next event.
 */
export function instanceCopy(record: InstanceRecord): InstanceRecord {
  if (Object.isFrozen(record)) return record;
  return Object.freeze({
    id: record.id,
    campaignId: record.campaignId,
    unitId: record.unitId,
    unitPath: record.unitPath,
    phase: record.phase,
    overdue: record.overdue,
    escalated: record.escalated,
    ended: record.ended,
    snapshot: record.snapshot,
    revision: record.revision,
  });
}

/** A frozen copy of a history entry, field by field: an entry may keep its JSON behind getters, which a spread would not copy. */
export function historyCopy(appended: HistoryRecord): HistoryRecord {
  return Object.freeze({
    instanceId: appended.instanceId,
    revision: appended.revision,
    type: appended.type,
    event: appended.event,
    actor: appended.actor,
    cause: appended.cause,
    at: appended.at,
    state: appended.state,
    idempotencyKey: appended.idempotencyKey,
  });
}

export function duplicate(kind: string, id: string): EngineError {
  return new EngineError('STORE_DUPLICATE', { kind, id });
}
