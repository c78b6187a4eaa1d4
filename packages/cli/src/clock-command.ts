import { createEngine, EngineError, runUntil, VirtualClock } from '@luoshi/engine';
import { CliError } from './cli-error.js';
import { CLI_ZONE, clockText, LAST_CLOCK_TIME, openReadOnly, openStore, rehearsalTime, requireDatabase, type OutputOptions, type StoreOptions } from './live-commands.js';

/** What `luoshi clock` was asked: to show the clock, set it to a time, or advance it by a duration. */
export interface ClockOptions extends StoreOptions, OutputOptions {
  readonly set?: string;
  readonly advance?: string;
}

const UNIT_MS: ReadonlyMap<string, number> = new Map([
  ['w', 7 * 86_400_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
]);

/** A duration such as `7d`, `12h`, `1w2d`, `30m` in ms; anything else is CLI_BAD_DURATION. */
export function durationMs(text: string): number {
  const parts = /^(?:\d+[wdhm])+$/.test(text) ? [...text.matchAll(/(\d+)([wdhm])/g)] : [];
  const ms = parts.reduce((sum, [, n, unit]) => sum + Number(n) * (UNIT_MS.get(unit as string) ?? 0), 0);
  if (parts.length === 0 || !Number.isSafeInteger(ms) || ms <= 0) throw new CliError('CLI_BAD_DURATION', { text });
  return ms;
}

/**
 * `luoshi clock <campaign>` (演练时钟): shows where the campaign's clock stands, or moves its
 * rehearsal clock to a time (`--set`) or by a duration (`--advance`), firing every timer of that
 * campaign that falls due in between, each at its own due time and in due order, as a worker
 * running all along would have. The clock stands at the later of its stored time and the latest
 * time the campaign has applied; a time before it is CLI_CLOCK_BACKWARDS (时间不倒流) and nothing
 * is done. A campaign on the wall clock that is moved this way is put on a rehearsal clock from
 * then on (no worker moves it again); the stored time is written once every timer has fired, and a
 * move cut short is taken up again by the next one (fired timers are not fired twice).
 */
export async function clockCommand(campaignId: string, options: ClockOptions): Promise<string> {
  if (options.set !== undefined && options.advance !== undefined) throw new CliError('CLI_CLOCK_HOW');
  const setTo = options.set === undefined ? undefined : rehearsalTime(options.set);
  const by = options.advance === undefined ? undefined : durationMs(options.advance);
  requireDatabase(options.database);
  // Only showing the clock is a read: opened read-only, never migrated (as `luoshi status`).
  const store = setTo === undefined && by === undefined ? await openReadOnly(options.database) : await openStore(options.database);
  try {
    if ((await store.getCampaign(campaignId)) === undefined) throw new EngineError('ENGINE_CAMPAIGN_NOT_FOUND', { id: campaignId });
    const stored = (await store.campaignClocks()).get(campaignId);
    const applied = await store.campaignTime(campaignId);
    const current = Math.max(stored ?? Date.now(), applied ?? Number.NEGATIVE_INFINITY);
    const zh = options.lang === 'zh';
    const target = setTo ?? (by === undefined ? undefined : current + by);
    if (target === undefined) {
      if (options.format === 'json') return `${JSON.stringify({ campaignId, rehearsal: stored !== undefined, now: current }, null, 2)}\n`;
      if (stored === undefined) return zh ? `活动 ${campaignId} 按实际时间运行（${clockText(current)}）\n` : `Campaign ${campaignId} runs on the wall clock (${clockText(current)})\n`;
      return zh ? `活动 ${campaignId} 的演练时钟：${clockText(current)}\n` : `Campaign ${campaignId}'s rehearsal clock: ${clockText(current)}\n`;
    }
    if (by !== undefined && target > LAST_CLOCK_TIME) throw new CliError('CLI_CLOCK_TOO_FAR', { campaign: campaignId, clock: clockText(current), text: options.advance ?? '', zone: CLI_ZONE });
    if (target < current) throw new CliError('CLI_CLOCK_BACKWARDS', { campaign: campaignId, clock: clockText(current), time: clockText(target), zone: CLI_ZONE });
    // Stored before anything fires: from now on no worker moves this campaign by the wall clock.
    if (stored === undefined) await store.setCampaignClock(campaignId, current);
    const clock = new VirtualClock(current);
    const fired = await runUntil(createEngine({ store, clock }), clock, target, campaignId);
    await store.setCampaignClock(campaignId, target);
    if (options.format === 'json') return `${JSON.stringify({ campaignId, rehearsal: true, now: target, fired }, null, 2)}\n`;
    return zh
      ? `活动 ${campaignId} 的演练时钟：${clockText(current)} → ${clockText(target)}，触发定时器 ${fired} 个\n`
      : `Campaign ${campaignId}'s rehearsal clock: ${clockText(current)} → ${clockText(target)}, ${fired} timer(s) fired\n`;
  } finally {
    await store.close();
  }
}
