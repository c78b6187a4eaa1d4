import { describe, expect, it } from 'vitest';
import { runUntil, type Engine } from '@luoshi/engine';
import { memberOverdueCampaign } from './support/member-overdue-campaign.js';
import { engineWith, organisation, shanghai } from './support/harness.js';

/**
 * What queries hand a host is the host's own: a key asked twice is one task, and a subject's flags
 * are a copy (the context's array is shared with the cached state, and, in a continued run, with every
 * run from one reading). Two units of two members from 1 March 2024; each member's 承诺 is due when
 * 11 March ends; on 20 March every member has gone overdue and is flagged 个人逾期.
 */
const CAMPAIGN = memberOverdueCampaign('查询副本');

async function started(): Promise<Engine> {
  const h = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
  await h.engine.startCampaign({ process: '查询副本', organisation: organisation(2, 2), campaignId: 'c' });
  await runUntil(h.engine, h.clock, shanghai('2024-03-20T00:00:00'));
  return h.engine;
}

describe('given a campaign whose members have all gone overdue', () => {
  it('when a task key is asked twice, then the task is listed once', async () => {
    const engine = await started();
    const once = await engine.tasks('c/u01', { keys: ['承诺@u01-m1'] });
    expect(once.map((t) => t.key)).toEqual(['承诺@u01-m1']);
    expect((await engine.tasks('c/u01', { keys: ['承诺@u01-m1', '承诺@u01-m1'] })).map((t) => t.key)).toEqual(['承诺@u01-m1']);
  });

  it('when a host changes the flags a subject view gave it, then the instance still holds its own', async () => {
    const engine = await started();
    const [, first] = await engine.subjects('c/u01');
    expect(first?.flags).toEqual(['个人逾期']);
    (first?.flags as string[]).push('篡改');
    const [, again] = await engine.subjects('c/u01');
    expect(again?.flags).toEqual(['个人逾期']);
    expect((await engine.outcomes('c')).flags).toEqual({ 个人逾期: 4 });
  });
});
