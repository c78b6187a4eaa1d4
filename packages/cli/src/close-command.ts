import { CliError } from './cli-error.js';
import { clockText, rehearsalTime, withEngine, type OutputOptions, type StoreOptions } from './live-commands.js';

/** What `luoshi close` was asked: which campaign, why, and where, when and by whom. */
export interface CloseOptions extends StoreOptions, OutputOptions {
  readonly campaign: string;
  readonly reason: string;
  readonly unit?: string;
  /** A time as `--now` takes one (Asia/Shanghai unless it names a zone). */
  readonly at?: string;
  readonly actor?: string;
  readonly key?: string;
  readonly roles?: readonly string[];
}

/** Who the history records as closing the campaign when `--actor` names no one: the console itself. */
export const CONSOLE_ACTOR = 'console';

/**
 * `luoshi close` (终止活动): the office closes a campaign, or the part at and under `--unit`, in one
 * act (`Engine.closeCampaign`): every instance there not yet ended ends, at `--at` or the campaign's
 * clock (its rehearsal clock, if it has one), its open work ruled over and its timers gone. Prints
 * the units closed and those that had already ended; a second closing closes nothing. With `--role`
 * the actor's roles are checked as HTTP checks them (a role of the office level).
 */
export async function closeCommand(options: CloseOptions): Promise<string> {
  if (options.roles !== undefined && options.roles.length > 0 && !options.actor) throw new CliError('CLI_ROLE_WITHOUT_ACTOR');
  const at = options.at === undefined ? undefined : rehearsalTime(options.at);
  return withEngine(options, async (engine) => {
    const result = await engine.closeCampaign(options.campaign, {
      actor: options.actor ?? CONSOLE_ACTOR,
      reason: options.reason,
      ...(options.unit === undefined ? {} : { unit: options.unit }),
      ...(at === undefined ? {} : { at }),
      ...(options.key === undefined ? {} : { idempotencyKey: options.key }),
      ...(options.roles !== undefined && options.roles.length > 0 ? { roles: options.roles } : {}),
    });
    if (options.format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
    const zh = options.lang === 'zh';
    const units = result.closed.map((c) => c.unitId).join(zh ? '、' : ', ');
    const where = result.whole ? (zh ? '全部' : 'the whole campaign') : zh ? `${result.unitId} 及下属` : `${result.unitId} and the units under it`;
    if (result.duplicate)
      return zh ? `重复的请求，未再次处理：活动 ${result.campaignId} 已终止（${units}）\n` : `Duplicate, not applied again: campaign ${result.campaignId} was closed (${units})\n`;
    if (result.closed.length === 0)
      return zh
        ? `活动 ${result.campaignId}（${where}）没有仍在运行的单位，未作变更（${result.alreadyEnded} 个单位此前已结束）\n`
        : `Campaign ${result.campaignId} (${where}) has no unit still running; nothing changed (${result.alreadyEnded} unit(s) had ended before)\n`;
    return zh
      ? `已终止活动 ${result.campaignId}（${where}），${clockText(result.at)}：${result.closed.length} 个单位（${units}）；此前已结束 ${result.alreadyEnded} 个；原因：${options.reason}\n`
      : `Closed campaign ${result.campaignId} (${where}) at ${clockText(result.at)}: ${result.closed.length} unit(s) (${units}); ${result.alreadyEnded} had ended before; reason: ${options.reason}\n`;
  });
}
