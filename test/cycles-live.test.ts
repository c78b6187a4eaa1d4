import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, createMemoryStore, VirtualClock, type Engine, type Store } from '@luoshi/engine';
import { storeFromUrl } from '@luoshi/store-kysely';
import { PostgresTestDatabase } from '../packages/store-kysely/test/support/postgres-test-database.js';
import { shanghai, tempDatabase } from './support/campaign-harness.js';
import { STANDING_CYCLE } from './support/cycles.js';
import { campaignHistories, driveThreeYears, threeYearOrganisation, threeYearsDefinitions, THREE_YEAR_UNITS } from './support/three-years.js';

/*
 * 周期 live (issue 18, "Cycles"): a standing mechanism whose flow repeats every year (每年部署 → 自查 →
 * 考核, 年底排名) runs its first three years on the memory store, SQLite and PostgreSQL; an engine
 * thrown away mid-way (1 July 2025, inside the second cycle's 自查) and reopened on the same
 * database goes on exactly as an uninterrupted run. Read from the text: per unit 3 部署 tasks, 9
 * quarterly reports (February, May, August of each year), 3 assessments, 3 rankings, and on
 * 2 January 2027 the fourth cycle's 部署.
 */
const START = shanghai('2024-01-01T00:00:00');
const MIDWAY = shanghai('2025-07-01T00:00:00');
const END = shanghai('2027-01-02T00:00:00');
const postgres = new PostgresTestDatabase('cycles');
afterAll(() => postgres.drop());

async function open(store: Store, at: number): Promise<{ engine: Engine; clock: VirtualClock }> {
  const clock = new VirtualClock(at);
  const engine = createEngine({ store, clock });
  await engine.deploy(threeYearsDefinitions(STANDING_CYCLE));
  return { engine, clock };
}

async function expectThreeCycles(engine: Engine): Promise<void> {
  for (const unit of THREE_YEAR_UNITS) {
    const instance = `y/${unit}`;
    const tasks = (await engine.tasks(instance)).filter((t) => (t.dueAt ?? Infinity) < shanghai('2027-01-01T00:00:00'));
    const cycles = (id: string) => tasks.filter((t) => t.item === id || t.item.startsWith(`${id}.`)).map((t) => [t.cycle, t.status]);
    expect(cycles('部署会议')).toEqual([['2024', 'done'], ['2025', 'done'], ['2026', 'done']]);
    expect(cycles('季度报告').map(([cycle]) => cycle)).toEqual(['2024', '2024', '2024', '2025', '2025', '2025', '2026', '2026', '2026']);
    expect(cycles('年度考核')).toEqual([['2024', 'done'], ['2025', 'done'], ['2026', 'done']]);
    const rankings = (await engine.history(instance)).filter((h) => h.type === 'ranking.placed').map((h) => h.at);
    expect(rankings).toEqual(['2025-01-01', '2026-01-01', '2027-01-01'].map((d) => shanghai(`${d}T00:00:00`)));
    expect((await engine.state(instance)).phase).toBe('部署.2027');
  }
}

async function runWithRestart(openStore: () => Promise<Store>): Promise<Record<string, unknown>> {
  const first = await open(await openStore(), START);
  await first.engine.startCampaign({ process: '长效循环', organisation: threeYearOrganisation, campaignId: 'y' });
  await driveThreeYears(first.engine, first.clock, 'y', MIDWAY);
  const stoppedAt = first.clock.now();
  await first.engine.close();
  const second = await open(await openStore(), stoppedAt);
  await driveThreeYears(second.engine, second.clock, 'y', END);
  await expectThreeCycles(second.engine);
  const histories = await campaignHistories(second.engine, 'y');
  await second.engine.close();
  return histories;
}

describe('given a standing mechanism with a yearly cycle (每年部署 → 自查 → 考核) run live', () => {
  let uninterrupted: Record<string, unknown>;

  it('when its first three cycles run on the memory store, then each unit has 3 部署 tasks, 9 quarterly reports, 3 assessments and 3 rankings, and is in the fourth cycle', async () => {
    const { engine, clock } = await open(createMemoryStore(), START);
    await engine.startCampaign({ process: '长效循环', organisation: threeYearOrganisation, campaignId: 'y' });
    await driveThreeYears(engine, clock, 'y', END);
    await expectThreeCycles(engine);
    uninterrupted = await campaignHistories(engine, 'y');
    await engine.close();
  });

  it('when the engine on SQLite is thrown away mid-way and reopened, then its three cycles go on exactly as an uninterrupted run', async () => {
    const file = tempDatabase();
    expect(await runWithRestart(() => storeFromUrl(`sqlite:${file}`))).toEqual(uninterrupted);
  });

  it('when the engine on PostgreSQL is thrown away mid-way and reopened, then its three cycles go on exactly as an uninterrupted run', async () => {
    const url = await postgres.fresh();
    expect(await runWithRestart(() => storeFromUrl(url))).toEqual(uninterrupted);
  });
});
