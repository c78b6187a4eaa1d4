import type { CampaignRecord, DefinitionRecord, HistoryRecord, InstanceRecord, OutboxRecord, SnapshotData, TimerRecord } from '@luoshi/engine';
import type { Selectable } from 'kysely';
import type { CampaignsTable, DefinitionsTable, HistoryTable, InstancesTable, OutboxTable, TimersTable } from './schema.js';

/*
 * Rows to records. Every millisecond and counter column goes through `Number()`: PostgreSQL's
 * driver returns int8 as a string, SQLite returns numbers; booleans are stored as 0/1.
 */

/** A `definitions` row as a `DefinitionRecord`. */
export function definitionFromRow(row: Selectable<DefinitionsTable>): DefinitionRecord {
  return {
    processId: row.process_id,
    version: Number(row.version),
    hash: row.hash,
    body: row.body,
    deployedAt: Number(row.deployed_at),
  };
}

/** A `campaigns` row as a `CampaignRecord`. */
export function campaignFromRow(row: Selectable<CampaignsTable>): CampaignRecord {
  return {
    id: row.id,
    processId: row.process_id,
    version: Number(row.version),
    year: Number(row.year),
    organisation: row.organisation,
    startedAt: Number(row.started_at),
  };
}

/** An `instances` row as an `InstanceRecord` (`ended` 0/1 becomes a boolean). */
export function instanceFromRow(row: Selectable<InstancesTable>): InstanceRecord {
  // Parsed on first use only: roll-ups and listings read the columns beside it, not the snapshot.
  let snapshot: SnapshotData | undefined;
  return {
    id: row.id,
    campaignId: row.campaign_id,
    unitId: row.unit_id,
    unitPath: row.unit_path,
    phase: row.phase,
    overdue: Number(row.overdue),
    escalated: Number(row.escalated),
    ended: Number(row.ended) !== 0,
    get snapshot(): SnapshotData {
      snapshot ??= JSON.parse(row.snapshot) as SnapshotData;
      return snapshot;
    },
    revision: Number(row.revision),
  };
}

/** An `InstanceRecord` as an `instances` row (`ended` becomes 0/1). */
export function instanceToRow(record: InstanceRecord): Selectable<InstancesTable> {
  return {
    id: record.id,
    campaign_id: record.campaignId,
    unit_id: record.unitId,
    unit_path: record.unitPath,
    phase: record.phase,
    overdue: record.overdue,
    escalated: record.escalated,
    ended: record.ended ? 1 : 0,
    snapshot: JSON.stringify(record.snapshot),
    revision: record.revision,
  };
}

/** A `history` row as a `HistoryRecord`. */
export function historyFromRow(row: Selectable<HistoryTable>): HistoryRecord {
  return {
    instanceId: row.instance_id,
    revision: Number(row.revision),
    type: row.type,
    event: row.event,
    actor: row.actor,
    cause: row.cause,
    at: Number(row.at),
    state: row.state,
    idempotencyKey: row.idempotency_key,
  };
}

/** A `timers` row as a `TimerRecord`. */
export function timerFromRow(row: Pick<Selectable<TimersTable>, 'instance_id' | 'key' | 'due_at'>): TimerRecord {
  return { instanceId: row.instance_id, key: row.key, dueAt: Number(row.due_at) };
}

/** An `outbox` row as an `OutboxRecord` (delivery time and sequence stay in the table). */
export function outboxFromRow(row: Pick<Selectable<OutboxTable>, 'id' | 'instance_id' | 'effect' | 'created_at'>): OutboxRecord {
  return { id: row.id, instanceId: row.instance_id, effect: row.effect, createdAt: Number(row.created_at) };
}
