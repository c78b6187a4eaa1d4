import type { CampaignRecord, DefinitionRecord, Effect, HistoryRecord, HostEvent, OrganisationUnit, OutboxRecord, Store, StoredCampaign, TimerRecord } from '@luoshi/engine';
import { CompiledCache, PastFlags, phaseOf, restoredUnits } from '@luoshi/engine';
import { simError } from '../errors/sim-error.js';
import { ownValue, setOwn } from '../own-keys.js';
import { monthStarts } from '../run/collect-result.js';
import { simulatedEnd } from '../run/prepare-run.js';
import { damaged, DEFINITION, parseStored, readStored, SNAPSHOTS, visible } from './stored-reading.js';

/**
 * What `readLiveCampaign` reads of a store: the `Store` port's reads, and the effects a campaign
 * made (`KyselyStore.campaignEffects`) when the store can list them — without it the effects,
 * commendations and ladder climbs before the run are not counted. Nothing is ever written.
 */
export interface CampaignReader extends Pick<Store, 'getCampaign' | 'getDefinition' | 'listInstances' | 'history' | 'timers' | 'campaignClocks'> {
  campaignEffects?(campaignId: string): Promise<OutboxRecord[]>;
}

/** One instance's history as a run continued from the campaign needs it: its phase after each entry. */
export interface PhaseStep {
  readonly at: number;
  readonly phase: string;
}

/**
 * 在办活动 — a campaign read from a store where it stands, in memory: what the engine restores
 * (`StoredCampaign`), and what already happened that a result counts (host events sent, effects,
 * each instance's phases over time). Plain data: read once, continued by as many runs as asked.
 */
export interface LiveCampaign {
  readonly stored: StoredCampaign;
  readonly organisation: OrganisationUnit;
  /** 活动时钟 — where the campaign stands: its rehearsal clock, else the wall clock, never before its latest applied event. */
  readonly at: number;
  /** Whether `at` is a rehearsal clock (演练时钟) rather than the wall clock. */
  readonly rehearsal: boolean;
  /** Host events applied so far, by type (from the history). */
  readonly sent: ReadonlyMap<string, number>;
  /** The extension requests and decisions applied so far (申请延期), with their times, oldest instance first. */
  readonly extensions: readonly { readonly at: number; readonly event: HostEvent }[];
  /** Every effect the campaign made so far (empty when the store cannot list them: `effectsRead` false). */
  readonly effects: readonly Effect[];
  readonly effectsRead: boolean;
  /** Instance id → its phase after each history entry, oldest first. */
  readonly phases: ReadonlyMap<string, readonly PhaseStep[]>;
  /**
   * In a campaign that declares flags: flag → subjects holding it at each month start before `at`
   * (the campaign start, then each month's first instant), as a run from the start samples them
   * (`MonthSample.flags`), rebuilt from the histories (`PastFlags`).
   */
  readonly monthFlags?: readonly Readonly<Record<string, number>>[];
  /** Instance id → its whole history, only when asked for (`keepHistory`: fitting a scenario reads it). */
  readonly histories?: ReadonlyMap<string, readonly HistoryRecord[]>;
}

/** Options of `readLiveCampaign`. */
export interface ReadLiveCampaignOptions {
  /** The wall clock, for a campaign without a rehearsal clock (default `Date.now()`). */
  readonly now?: number;
  /** Keep every instance's history (`LiveCampaign.histories`). */
  readonly keepHistory?: boolean;
  /**
   * Rebuild the flags held at each month start before the cut (`LiveCampaign.monthFlags`; default
   * true): the instances that may have held one are replayed, which costs more than the rest of the
   * read. A reader that runs nothing (fitting a scenario) leaves it out.
   */
  readonly monthFlags?: boolean;
  /**
   * Restore the units' states for the runs to come (default true: `restoredUnits`, once per reading
   * however many runs continue it). A reader that runs nothing (fitting a scenario) leaves it out.
   */
  readonly restore?: boolean;
}

/**
 * Reads a campaign where it stands through the store's reads only: its record and the version it
 * runs, every instance's record, history and timers, the campaign's own timers, its clock and its
 * effects; and, in a campaign with flags, the flags held at each month start before where it stands,
 * rebuilt by replaying the histories of the instances that may have held one (`PastFlags`). Throws SIM_CAMPAIGN_NOT_FOUND when the store has no such campaign (or not the version it
 * names), and what the store throws.
 */
