/** A deployed process version: the campaign and the sub-processes it uses, as one bundle. */
export interface DefinitionRecord {
  readonly processId: string;
  readonly version: number;
  /** Hash of the bundle; deploying identical content again creates no new version. */
  readonly hash: string;
  /** JSON of the `ProcessBundle`. */
  readonly body: string;
  readonly deployedAt: number;
}

/** A running campaign: one process version over one organisation. */
export interface CampaignRecord {
  readonly id: string;
  readonly processId: string;
  readonly version: number;
  readonly year: number;
  /** JSON of the organisation tree the campaign was started over. */
  readonly organisation: string;
  readonly startedAt: number;
}

/** A persisted statechart snapshot as plain JSON data (see `InstanceRecord.snapshot`). */
export type SnapshotData = Readonly<Record<string, unknown>>;

/** One unit's instance of a campaign: its persisted statechart snapshot and revision. */
export interface InstanceRecord {
  readonly id: string;
  readonly campaignId: string;
  readonly unitId: string;
  /** Materialised path of the unit in the organisation (`/root/town/branch/`), for roll-ups. */
  readonly unitPath: string;
  /** Current phase id, or `ended`; kept beside the snapshot so roll-ups need not parse it. */
  readonly phase: string;
  readonly overdue: number;
  readonly escalated: number;
  readonly ended: boolean;
  /**
   * The XState persisted snapshot: plain JSON data, never changed once written, so a store may
   * keep the very object (the memory store does: no text per event) or its JSON text (SQL stores).
   */
  readonly snapshot: SnapshotData;
  /** Starts at 1, +1 per applied event: the optimistic concurrency token. */
  readonly revision: number;
}

/** One entry of the append-only history: an event applied to an instance and what it did. */
export interface HistoryRecord {
  readonly instanceId: string;
  /** The instance revision this event produced. */
  readonly revision: number;
  readonly type: string;
  /** JSON of the full event (payload, logical time `at`). */
  readonly event: string;
  readonly actor: string | null;
  /** Why it happened: `host`, `timer`, `ranking`, `start`. */
  readonly cause: string;
  readonly at: number;
  /** JSON of the state value after the event. */
  readonly state: string;
  readonly idempotencyKey: string | null;
}

/**
 * A durable timer: at `dueAt` the engine sends `timer.fired` with `key` to the instance. Campaign-wide
 * timers (rankings) use the campaign id as `instanceId`.
 */
export interface TimerRecord {
  readonly instanceId: string;
  readonly key: string;
  readonly dueAt: number;
}

/** An effect waiting in the outbox, or delivered. */
export interface OutboxRecord {
  readonly id: string;
  readonly instanceId: string;
  /** JSON of the `Effect`. */
  readonly effect: string;
  readonly createdAt: number;
}

/**
 * The work of one store transaction. Every method sees the writes made earlier in the same
 * transaction; nothing is visible to others until the transaction commits.
 */
export interface StoreTransaction {
  getDefinition(processId: string, version?: number): Promise<DefinitionRecord | undefined>;
  insertDefinition(record: DefinitionRecord): Promise<void>;
  getCampaign(id: string): Promise<CampaignRecord | undefined>;
  insertCampaign(record: CampaignRecord): Promise<void>;
  getInstance(id: string): Promise<InstanceRecord | undefined>;
  /** Every instance of a campaign, ordered by unit path (for rankings made in one transaction). */
  listInstances(campaignId: string): Promise<InstanceRecord[]>;
  insertInstance(record: InstanceRecord): Promise<void>;
  /**
   * Replaces an instance whose stored revision is `expectedRevision`; must throw
   * `StoreConflictError` (and write nothing) when another writer got there first.
   */
  updateInstance(record: InstanceRecord, expectedRevision: number): Promise<void>;
  appendHistory(record: HistoryRecord): Promise<void>;
  /** Whether this instance already applied an event with this idempotency key. */
  hasIdempotencyKey(instanceId: string, key: string): Promise<boolean>;
  /**
   * The history entry this instance recorded with this idempotency key (幂等键), or undefined: a
   * repeated request is answered with what the first one produced, and compared with it. A store
   * that keeps no history must still keep the entries that carry a key.
   */
  idempotentEntry(instanceId: string, key: string): Promise<HistoryRecord | undefined>;
  /**
   * The instance's time (实例时间): the latest `at` among its history entries, undefined when it has
   * none. An event dated before it is refused (time never runs backwards). A store that keeps no
   * history must still keep this time.
   */
  instanceTime(instanceId: string): Promise<number | undefined>;
  /** Makes the instance's timers exactly `timers` (insert new, move changed, delete missing). */
  replaceTimers(instanceId: string, timers: readonly TimerRecord[]): Promise<void>;
  /**
   * Changes some of the instance's timers: inserts or moves each of `put`, deletes the keys in
   * `remove` (a key it does not have is no error), leaves the others as they are. The engine uses
   * it when it knows what an event changed, so a write costs what changed, not the whole set.
   */
  patchTimers(instanceId: string, put: readonly TimerRecord[], remove: readonly string[]): Promise<void>;
  /**
   * Claims a due timer: deletes it if it is still there with this `dueAt` and says whether it was.
   * Two transactions claiming the same timer must not both get `true`. Refused (`false`, nothing
   * deleted) while a related timer that sorts before it in (dueAt, instanceId, key) order still
   * exists, as this transaction sees it or as another holds it uncommitted: related are the same
   * instance's timers, an instance timer's campaign-wide timers (instance id = the campaign id,
   * the part of `${campaignId}/${unitId}` before the first "/"), and a campaign-wide timer's
   * instances' timers. So an instance applies its timers in due order whichever engine process
   * claims them, and a ranking sees every earlier timer of its campaign applied and no later one.
   * A store shared by several processes must not wait on a timer another transaction holds: it
   * returns `false` and the caller tries again later.
   */
  claimTimer(timer: TimerRecord): Promise<boolean>;
  addOutbox(records: readonly OutboxRecord[]): Promise<void>;
}

