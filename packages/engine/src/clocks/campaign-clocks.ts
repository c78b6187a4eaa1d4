import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';

/**
 * 演练时钟 — the time of each campaign: a campaign on a rehearsal clock (stored, `Store.campaignClocks`)
 * reads its own time, every other campaign the wall clock (`base`). For an engine that serves many
 * campaigns at once (`luoshi serve`): an event sent to a rehearsal campaign is stamped with the time
 * its clock stands at, not today's. `refresh` reads the clocks again (the server's worker does each
 * round); between two refreshes a clock moved by another process is seen at its older time, which
 * is earlier, never later, than the truth. Never goes backwards per campaign.
 */
export class CampaignClocks implements Clock {
  readonly #base: Clock;
  #clocks: ReadonlyMap<string, number> = new Map();
  /** The latest time read for each campaign, so a refresh never moves one back. */
  readonly #seen = new Map<string, number>();

  constructor(base: Clock) {
    this.#base = base;
  }

  now(campaignId?: string): number {
    const rehearsal = campaignId === undefined ? undefined : this.#clocks.get(campaignId);
    if (rehearsal === undefined || campaignId === undefined) return this.#base.now();
    const time = Math.max(rehearsal, this.#seen.get(campaignId) ?? rehearsal);
    this.#seen.set(campaignId, time);
    return time;
  }

  /** Reads the rehearsal clocks from the store again. */
  async refresh(store: Store): Promise<void> {
    this.#clocks = await store.campaignClocks();
  }
}