export async function readLiveCampaign(reader: CampaignReader, campaignId: string, options: ReadLiveCampaignOptions = {}): Promise<LiveCampaign> {
  const campaign: CampaignRecord | undefined = await reader.getCampaign(campaignId);
  if (!campaign) throw simError('SIM_CAMPAIGN_NOT_FOUND', { campaign: visible(campaignId) });
  const definition: DefinitionRecord | undefined = await reader.getDefinition(campaign.processId, campaign.version);
  if (!definition) throw simError('SIM_CAMPAIGN_NOT_FOUND', { campaign: visible(`${campaignId} (${campaign.processId}@${campaign.version})`) });
  const instances = await reader.listInstances(campaignId);
  const times = new Map<string, number>();
  const timers: TimerRecord[] = [...(await reader.timers(campaignId))];
  const stored: StoredCampaign = { definition, campaign, instances, times, timers };
  const { plan, months } = readStored(campaignId, DEFINITION, () => {
    const { plan } = compiledCacheFor(stored).of(definition);
    // Every month start of the run; those before where the campaign stands are kept once that is known.
    return { plan, months: monthStarts(plan, simulatedEnd(plan, undefined)) };
  });
  const pastFlags = plan.flags.size > 0 && options.monthFlags !== false ? new PastFlags(definition, months, compiledCacheFor(stored)) : undefined;
  const sent = new Map<string, number>();
  const extensions: { readonly at: number; readonly event: HostEvent }[] = [];
  const phases = new Map<string, PhaseStep[]>();
  const histories = options.keepHistory ? new Map<string, readonly HistoryRecord[]>() : undefined;
  for (const instance of instances) {
    // Entries a writer added after the instance's record was read belong to a later state than the one restored.
    const history = (await reader.history(instance.id)).filter((entry) => entry.revision <= instance.revision);
    histories?.set(instance.id, history);
    const steps: PhaseStep[] = [];
    let last: string | undefined;
    for (const entry of history) {
      if (entry.cause === 'host') {
        sent.set(entry.type, (sent.get(entry.type) ?? 0) + 1);
        if (entry.type === 'extension.requested' || entry.type === 'extension.decided') {
          extensions.push({ at: entry.at, event: parseStored<HostEvent>(campaignId, historyPart(instance.id, entry.revision, 'event'), entry.event) });
        }
      }
      // The state value's text repeats from entry to entry: parsed once per change.
      if (entry.state !== last) {
        last = entry.state;
        const phase = readStored(campaignId, historyPart(instance.id, entry.revision, 'state'), () => phaseOf(JSON.parse(entry.state)));
        if (steps.length === 0 || steps[steps.length - 1]?.phase !== phase) steps.push({ at: entry.at, phase });
      }
    }
    phases.set(instance.id, steps);
    if (pastFlags) readStored(campaignId, { en: `${visible(instance.id)}'s history`, zh: `${visible(instance.id)} 的历史记录` }, () => pastFlags.add(instance, history));
    const latest = history[history.length - 1];
    if (latest) times.set(instance.id, latest.at);
    timers.push(...(await reader.timers(instance.id)));
  }
  // 各单位恢复: part of reading where the campaign stands, done once for every run continued from it.
  if (options.restore !== false) readStored(campaignId, SNAPSHOTS, () => restoredUnits(stored, compiledCacheFor(stored).of(definition)));
  const clocks = await reader.campaignClocks();
  const rehearsal = clocks.get(campaignId);
  let applied = campaign.startedAt;
  for (const time of times.values()) applied = Math.max(applied, time);
  const at = Math.max(rehearsal ?? options.now ?? Date.now(), applied);
  // A clock no Date can show (a damaged row, a hand edit) would stop the run or the fit half-way.
  if (!(Math.abs(at) <= MAX_TIME)) throw damaged(campaignId, { en: "the campaign's clock", zh: '活动时钟' }, `${at} is not a time`);
  const outbox = reader.campaignEffects ? await reader.campaignEffects(campaignId) : undefined;
  const before = months.filter((month) => month < at).length;
  return {
    stored,
    organisation: parseStored<OrganisationUnit>(campaignId, { en: 'its organisation', zh: '其组织结构' }, campaign.organisation),
    at,
    rehearsal: rehearsal !== undefined,
    sent,
    extensions,
    effects: (outbox ?? []).map((record) => parseStored<Effect>(campaignId, { en: `effect ${record.id}`, zh: `效果 ${record.id}` }, record.effect)),
    effectsRead: outbox !== undefined,
    phases,
    ...(pastFlags ? { monthFlags: pastFlags.counts().slice(0, before) } : {}),
    ...(histories ? { histories } : {}),
  };
}

/** The last instant a `Date` can hold (8.64e15 ms): beyond it nothing can be shown or compared. */
const MAX_TIME = 8.64e15;

/** A row of an instance's history, named for a SIM_LIVE_DAMAGED message. */
function historyPart(instanceId: string, revision: number, column: 'state' | 'event') {
  const zh = column === 'state' ? '状态' : '事件';
  return { en: `the ${column} of ${visible(instanceId)}'s history entry ${revision}`, zh: `${visible(instanceId)} 第 ${revision} 条历史记录的${zh}` };
}

/**
 * The compiled version of each campaign read: the read and every run from it (a Monte Carlo on this
 * thread) compile it once. Keyed weakly by what was read.
 */
const compiledBySource = new WeakMap<StoredCampaign, CompiledCache>();

/** The compiled versions of a campaign read (see `compiledBySource`). */
export function compiledCacheFor(stored: StoredCampaign): CompiledCache {
  let cache = compiledBySource.get(stored);
  if (cache === undefined) compiledBySource.set(stored, (cache = new CompiledCache()));
  return cache;
}

/** Units (the office left out) per phase at `at`, from their histories: each as it stood after its last entry at or before `at`. */
export function phasesAt(live: LiveCampaign, office: string | undefined, at: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [instanceId, steps] of live.phases) {
    if (instanceId === office) continue;
    let phase = steps[0]?.phase;
    for (const step of steps) {
      if (step.at > at) break;
      phase = step.phase;
    }
    if (phase !== undefined) setOwn(out, phase, (ownValue(out, phase) ?? 0) + 1);
  }
  return out;
}
