/**
 * Where the engine reads the time. Nothing else: deadlines and recurrences are timers stored in
 * the `Store` and fired by the engine when `now()` has passed them, never `setTimeout`.
 */
export interface Clock {
  /**
   * Milliseconds since the Unix epoch. Must never go backwards within one engine's life. The engine
   * names the campaign it acts for (a campaign on a rehearsal clock has a time of its own, see
   * `CampaignClocks`); a clock that keeps one time for all may ignore it.
   */
  now(campaignId?: string): number;
}
