import { describe, expect, it } from 'vitest';
import { EXIT } from '../packages/cli/src/run-cli.js';
import { rehearsedCampaign, runLuoshi } from './support/run-luoshi.js';
import { STANDING_CAMPAIGN, STANDING_ORGANISATION, STANDING_PROCESS } from './support/standing-close-campaign.js';

/*
 * 终止活动 through the command line, on a SQLite file: `luoshi close --campaign c --reason …` on the
 * standing mechanism of the engine's tests, started on a rehearsal clock on 1 January 2024 and moved
 * to 30 June, closes it at the campaign's clock; `--unit` closes the part under a unit; a second
 * closing changes nothing; a completion afterwards is refused (ENGINE_CAMPAIGN_CLOSED, exit 1).
 */

async function startedOnFile() {
  const campaign = rehearsedCampaign('luoshi-close-', STANDING_CAMPAIGN, STANDING_ORGANISATION);
  expect((await campaign.at('', 'deploy', campaign.campaignFile)).code).toBe(EXIT.ok);
  expect((await campaign.at('2024-01-01T09:00', 'start', STANDING_PROCESS, '--org', campaign.orgFile, '--campaign', 'c')).code).toBe(EXIT.ok);
  return campaign;
}

describe('given the standing mechanism in a SQLite file on a rehearsal clock at 30 June 2024', () => {
  it('when `luoshi close --unit 甲镇` and then `luoshi close` run, then each prints what it closed (in Chinese with --lang zh), the states say so, and a second closing closes nothing', async () => {
    const campaign = await startedOnFile();
    const part = await campaign.at('2024-06-30T12:00', 'close', '--campaign', 'c', '--reason', '甲镇撤并', '--unit', '甲镇', '--actor', '县委办主任', '--lang', 'zh');
    expect(part.stderr).toBe('');
    expect(part.code).toBe(EXIT.ok);
    expect(part.stdout).toBe('已终止活动 c（甲镇 及下属），2024-06-30 12:00:00：3 个单位（甲镇、甲一村、甲二村）；此前已结束 0 个；原因：甲镇撤并\n');
    const whole = await runLuoshi(['close', '--campaign', 'c', '--reason', '原办法废止', '--db', campaign.db]);
    expect(whole.code).toBe(EXIT.ok);
    expect(whole.stdout).toBe('Closed campaign c (the whole campaign) at 2024-06-30 12:00:00: 3 unit(s) (县委办, 乙镇, 乙一村); 3 had ended before; reason: 原办法废止\n');
    const again = await runLuoshi(['close', '--campaign', 'c', '--reason', '原办法废止', '--db', campaign.db]);
    expect(again.stdout).toBe('Campaign c (the whole campaign) has no unit still running; nothing changed (6 unit(s) had ended before)\n');
    const history = JSON.parse((await runLuoshi(['history', 'c/甲一村', '--format', 'json', '--db', campaign.db])).stdout) as { type: string; actor: string; event: { reason: string } }[];
    expect(history.at(-1)).toMatchObject({ type: 'campaign.closed', actor: '县委办主任', event: { reason: '甲镇撤并' } });
    const status = JSON.parse((await runLuoshi(['status', 'c', '--format', 'json', '--db', campaign.db])).stdout) as { rollup: { ended: number } };
    expect(status.rollup.ended).toBe(6);
  });

  it('when a unit completes a task after the closing, then `luoshi send` is refused with ENGINE_CAMPAIGN_CLOSED and exits 1', async () => {
    const campaign = await startedOnFile();
    expect((await campaign.at('2024-06-30T12:00', 'close', '--campaign', 'c', '--reason', '原办法废止')).code).toBe(EXIT.ok);
    const sent = await runLuoshi(['send', 'c/乙一村', '{"type":"task.completed","task":"整改方案"}', '--db', campaign.db]);
    expect(sent.code).toBe(EXIT.invalid);
    expect(sent.stderr).toMatch(/^ENGINE_CAMPAIGN_CLOSED The office closed the campaign for instance c\/乙一村 at 2024-06-30T12:00:00\+08:00 \(原办法废止\)/);
  });

  it('when the closing names a unit the campaign does not have, or --role without --actor, then it is refused and nothing is closed', async () => {
    const campaign = await startedOnFile();
    const unknown = await campaign.at('2024-06-30T12:00', 'close', '--campaign', 'c', '--reason', '废止', '--unit', '丙镇');
    expect(unknown.code).toBe(EXIT.invalid);
    expect(unknown.stderr).toMatch(/^ENGINE_INSTANCE_NOT_FOUND/);
    const roleOnly = await runLuoshi(['close', '--campaign', 'c', '--reason', '废止', '--role', '办公室', '--db', campaign.db]);
    expect(roleOnly.code).toBe(EXIT.usage);
    expect(roleOnly.stderr).toMatch(/^CLI_ROLE_WITHOUT_ACTOR/);
    const forbidden = await runLuoshi(['close', '--campaign', 'c', '--reason', '废止', '--actor', '甲一村书记', '--role', '单位', '--db', campaign.db]);
    expect(forbidden.stderr).toMatch(/^ENGINE_FORBIDDEN/);
    const status = JSON.parse((await runLuoshi(['status', 'c', '--format', 'json', '--db', campaign.db])).stdout) as { rollup: { ended: number } };
    expect(status.rollup.ended).toBe(0);
  });
});
