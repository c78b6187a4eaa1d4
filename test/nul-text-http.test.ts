import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateProcessPaths } from '@luoshi/dsl';
import { createEngine, VirtualClock, type Engine } from '@luoshi/engine';
import { createHandler, type Handler } from '@luoshi/http';
import { createKyselyStore } from '@luoshi/store-kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresTestDatabase } from '../packages/store-kysely/test/support/postgres-test-database.js';
import { root, shanghai } from './support/campaign-harness.js';

/*
 * A NUL character (U+0000) in what a request names, over HTTP, on SQLite and on PostgreSQL:
 * PostgreSQL cannot store one and used to answer a read with a 500 (its encoding error); both now
 * give the same coded 4xx: "not found" for an id no row can have, STORE_INVALID_TEXT (400) for a
 * new id or name that would have to be stored.
 */

const database = new PostgresTestDatabase('nul text http');
const dir = mkdtempSync(join(tmpdir(), 'luoshi-nul-'));
const engines: Engine[] = [];
const handlers = new Map<string, Handler>();

beforeAll(async () => {
  const stores = { SQLite: await createKyselyStore({ sqlite: join(dir, 'nul.sqlite') }), PostgreSQL: await createKyselyStore({ url: await database.fresh() }) };
  for (const [name, store] of Object.entries(stores)) {
    const engine = createEngine({ store, clock: new VirtualClock(shanghai('2010-04-02T09:00:00')) });
    engines.push(engine);
    await engine.deploy(validateProcessPaths([join(root, 'processes')]));
    await engine.startCampaign({ process: '机关作风建设年', campaignId: 'zf', organisation: { id: 'office', units: [{ id: 'u01', members: [{ id: '张三' }] }] } });
    handlers.set(name, createHandler({ engine, authenticate: async () => ({ id: '督查员', roles: ['管理员', '领导小组', '市民政局党办', '市直机关党工委', '支部'] }) }));
  }
});

afterAll(async () => {
  for (const engine of engines) await engine.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** The status and error code each store's handler answers `request` with. */
async function answers(method: string, path: string, body?: unknown): Promise<Record<string, { status: number; code: unknown }>> {
  const out: Record<string, { status: number; code: unknown }> = {};
  for (const [name, handler] of handlers) {
    const response = await handler(
      new Request(`http://luoshi.test${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      }),
    );
    out[name] = { status: response.status, code: ((await response.json()) as { code?: unknown }).code };
  }
  return out;
}

describe('given a campaign on SQLite and on PostgreSQL, and requests naming ids with a NUL character', () => {
  it('when an instance id holds one, then reading it answers 404 ENGINE_INSTANCE_NOT_FOUND on both', async () => {
    for (const path of ['/v1/instances/zf%2Fu01%00', '/v1/instances/zf%2Fu01%00/history', '/v1/instances/zf%2Fu01%00/tasks']) {
      const both = await answers('GET', path);
      expect(both, path).toEqual({
        SQLite: { status: 404, code: 'ENGINE_INSTANCE_NOT_FOUND' },
        PostgreSQL: { status: 404, code: 'ENGINE_INSTANCE_NOT_FOUND' },
      });
    }
  });

  it('when a campaign or process id holds one, then reading it answers the same 404 on both', async () => {
    const campaign = await answers('GET', '/v1/campaigns/zf%00/instances');
    expect(campaign.PostgreSQL).toEqual(campaign.SQLite);
    expect(campaign.SQLite?.status).toBe(404);
    const process = await answers('GET', '/v1/processes/%E6%9C%BA%00');
    expect(process).toEqual({ SQLite: { status: 404, code: 'ENGINE_PROCESS_NOT_FOUND' }, PostgreSQL: { status: 404, code: 'ENGINE_PROCESS_NOT_FOUND' } });
  });

  it('when a new campaign id holds one, then starting it answers 422 ENGINE_INVALID_CAMPAIGN_ID on both (the engine refuses control characters in a campaign id before the store sees it), and nothing is started', async () => {
    const both = await answers('POST', '/v1/campaigns', {
      process: '机关作风建设年',
      campaignId: 'zf\u0000b',
      organisation: { id: 'office', units: [{ id: 'u01' }] },
    });
    expect(both).toEqual({ SQLite: { status: 422, code: 'ENGINE_INVALID_CAMPAIGN_ID' }, PostgreSQL: { status: 422, code: 'ENGINE_INVALID_CAMPAIGN_ID' } });
    for (const engine of engines) expect((await engine.store.listCampaigns()).map((c) => c.id)).toEqual(['zf']);
  });

  it('when an event names a member with one, then both answer the same 4xx', async () => {
    const both = await answers('POST', '/v1/instances/zf%2Fu01/events', { type: 'task.completed', task: '支部组织动员', member: '张\u0000三' });
    expect(both.PostgreSQL).toEqual(both.SQLite);
    expect(both.SQLite?.status).toBeGreaterThanOrEqual(400);
    expect(both.SQLite?.status).toBeLessThan(500);
  });
});