/**
 * Persistence of definitions, campaigns, instances, history, timers and the effects outbox.
 * Implementations: the in-memory store in this package, the Kysely store (SQLite, PostgreSQL).
 */
export interface Store {
  /**
   * Runs `fn` atomically: all its writes commit together or none do (an exception rolls back and
   * is rethrown). Transactions on the same instance must be serialisable with each other.
   */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  /**
   * Optional group commit: runs each function in its own savepoint inside one transaction, so a
   * failing one rolls back alone and the rest commit together. Returns each outcome in order.
   */
  transactionBatch?<T>(fns: readonly ((tx: StoreTransaction) => Promise<T>)[]): Promise<PromiseSettledResult<T>[]>;
  getInstance(id: string): Promise<InstanceRecord | undefined>;
  listInstances(campaignId: string): Promise<InstanceRecord[]>;
  getCampaign(id: string): Promise<CampaignRecord | undefined>;
  listCampaigns(): Promise<CampaignRecord[]>;
  getDefinition(processId: string, version?: number): Promise<DefinitionRecord | undefined>;
  /** Every deployed version of every process, ordered by process id then version. */
  listDefinitions(): Promise<DefinitionRecord[]>;
  history(instanceId: string): Promise<HistoryRecord[]>;
  /**
   * The campaign clock (活动时钟): the latest time applied to a campaign's instances, the greatest
   * `instanceTime` among them; without an id, among every instance of the store. Undefined when
   * there is none. The command line refuses to act at a time before it.
   */
  campaignTime(campaignId?: string): Promise<number | undefined>;
  /**
   * The earliest timers due at or before `until`, ordered by `dueAt`, then instance id, then key
   * (binary order). With `campaignId`, only that campaign's timers (its instances' and its own);
   * without, only those of campaigns on the wall clock: a campaign with a rehearsal clock
   * (`campaignClocks`) is moved by its own clock alone, never by a worker reading the wall clock.
   */
  dueTimers(until: number, limit: number, campaignId?: string): Promise<TimerRecord[]>;
  /** The earliest timer (of one campaign, or of the campaigns on the wall clock, as `dueTimers`), for clocks that jump to it. */
  nextTimer(campaignId?: string): Promise<TimerRecord | undefined>;
  /**
   * The rehearsal clocks (演练时钟): campaign id → the time its clock stands at. A campaign not
   * listed runs on the wall clock.
   */
  campaignClocks(): Promise<ReadonlyMap<string, number>>;
  /** Sets a campaign's rehearsal clock, or (undefined) puts it back on the wall clock. Callers keep time from running backwards. */
  setCampaignClock(campaignId: string, time: number | undefined): Promise<void>;
  timers(instanceId: string): Promise<TimerRecord[]>;
  /** Undelivered effects, oldest first. */
  pendingOutbox(limit: number): Promise<OutboxRecord[]>;
  markDelivered(ids: readonly string[], at: number): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}
