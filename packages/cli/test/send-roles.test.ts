import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/run-cli.js';
import { minimalCampaign, office, unit } from '../../../test/support/minimal-campaign.js';
import { rehearsedCampaign } from '../../../test/support/run-luoshi.js';

/*
 * `luoshi send --actor <id> --role <role>…` (repeatable): the event is checked against the roles as
 * HTTP checks them — the role the process names for it (a task's owner, an evaluation's `by`), before
 * anything about the instance's state — so a rehearsal can send role-checked events as the people who
 * would send them. Without --role the console is trusted as before (no check). --role without
 * --actor is refused: HTTP never acts for no one.
 */
const CAMPAIGN = minimalCampaign({
  id: '报送',
  roles: [office('办公室'), unit('单位', '各单位')],
  phases: [{ id: '实施', window: '3月至12月', body: `
    tasks:
      - { id: 报送方案, title: 报送方案, owner: 单位, due: 5月31日 }
    evaluations:
      - { id: 考核, title: 考核, by: 办公室, due: 12月20日 }` }],
});
const ORGANISATION = { id: '县', units: [{ id: 'u01' }] };

async function campaign() {
  const c = rehearsedCampaign('luoshi-send-roles-', CAMPAIGN, ORGANISATION);
  expect((await c.at('2024-03-01T09:00', 'deploy', c.campaignFile)).code).toBe(EXIT.ok);
  expect((await c.at('2024-03-01T09:00', 'start', '报送', '--org', c.orgFile, '--campaign', 'c')).code).toBe(EXIT.ok);
  return c;
}

const TASK = '{"type":"task.completed","task":"报送方案"}';
const SCORE = '{"type":"score.given","evaluation":"考核","score":90}';

describe('given a unit’s task owned by 单位 and an evaluation by 办公室 (luoshi send --role)', () => {
  it('when 张三 sends the task with --role 单位, then it is applied and the history names 张三', async () => {
    const { at } = await campaign();
    const sent = await at('2024-03-05T09:00', 'send', 'c/u01', TASK, '--actor', '张三', '--role', '单位');
    expect(sent).toMatchObject({ code: EXIT.ok, stderr: '' });
    const history = JSON.parse((await at('2024-03-05T09:00', 'history', 'c/u01', '--format', 'json')).stdout) as { type: string; actor: string | null }[];
    expect(history.at(-1)).toMatchObject({ type: 'task.completed', actor: '张三' });
  });

  it('when 张三 gives the score holding only 单位, then ENGINE_FORBIDDEN naming the role 办公室, exit 1, nothing applied; with --role 单位 --role 办公室 it is applied', async () => {
    const { at } = await campaign();
    const refused = await at('2024-03-05T09:00', 'send', 'c/u01', SCORE, '--actor', '张三', '--role', '单位');
    expect(refused.code).toBe(EXIT.invalid);
    expect(refused.stderr).toMatch(/^ENGINE_FORBIDDEN .*张三.*办公室/);
    const history = (await at('2024-03-05T09:00', 'history', 'c/u01', '--format', 'json')).stdout;
    expect(history).not.toContain('score.given');
    const both = await at('2024-03-05T09:00', 'send', 'c/u01', SCORE, '--actor', '张三', '--role', '单位', '--role', '办公室');
    expect(both.code).toBe(EXIT.ok);
  });

  it('when the role is checked and the task is unknown as well, then the role is refused first (as HTTP: role before state)', async () => {
    const { at } = await campaign();
    const refused = await at('2024-03-05T09:00', 'send', 'c/u01', '{"type":"score.given","evaluation":"考核","score":90,"member":"nobody"}', '--actor', '张三', '--role', '单位');
    expect(refused.stderr).toMatch(/^ENGINE_FORBIDDEN /);
  });

  it('when --role is given without --actor, then CLI_ROLE_WITHOUT_ACTOR, exit 2, nothing sent; without --role the console sends unchecked, as before', async () => {
    const { at } = await campaign();
    const noActor = await at('2024-03-05T09:00', 'send', 'c/u01', TASK, '--role', '单位');
    expect(noActor.code).toBe(EXIT.usage);
    expect(noActor.stderr).toMatch(/^CLI_ROLE_WITHOUT_ACTOR /);
    expect((await at('2024-03-05T09:00', 'send', 'c/u01', TASK, '--role', '单位', '--lang', 'zh')).stderr).toMatch(/^CLI_ROLE_WITHOUT_ACTOR .*--actor/);
    expect((await at('2024-03-05T09:00', 'history', 'c/u01', '--format', 'json')).stdout).not.toContain('task.completed');
    expect((await at('2024-03-05T09:00', 'send', 'c/u01', SCORE, '--actor', '值班员')).code).toBe(EXIT.ok);
  });
});
