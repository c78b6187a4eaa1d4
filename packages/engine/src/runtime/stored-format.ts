import { EngineError } from '../errors/engine-error.js';
import type { SnapshotData } from '../ports/store.js';
import type { InstanceContext } from './instance-context.js';

/**
 * 存储格式 — the stored snapshot of an instance, and the only module that knows its layout. A store
 * keeps what `encodeSnapshot` returns (as the object, or as its JSON text) and gives it back to
 * `decodeSnapshot`; nothing else reads a stored snapshot.
 *
 * Version 2 (this release): `{ formatVersion: 2, value, context }` — the statechart's state value
 * (phase → region → state, as diagrams and history entries show it) and the records (the
 * `InstanceContext`, whose field layout is documented in docs/stores.md#stored-format).
 *
 * Version 1 (releases up to 7967bde, no `formatVersion` field): XState's persisted snapshot
 * (`status`, `value`, `historyValue`, `context`, `children`), with one persisted child actor per
 * running sub-process use. Sub-processes are regions of the statechart now, their progress read
 * from the records, so version 1 is decoded by taking its value and context and dropping the
 * children: a running use's region is `running` in both versions.
 *
 * A future change of layout gets a new version and a migration here; a snapshot of a version this
 * release does not know is refused with STORE_UNSUPPORTED_FORMAT, never guessed at.
 */
export const FORMAT_VERSION = 2;

/** A decoded snapshot: what the engine works with. */
export interface DecodedSnapshot {
  readonly value: unknown;
  readonly context: InstanceContext;
}

/** Version 2 as stored. Made field by field, in one order, so every stored snapshot shares one layout. */
interface StoredSnapshotV2 extends SnapshotData {
  readonly formatVersion: 2;
  readonly value: unknown;
  readonly context: InstanceContext;
}

/** The stored form of a state value and its records. */
export function encodeSnapshot(value: unknown, context: InstanceContext): SnapshotData {
  const stored: StoredSnapshotV2 = { formatVersion: FORMAT_VERSION, value, context };
  return stored;
}

/**
 * The state value and records of a stored snapshot, of any version this release reads. Throws
 * STORE_UNSUPPORTED_FORMAT (naming the instance) for another version or a shape no version has.
 * Version 2 is returned as the very object: a store in memory hands back what it was given.
 */
export function decodeSnapshot(instanceId: string, data: SnapshotData): DecodedSnapshot {
  const version = Object.hasOwn(data, 'formatVersion') ? data.formatVersion : 1;
  if (version === FORMAT_VERSION) return data as StoredSnapshotV2;
  if (version === 1 && isVersion1(data)) return { value: data.value, context: data.context as InstanceContext };
  throw new EngineError('STORE_UNSUPPORTED_FORMAT', { id: instanceId, version: String(version) });
}

/** Whether a snapshot without a version is an XState persisted snapshot as releases up to 7967bde wrote it. */
function isVersion1(data: SnapshotData): data is SnapshotData & { value: unknown; context: object } {
  return (
    Object.hasOwn(data, 'value') &&
    Object.hasOwn(data, 'context') &&
    typeof data.context === 'object' &&
    data.context !== null &&
    Object.hasOwn(data, 'status') &&
    data.status === 'active'
  );
}
