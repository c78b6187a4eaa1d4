import { createEngine, createMemoryStore, sampleOrganisation, VirtualClock } from '@luoshi/engine';
import { createHandler, type Actor } from '@luoshi/http';
import { describe, expect, it } from 'vitest';
import { call, enc, processFiles, shanghai } from './support.js';

// What a host's `authenticate` gives is checked like any outside input: an actor without a list of
// roles holds none (given none, the engine checked nothing: a user without roles completed any task),
// units that are not a list reach no unit, an actor without an id is no one.

async function handlerFor(actor: unknown, options: { administratorRole?: string } = {}) {
  const engine = createEngine({ store: createMemoryStore(), clock: new VirtualClock(shanghai('2010-04-01T09:00:00')) });
  const admin = createHandler({ engine, authenticate: async () => ({ id: '管理员', roles: ['管理员'] }) });
  expect((await call(admin, 'POST', '/v1/processes', { body: { files: processFiles() } })).status).toBe(201);
  expect((await call(admin, 'POST', '/v1/campaigns', { body: { process: '机关作风建设年', organisation: sampleOrganisation(2, 1), campaignId: 'c1' } })).status).toBe(201);
  const handler = createHandler({ engine, authenticate: async () => actor as Actor, ...options });
  return { engine, handler };
}

const task = { type: 'task.completed', task: '支部组织动员' };
const events = `/v1/instances/${enc('c1/u01')}/events`;

describe('the actor a host gives', () => {
  it('without roles holds none: it completes no task and deploys nothing', async () => {
    const { engine, handler } = await handlerFor({ id: '无角色' });
    expect(await call(handler, 'POST', events, { body: task })).toMatchObject({ status: 403, body: { code: 'ENGINE_FORBIDDEN' } });
    expect(await call(handler, 'POST', '/v1/processes', { body: { files: processFiles() } })).toMatchObject({ status: 403, body: { code: 'HTTP_FORBIDDEN' } });
    expect((await engine.state('c1/u01')).revision).toBe(1);
  });

  it('with roles that are not a list holds none ("支部" as a text is not the role 支部)', async () => {
    const { engine, handler } = await handlerFor({ id: '甲', roles: '支部' });
    expect(await call(handler, 'POST', events, { body: task })).toMatchObject({ status: 403, body: { code: 'ENGINE_FORBIDDEN' } });
    expect((await engine.state('c1/u01')).revision).toBe(1);
  });

  it('with units that are not a list reaches no unit', async () => {
    const { handler } = await handlerFor({ id: '甲', roles: ['支部'], units: 'u01' });
    expect((await call(handler, 'GET', `/v1/instances/${enc('c1/u01')}`)).body.code).toBe('HTTP_FORBIDDEN');
    expect((await call(handler, 'GET', '/v1/campaigns/c1/instances')).body.code).toBe('HTTP_FORBIDDEN');
  });

  it('without an id, or not an object, is no one: 401', async () => {
    for (const actor of [{ roles: ['支部', '管理员'] }, { id: 7, roles: ['支部'] }, true, 'admin']) {
      const { handler } = await handlerFor(actor);
      expect((await call(handler, 'GET', '/v1/processes')).status, JSON.stringify(actor)).toBe(401);
      expect((await call(handler, 'POST', events, { body: task })).status, JSON.stringify(actor)).toBe(401);
    }
  });

  it('deploys and starts with the administrator role the host names', async () => {
    const { handler } = await handlerFor({ id: '甲', roles: ['系统管理员'] }, { administratorRole: '系统管理员' });
    expect((await call(handler, 'POST', '/v1/processes', { body: { files: processFiles() } })).status).toBe(201);
    const other = await handlerFor({ id: '乙', roles: ['管理员'] }, { administratorRole: '系统管理员' });
    const refused = await call(other.handler, 'POST', '/v1/campaigns', { body: { process: '机关作风建设年', organisation: sampleOrganisation(1, 1), campaignId: 'c2' } });
    expect(refused).toMatchObject({ status: 403, body: { code: 'HTTP_FORBIDDEN', details: { actor: '乙' } } });
    expect(refused.body.message.zh).toContain('系统管理员');
    expect(await other.engine.store.getCampaign('c2')).toBeUndefined();
  });
});
