import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, createMemoryStore, VirtualClock, type Engine, type Store } from '@luoshi/engine';
import { storeFromUrl } from '@luoshi/store-kysely';
import { PostgresTestDatabase } from '../packages/store-kysely/test/support/postgres-test-database.js';
import { shanghai, tempDatabase } from './support/campaign-harness.js';
import { campaignHistories, driveThreeYears, threeYearOrganisation, threeYearsDefinitions, THREE_YEAR_UNITS } from './support/three-years.js';

/*
 * 三年行动 run live (issue 18, "Time"): the plain form over 2024–2026 on the engine with the memory
 * store, SQLite and PostgreSQL. Each unit has 12 quarterly occurrences, 3 assessments and 3
 * rankings; an engine thrown away mid-way (1 July 2025) and reopened on the same database ends the
 * three years exactly as an uninterrupted run.
 */
const START = shanghai('2024-01-01T00:00:00');
const MIDWAY = shanghai('2025-07-01T00:00:00');
const END = shanghai('2027-01-02T00:00:00');
const postgres = new PostgresTestDatabase('three years');
afterAll(() => postgres.drop());

async function open(store: Store, at: number): Promise<{ engine: Engine; clock: VirtualClock }> {
  const clock = new VirtualClock(at);
  const engine = createEngine({ store, clock });
  await engine.deploy(threeYearsDefinitions());
  return { engine, clock };
}

/** Asserts what the directive's text says every unit gets over the three years. */
async function expectThreeYears(engine: Engine): Promise<void> {
  for (const unit of THREE_YEAR_UNITS) {
    const instance = `c/${unit}`;
    const tasks = await engine.tasks(instance);
    const quarters = tasks.filter((t) => t.item === '季度报告');
    expect(quarters).toHaveLength(12);
    expect(quarters.every((t) => t.status === 'done')).toBe(true);
    const assessments = tasks.filter((t) => t.item === '年度考核');
    expect(assessments.map((t) => [t.status, t.dueAt])).toEqual(
      ['2024-12-21', '2025-12-21', '2026-12-21'].map((d) => ['done', shanghai(`${d}T00:00:00`)]),
    );
    const rankings = (await engine.history(instance)).filter((h) => h.type === 'ranking.placed').map((h) => h.at);
    expect(rankings).toEqual(['2025-01-01', '2026-01-01', '2027-01-01'].map((d) => shanghai(`${d}T00:00:00`)));
  }
}

/** Runs the three years with a restart at `MIDWAY` on stores from `openStore` (the same database twice). */
async function runWithRestart(openStore: () => Promise<Store>): Promise<Record<string, unknown>> {
  const first = await open(await openStore(), START);
  await first.engine.startCampaign({ process: '三年行动', organisation: threeYearOrganisation, campaignId: 'c' });
  await driveThreeYears(first.engine, first.clock, 'c', MIDWAY);
  const stoppedAt = first.clock.now();
  await first.engine.close();
  const second = await open(await openStore(), stoppedAt);
  await driveThreeYears(second.engine, second.clock, 'c', END);
  await expectThreeYears(second.engine);
  const histories = await campaignHistories(second.engine, 'c');
  await second.engine.close();
  return histories;
}

describe('given 三年行动 (2024–2026) run live', () => {
  let uninterrupted: Record<string, unknown>;

  it('when it runs through on the memory store, then each unit has 12 quarterly occurrences, 3 assessments and 3 rankings', async () => {
    const { engine, clock } = await open(createMemoryStore(), START);
    await engine.startCampaign({ process: '三年行动', organisation: threeYearOrganisation, campaignId: 'c' });
    await driveThreeYears(engine, clock, 'c', END);
    await expectThreeYears(engine);
    uninterrupted = await campaignHistories(engine, 'c');
    await engine.close();
  });

  it('when the engine on SQLite is thrown away mid-way and reopened, then the three years end exactly as an uninterrupted run', async () => {
    const file = tempDatabase();
    expect(await runWithRestart(() => storeFromUrl(`sqlite:${file}`))).toEqual(uninterrupted);
  });

  it('when the engine on PostgreSQL is thrown away mid-way and reopened, then the three years end exactly as an uninterrupted run', async () => {
    const url = await postgres.fresh();
    expect(await runWithRestart(() => storeFromUrl(url))).toEqual(uninterrupted);
  });
});
