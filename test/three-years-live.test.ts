import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, createMemoryStore, VirtualClock, type Engine, type Store } from '@luoshi/engine';
import { storeFromUrl } from '@luoshi/store-kysely';
import { PostgresTestDatabase } from '../packages/store-kysely/test/support/postgres-test-database.js';
import { shanghai, tempDatabase } from './support/campaign-harness.js';
import { campaignHistories, driveThreeYears, STANDING, threeYearOrganisation, threeYearsDefinitions, THREE_YEAR_UNITS, THREE_YEARS } from './support/three-years.js';

/*
 * 三年行动 and a 长效机制 run live (issue 18, "Time"): the plain form over 2024–2026, and a standing
 * mechanism with no end date over its first three years, on the engine with the memory store,
 * SQLite and PostgreSQL. An engine thrown away mid-way (1 July 2025) and reopened on the same
 * database goes on exactly as an uninterrupted run.
 */
const START = shanghai('2024-01-01T00:00:00');
const MIDWAY = shanghai('2025-07-01T00:00:00');
const END = shanghai('2027-01-02T00:00:00');
const postgres = new PostgresTestDatabase('three years');
afterAll(() => postgres.drop());

async function open(store: Store, at: number, text = THREE_YEARS): Promise<{ engine: Engine; clock: VirtualClock }> {
  const clock = new VirtualClock(at);
  const engine = createEngine({ store, clock });
  await engine.deploy(threeYearsDefinitions(text));
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

/** Asserts a standing mechanism's first three years: 6 half-yearly reports, 3 assessments, 3 rankings, still running. */
async function expectStandingYears(engine: Engine): Promise<void> {
  for (const unit of THREE_YEAR_UNITS) {
    const instance = `s/${unit}`;
    const tasks = await engine.tasks(instance);
    expect(tasks.filter((t) => t.item === '半年报告' && (t.dueAt ?? Infinity) <= shanghai('2027-01-01T00:00:00'))).toHaveLength(6);
    // The assessments of 2024–2026 (2027's opened on 1 January 2027, as the mechanism goes on).
    const assessments = tasks.filter((t) => t.item === '年度考核' && (t.dueAt ?? Infinity) < shanghai('2027-06-01T00:00:00'));
    expect(assessments.map((t) => [t.status, t.dueAt])).toEqual(['2024-12-21', '2025-12-21', '2026-12-21'].map((d) => ['done', shanghai(`${d}T00:00:00`)]));
    const rankings = (await engine.history(instance)).filter((h) => h.type === 'ranking.placed').map((h) => h.at);
    expect(rankings).toEqual(['2025-01-01', '2026-01-01', '2027-01-01'].map((d) => shanghai(`${d}T00:00:00`)));
    expect((await engine.state(instance)).phase).toBe('常态长效');
  }
}

/** Runs the three years with a restart at `MIDWAY` on stores from `openStore` (the same database twice). */
async function runWithRestart(openStore: () => Promise<Store>, standing = false): Promise<Record<string, unknown>> {
  const [text, process, id] = standing ? [STANDING, '长效机制', 's'] : [THREE_YEARS, '三年行动', 'c'];
  const first = await open(await openStore(), START, text);
  await first.engine.startCampaign({ process, organisation: threeYearOrganisation, campaignId: id });
  await driveThreeYears(first.engine, first.clock, id, MIDWAY);
  const stoppedAt = first.clock.now();
  await first.engine.close();
  const second = await open(await openStore(), stoppedAt, text);
  await driveThreeYears(second.engine, second.clock, id, END);
  await (standing ? expectStandingYears(second.engine) : expectThreeYears(second.engine));
  const histories = await campaignHistories(second.engine, id);
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

describe('given a standing mechanism (长效机制, no end date) from 2024 run live', () => {
  let uninterrupted: Record<string, unknown>;

  it('when its first three years run on the memory store, then each unit has 6 half-yearly reports, 3 assessments and 3 rankings, and it still runs', async () => {
    const { engine, clock } = await open(createMemoryStore(), START, STANDING);
    await engine.startCampaign({ process: '长效机制', organisation: threeYearOrganisation, campaignId: 's' });
    await driveThreeYears(engine, clock, 's', END);
    await expectStandingYears(engine);
    uninterrupted = await campaignHistories(engine, 's');
    await engine.close();
  });

  it('when the engine on SQLite is thrown away mid-way and reopened, then its three years go on exactly as an uninterrupted run', async () => {
    const file = tempDatabase();
    expect(await runWithRestart(() => storeFromUrl(`sqlite:${file}`), true)).toEqual(uninterrupted);
  });

  it('when the engine on PostgreSQL is thrown away mid-way and reopened, then its three years go on exactly as an uninterrupted run', async () => {
    const url = await postgres.fresh();
    expect(await runWithRestart(() => storeFromUrl(url), true)).toEqual(uninterrupted);
  });
});
