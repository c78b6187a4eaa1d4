import type { ValidationResult } from '@luoshi/dsl';
import { createEngine, runUntil, VirtualClock, type Engine, type Light } from '@luoshi/engine';
import { generateOrganisation, SIMULATION_CAMPAIGN_ID, type GeneratedOrganisation, type SentEvent } from '@luoshi/sim';
import { createKyselyStore } from '@luoshi/store-kysely';

/** What a live rehearsal of a simulated run is given: the campaign, the run's organisation and what the simulator sent. */
export interface Rehearsal {
  readonly sqlite: string;
  readonly definitions: ValidationResult;
  readonly processId: string;
  readonly organisation: GeneratedOrganisation;
  /** The run's first instant (`result.period.start`). */
  readonly start: string;
  readonly sent: readonly SentEvent[];
  /** The run's month ends (`result.lights.months[].at`), in order. */
  readonly monthEnds: readonly string[];
}

/**
 * 三色图, rehearsed live: the simulated run replayed on the durable engine over a SQLite file — the
 * same organisation as campaign `sim`, each event the simulator sent at its time, timers run between
 * them — with each unit's light read through the public query at every month end (everything dated
 * up to and including the month end's instant, as the simulator samples). `atMonthEnd` reads what
 * else a test compares there. Returns the board: each unit's lights, month by month.
 */
export async function rehearsedBoard(rehearsal: Rehearsal, atMonthEnd: (engine: Engine) => Promise<void> = async () => undefined): Promise<Record<string, Light[]>> {
  const store = await createKyselyStore({ sqlite: rehearsal.sqlite });
  const clock = new VirtualClock(Date.parse(rehearsal.start));
  const engine = createEngine({ store, clock });
  try {
    await engine.deploy(rehearsal.definitions);
    await engine.startCampaign({ process: rehearsal.processId, organisation: generateOrganisation(rehearsal.organisation), campaignId: SIMULATION_CAMPAIGN_ID });
    const board = new Map<string, Light[]>();
    let next = 0;
    for (const monthEnd of rehearsal.monthEnds) {
      const end = Date.parse(monthEnd);
      for (; next < rehearsal.sent.length && (rehearsal.sent[next] as SentEvent).at <= end; next++) {
        const { instanceId, event, at } = rehearsal.sent[next] as SentEvent;
        await runUntil(engine, clock, at);
        await engine.send(instanceId, event, { actor: 'sim' });
      }
      await runUntil(engine, clock, end);
      for (const state of await engine.instances(SIMULATION_CAMPAIGN_ID)) {
        const row = board.get(state.unitId) ?? [];
        row.push(state.light as Light);
        board.set(state.unitId, row);
      }
      await atMonthEnd(engine);
    }
    return Object.fromEntries(board);
  } finally {
    await engine.close();
  }
}
