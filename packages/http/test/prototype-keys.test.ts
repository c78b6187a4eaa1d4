import type { Actor } from '@luoshi/http';
import { createHandler } from '@luoshi/http';
import { describe, expect, it } from 'vitest';
import { call, enc, handlerWith, processFiles } from './support.js';

// Names every object inherits, sent wherever outside input becomes a key: ids in paths, query
// parameters, event fields, organisation unit and member ids, tokens. Each is an unknown name like
// any other (404, 422, an empty list), never a crash, a 500 or an inherited value taken for data.
const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

async function started() {
  const setup = handlerWith();
  expect((await call(setup.handler, 'POST', '/v1/processes', { user: 'admin', body: { files: processFiles() } })).status).toBe(201);
  expect((await call(setup.handler, 'POST', '/v1/campaigns', { user: 'admin', body: { process: '机关作风建设年', organisation: { id: 'office', units: [{ id: 'u01', members: [{ id: 'u01-m1' }] }] }, campaignId: 'c1' } })).status).toBe(201);
  return setup;
}

describe('prototype-named keys', () => {
  it('as ids in paths and query parameters: not found, unknown, or an empty list', async () => {
    const { handler } = await started();
    for (const name of NAMES) {
      expect((await call(handler, 'GET', `/v1/processes/${enc(name)}`, { user: 'admin' })).body.code, name).toBe('ENGINE_PROCESS_NOT_FOUND');
      expect((await call(handler, 'GET', `/v1/processes/${enc('机关作风建设年')}?version=${name}`, { user: 'admin' })).status, name).toBe(404);
      expect((await call(handler, 'GET', `/v1/campaigns/${enc(name)}/instances`, { user: 'admin' })).body.code, name).toBe('ENGINE_CAMPAIGN_NOT_FOUND');
      expect((await call(handler, 'GET', `/v1/campaigns/${enc(name)}/rollup`, { user: 'admin' })).status, name).toBe(404);
      expect((await call(handler, 'GET', `/v1/campaigns/c1/rollup?unit=${enc(name)}`, { user: 'admin' })).body.code, name).toBe('ENGINE_INSTANCE_NOT_FOUND');
      expect((await call(handler, 'GET', `/v1/campaigns/c1/outcomes?unit=${enc(name)}`, { user: 'admin' })).body.code, name).toBe('ENGINE_INSTANCE_NOT_FOUND');
      expect((await call(handler, 'GET', `/v1/campaigns/c1/rankings/${enc(name)}`, { user: 'admin' })).body.code, name).toBe('ENGINE_UNKNOWN_ITEM');
      expect((await call(handler, 'GET', `/v1/instances/${enc(`c1/${name}`)}`, { user: 'admin' })).body.code, name).toBe('ENGINE_INSTANCE_NOT_FOUND');
      expect((await call(handler, 'GET', `/v1/instances/${enc(`${name}/u01`)}/history`, { user: 'admin' })).status, name).toBe(404);
      // To a unit's member, a unit it cannot see is refused, whatever its name.
      expect((await call(handler, 'GET', `/v1/instances/${enc(`c1/${name}`)}`, { user: 'branch' })).body.code, name).toBe('HTTP_FORBIDDEN');
      // A member or owner of that name has no tasks; a status of that name is no status at all.
      const tasks = await call(handler, 'GET', `/v1/instances/${enc('c1/u01')}/tasks?status=open&member=${name}&owner=${name}`, { user: 'branch' });
      expect(tasks, name).toMatchObject({ status: 200, body: [] });
      const status = await call(handler, 'GET', `/v1/instances/${enc('c1/u01')}/tasks?status=${name}`, { user: 'branch' });
      expect(status, name).toMatchObject({ status: 400, body: { code: 'HTTP_INVALID_QUERY' } });
    }
  });

  it('as event fields: unknown event, task, evaluation, inspection, decision or member, and nothing recorded', async () => {
    const { handler, engine } = await started();
    const path = `/v1/instances/${enc('c1/u01')}/events`;
    for (const name of NAMES) {
      const cases: [unknown, string, string?][] = [
        [{ type: name }, 'ENGINE_UNKNOWN_EVENT'],
        [{ type: 'task.completed', task: name }, 'ENGINE_UNKNOWN_TASK'],
        [{ type: 'report.submitted', task: name }, 'ENGINE_UNKNOWN_TASK'],
        [{ type: 'score.given', evaluation: name, score: 1 }, 'ENGINE_UNKNOWN_ITEM'],
        [{ type: 'finding.recorded', inspection: name }, 'ENGINE_UNKNOWN_ITEM'],
        [{ type: 'rectification.done', inspection: name }, 'ENGINE_UNKNOWN_ITEM'],
        [{ type: 'decision.taken', decision: name, option: name }, 'ENGINE_UNKNOWN_ITEM'],
        [{ type: 'complaint.verified', member: name }, 'ENGINE_UNKNOWN_MEMBER'],
        [{ type: 'task.completed', task: '支部组织动员', member: name }, 'ENGINE_UNKNOWN_MEMBER', 'branch'],
      ];
      for (const [event, code, user = 'office'] of cases) {
        const answer = await call(handler, 'POST', path, { user, raw: JSON.stringify(event), headers: { 'idempotency-key': name } });
        expect(answer.body.code, JSON.stringify(event)).toBe(code);
      }
    }
    expect((await engine.state('c1/u01')).revision).toBe(1);
  });

  it('as organisation unit and member ids, and as units an actor belongs to', async () => {
    const { engine } = await started();
    const actors = new Map<string, Actor>([
      ['proto', { id: '甲', roles: ['支部', '党员'], units: ['__proto__'] }],
      ['root', { id: '乙', roles: ['管理员', '领导小组', '市直机关党工委'], units: ['constructor'] }],
    ]);
    const handler = createHandler({ engine, authenticate: async (request) => actors.get(request.headers.get('authorization')?.slice(7) ?? '') });
    const organisation = { id: 'constructor', units: [{ id: '__proto__', members: [{ id: 'toString' }, { id: 'valueOf' }] }, { id: 'hasOwnProperty' }] };
    const begun = await call(handler, 'POST', '/v1/campaigns', { user: 'root', body: { process: '机关作风建设年', organisation, campaignId: 'p' } });
    expect(begun.status).toBe(201);
    expect(begun.body.instances.map((i: { instanceId: string }) => i.instanceId)).toEqual(['p/constructor', 'p/__proto__', 'p/hasOwnProperty']);
    const seen = await call(handler, 'GET', '/v1/campaigns/p/instances', { user: 'proto' });
    expect(seen.body.map((i: { instanceId: string }) => i.instanceId)).toEqual(['p/__proto__']);
    expect((await call(handler, 'GET', `/v1/instances/${enc('p/hasOwnProperty')}`, { user: 'proto' })).status).toBe(403);
    expect((await call(handler, 'GET', `/v1/instances/${enc('p/__proto__')}`, { user: 'proto' })).body.unitPath).toBe('/constructor/__proto__/');
    expect((await call(handler, 'GET', '/v1/campaigns/p/rollup', { user: 'proto' })).status).toBe(403);
    expect((await call(handler, 'GET', '/v1/campaigns/p/rollup', { user: 'root' })).body).toMatchObject({ unitId: 'constructor', units: 3 });
    expect((await call(handler, 'GET', '/v1/campaigns/p/rollup?unit=__proto__', { user: 'proto' })).body).toMatchObject({ unitId: '__proto__', units: 1 });
    const done = await call(handler, 'POST', `/v1/instances/${enc('p/__proto__')}/events`, { user: 'proto', body: { type: 'task.completed', task: '支部组织动员' } });
    expect(done.body).toMatchObject({ instanceId: 'p/__proto__', revision: 2 });
    const complaint = await call(handler, 'POST', `/v1/instances/${enc('p/__proto__')}/events`, { user: 'root', body: { type: 'complaint.verified', member: 'toString' } });
    expect(complaint.status).toBe(200);
    const subjects = await call(handler, 'GET', `/v1/instances/${enc('p/__proto__')}/subjects`, { user: 'proto' });
    expect(subjects.body.find((s: { subject: string }) => s.subject === 'toString').ladders).toEqual({ 举报投诉查实: 1 });
    expect(subjects.body.find((s: { subject: string }) => s.subject === 'valueOf').ladders).toEqual({});
  });

  it('as bearer tokens: not authenticated', async () => {
    const { handler, engine } = await started();
    for (const name of Object.getOwnPropertyNames(Object.prototype).concat('__proto__')) {
      const answer = await call(handler, 'POST', `/v1/instances/${enc('c1/u01')}/events`, { user: name, body: { type: 'task.completed', task: '支部组织动员' } });
      expect(answer.status, name).toBe(401);
    }
    expect((await engine.state('c1/u01')).revision).toBe(1);
  });
});
