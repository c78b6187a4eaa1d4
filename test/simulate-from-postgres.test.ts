import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { validateProcessPaths } from '@luoshi/dsl';
import { loadScenarioFile, readLiveCampaign, simulate, simulateFrom, SIMULATION_CAMPAIGN_ID, type SentEvent } from '@luoshi/sim';
import { createKyselyStore } from '@luoshi/store-kysely';
import { PostgresTestDatabase } from '../packages/store-kysely/test/support/postgres-test-database.js';

/*
 * 从当前状态续推 on PostgreSQL (issue 21): seed 000 (三型机关动员月, October–November 2011, 48
 * units) simulated on a PostgreSQL database up to 1 November 2011, standing there on a rehearsal
 * clock; read through a read-only store and continued to the end. Every table of the database holds
 * the same rows afterwards, and the read-only store cannot write.
 */
const root = new URL('../', import.meta.url).pathname;
const MID = Date.parse('2011-11-01T00:00:00+08:00');
const database = new PostgresTestDatabase('simulate from');
afterAll(() => database.drop());

const TABLES = ['definitions', 'campaigns', 'instances', 'history', 'timers', 'outbox', 'campaign_clocks'];

/** A digest of every row of every table, in a fixed order. */
async function fingerprint(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, string> = {};
    for (const table of TABLES) {
      const { rows } = await client.query<{ digest: string | null; n: string }>(`select md5(string_agg(t::text, '|' order by t::text)) as digest, count(*) as n from ${table} t`);
      out[table] = `${rows[0]?.n}:${rows[0]?.digest}`;
    }
    return out;
  } finally {
    await client.end();
  }
}

describe('given seed 000 simulated on PostgreSQL up to 1 November 2011', () => {
  it('when it is read read-only and continued to the end, then the first half is as recorded and no row of the database changed', async () => {
    const url = await database.fresh();
    const definitions = validateProcessPaths([`${root}processes`]);
    const loaded = loadScenarioFile(`${root}examples/scenarios/000-baseline.yaml`);
    if (!loaded.ok || !loaded.scenario) throw new Error('scenario');
    const scenario = loaded.scenario;
    const firstHalf = await simulate({ definitions, processId: '三型机关动员月', scenario, store: await createKyselyStore({ url }), until: MID });
    const writer = await createKyselyStore({ url });
    await writer.setCampaignClock(SIMULATION_CAMPAIGN_ID, MID);
    await writer.close();
    const before = await fingerprint(url);

    const reader = await createKyselyStore({ url, readOnly: true });
    let live;
    try {
      live = await readLiveCampaign(reader, SIMULATION_CAMPAIGN_ID);
      // The server refuses a write on the read-only store's connections.
      await expect(reader.setCampaignClock(SIMULATION_CAMPAIGN_ID, MID + 1)).rejects.toThrow();
    } finally {
      await reader.close();
    }
    expect(live.at).toBe(MID);
    const sent: SentEvent[] = [];
    const result = await simulateFrom({ source: live, scenario, seed: 11, onSent: (s) => void sent.push(s) });
    // October as recorded, the flags held at its start rebuilt from the history (PastFlags).
    expect(result.monthly[0]).toEqual(firstHalf.monthly[0]);
    expect(result.monthly.map((m) => m.month)).toEqual(['2011-10', '2011-11']);
    for (const [type, n] of Object.entries(firstHalf.events.sent)) expect(result.events.sent[type]).toBe(n + sent.filter((s) => s.event.type === type).length);
    expect(sent.length).toBeGreaterThan(0);
    expect(await fingerprint(url)).toEqual(before);
  }, 120_000);
});
