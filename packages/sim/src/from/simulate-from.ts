import { createInProcessEngine, type Effect, type InProcessEngine } from '@luoshi/engine';
import { localTime, simError } from '../errors/sim-error.js';
import type { ScenarioFile } from '../model/scenario.js';
import { monthStarts } from '../run/collect-result.js';
import { checkBehaviourNeeded, checkDecisions, simulatedEnd } from '../run/prepare-run.js';
import { checkUntil } from '../scenario/scenario-limits.js';
import type { SentEvent } from '../run/sim-unit.js';
import { runCampaign } from '../simulate.js';
import type { SimulationResult } from '../simulation-result.js';
import { sortKeys } from '../stable-order.js';
import { compiledCacheFor, phasesAt, type LiveCampaign } from './live-campaign.js';
import { DEFINITION, readStored, SNAPSHOTS } from './stored-reading.js';

/** What `simulateFrom` needs. */
export interface SimulateFromOptions {
  /** The campaign where it stands (`readLiveCampaign`). */
  readonly source: LiveCampaign;
  /** The assumptions for the rest of the campaign; its organisation is not used (the campaign's own is). */
  readonly scenario: ScenarioFile;
  /** Overrides `scenario.seed`. */
  readonly seed?: number;
  /** 模拟截至 — stop at this time (ms) instead of the campaign's end; after where the campaign stands. */
  readonly until?: number;
  /** Receives every effect the run delivers (not those made before it). */
  readonly onEffect?: (effect: Effect) => void;
  /** The share of the rest simulated so far (0–1), as `simulate`'s. */
  readonly onProgress?: (share: number) => void;
  /** Receives every host event the run applies. */
  readonly onSent?: (sent: SentEvent) => void;
}

/**
 * 从当前状态续推 — simulates the rest of a live campaign from where it stands: the in-process driver
 * takes over its stored instances (open tasks and occurrences, ladder counters, flags, scores,
 * items) and timers on the version it runs, and the run loop of `simulate` goes on from the
 * campaign's clock (`source.at`) under the scenario: tasks already open get their completions
 * planned as if opened now, background rates (complaints, findings, notices, items) run from now.
 * The result covers the whole campaign: what the state holds (deadlines, ladders, flags, rankings),
 * the host events and effects already recorded, and the months before `source.at` from the
 * history (units per phase, flags held, effects and ladder climbs); the lights board starts at the
 * month `source.at` falls in. The store is never touched.
 * Throws SIM_PROCESS_MISMATCH, SIM_UNKNOWN_DECISION / SIM_UNKNOWN_OPTION, SIM_BEHAVIOUR_NEEDED as
 * `simulate` does, SIM_BAD_UNTIL for an `until` that is no instant (NaN) and SIM_UNTIL_PASSED for
 * one before where the campaign stands (both instants in the campaign's time zone).
 */
export async function simulateFrom(options: SimulateFromOptions): Promise<SimulationResult> {
  const { source, scenario } = options;
  const { stored } = source;
  const compiledCache = compiledCacheFor(stored);
  const { plan } = readStored(stored.campaign.id, DEFINITION, () => compiledCache.of(stored.definition));
  if (scenario.process !== undefined && scenario.process !== plan.processId) throw simError('SIM_PROCESS_MISMATCH', { process: plan.processId, expected: scenario.process });
  checkDecisions(plan, scenario);
  checkBehaviourNeeded(plan, scenario);
  const whole = simulatedEnd(plan, undefined);
  const campaignId = stored.campaign.id;
  // No instant is not an instant passed: "until Invalid DateTime" said nothing of what was wrong.
  checkUntil(options.until);
  if (options.until !== undefined && !(options.until > source.at)) {
    // In the campaign's own zone, as the CLI shows its clock and takes `--until`.
    throw simError('SIM_UNTIL_PASSED', { until: localTime(plan.calendar, options.until), campaign: campaignId, at: localTime(plan.calendar, source.at), zone: plan.calendar.zone });
  }
  const end = Math.min(whole, options.until ?? whole);
  const office = stored.instances.find((i) => i.unitId === source.organisation.id)?.id;
  const result = await runCampaign<InProcessEngine>({
    options,
    plan,
    campaignId,
    from: source.at,
    end,
    engine: (clock, effects) => createInProcessEngine({ clock, compiledCache, effects }),
    open: async (engine, tally) => {
      const started = readStored(campaignId, SNAPSHOTS, () => engine.restoreCampaign(stored));
      for (const effect of source.effects) tally.add(effect);
      // The months that began before the run: as the history has them.
      const phaseSamples = monthStarts(plan, end)
        .filter((at) => at < source.at)
        .map((at) => phasesAt(source, office, at));
      // Flags held then, rebuilt from the history when it was read (one per month start before the cut).
      const flagSamples = plan.flags.size > 0 && source.monthFlags ? source.monthFlags.slice(0, phaseSamples.length) : undefined;
      return {
        organisation: source.organisation,
        instances: new Map(started.instances.map((i) => [i.unitId, i.instanceId])),
        past: {
          sent: source.sent,
          phaseSamples,
          extensions: source.extensions,
          ...(flagSamples ? { flagSamples } : {}),
          // Units that had ended (a decision, the office's closing): nothing is sent to them.
          ended: stored.instances.filter((i) => i.ended).map((i) => i.id),
        },
      };
    },
  });
  // Where the run took over: before it, every figure is the history's.
  return sortKeys({ ...result, continuedFrom: { campaign: campaignId, at: new Date(source.at).toISOString() } }) as SimulationResult;
}
