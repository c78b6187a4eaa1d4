import { describe, expect, it } from 'vitest';
import { validateProcessText } from '@luoshi/dsl';
import { createEngine, runUntil, VirtualClock, type Engine } from '@luoshi/engine';
import { createKyselyStore } from '@luoshi/store-kysely';
import { shanghai, tempDatabase } from './support/campaign-harness.js';
import { minimalCampaign, unit } from './support/minimal-campaign.js';

/*
 * 错过处理 after a restart: a monthly report (每月, due within 25 days of the month's start) over
 * January–June 2024. The engine runs to 15 February (January's and February's reports done), is
 * stopped, and a new engine opens the same SQLite file on 20 May: the starts of March, April and May
 * have passed. Counted by hand:
 * - fire-once-late (the default): only May's report opens (due when 25 May is over, still ahead);
 *   March's and April's are never opened and never overdue.
 * - fire-each: March's and April's open with their own deadlines (26 March, 26 April, 00:00), both
 *   past, so both are overdue at once; May's is open.
 * - skip: none of them opens; June's opens on 1 June as usual.
 */
const CAMPAIGN = (missed: string | undefined) =>
  minimalCampaign({
    id: '月报',
    roles: [unit('单位', '各单位')],
    phases: [{ id: '全年', window: '1月至6月', body: `
      recurring:
        - { id: 月报, title: 每月报送, owner: 单位, every: 每月, dueWithin: 25天${missed === undefined ? '' : `, missed: ${missed}`} }` }],
  });

async function open(file: string, at: number, text: string): Promise<{ engine: Engine; clock: VirtualClock }> {
  const validation = validateProcessText(text, { file: 'monthly.yaml' });
  if (!validation.ok || !validation.definition) throw new Error(validation.diagnostics.map((d) => `${d.code} ${d.message.en}`).join('\n'));
  const clock = new VirtualClock(at);
  const engine = createEngine({ store: await createKyselyStore({ sqlite: file }), clock });
  await engine.deploy([validation.definition]);
  return { engine, clock };
}

/** The reports of unit 甲 after a stop from 15 February to 20 May, as [occurrence, status, due]. */
async function afterStop(missed: string | undefined): Promise<[number | undefined, string, number | undefined][]> {
  const file = tempDatabase();
  const first = await open(file, shanghai('2024-01-01T00:00:00'), CAMPAIGN(missed));
  await first.engine.startCampaign({ process: '月报', organisation: { id: '县', units: [{ id: '甲' }] }, campaignId: 'c' });
  await runUntil(first.engine, first.clock, shanghai('2024-01-10T09:00:00'));
  await first.engine.send('c/甲', { type: 'task.completed', task: '月报' });
  await runUntil(first.engine, first.clock, shanghai('2024-02-15T09:00:00'));
  await first.engine.send('c/甲', { type: 'task.completed', task: '月报' });
  await first.engine.close();

  const second = await open(file, shanghai('2024-05-20T09:00:00'), CAMPAIGN(missed));
  await second.engine.runDueTimers();
  const tasks = (await second.engine.tasks('c/甲')).map((t) => [t.occurrence, t.status, t.dueAt] as [number | undefined, string, number | undefined]);
  await second.engine.close();
  return tasks;
}

const day = (d: string) => shanghai(`${d}T00:00:00`);

describe('given a monthly report and an engine stopped from 15 February to 20 May (错过处理, after a restart)', () => {
  it('when missed is left to its default (fire-once-late), then only May’s report opens; March’s and April’s are skipped, never overdue', async () => {
    expect(await afterStop(undefined)).toEqual([
      [0, 'done', day('2024-01-26')],
      [1, 'done', day('2024-02-26')],
      [4, 'open', day('2024-05-26')],
    ]);
  });

  it('when missed: fire-each, then March’s and April’s reports open with their own deadlines and are overdue, and May’s is open', async () => {
    expect(await afterStop('fire-each')).toEqual([
      [0, 'done', day('2024-01-26')],
      [1, 'done', day('2024-02-26')],
      [2, 'overdue', day('2024-03-26')],
      [3, 'overdue', day('2024-04-26')],
      [4, 'open', day('2024-05-26')],
    ]);
  });

  it('when missed: skip, then none of the three opens', async () => {
    expect(await afterStop('skip')).toEqual([
      [0, 'done', day('2024-01-26')],
      [1, 'done', day('2024-02-26')],
    ]);
  });
});
