import { sampleOrganisation } from '@luoshi/engine';
import { statusCodes } from '@luoshi/http';
import { beforeEach, describe, expect, it } from 'vitest';
import { call, compileEverySchema, document, enc, handlerWith, processFiles } from './support.js';

const PROCESS = '机关作风建设年';

async function started() {
  const setup = handlerWith();
  const deployed = await call(setup.handler, 'POST', '/v1/processes', { user: 'office', body: { files: processFiles() } });
  expect(deployed.status).toBe(201);
  const campaign = await call(setup.handler, 'POST', '/v1/campaigns', {
    user: 'office',
    body: { process: PROCESS, organisation: sampleOrganisation(2, 2), campaignId: 'c1' },
  });
  expect(campaign.status).toBe(201);
  return setup;
}

describe('the OpenAPI document', () => {
  it('is served without credentials and every schema in it compiles', async () => {
    const { handler } = handlerWith();
    const response = await handler(new Request('http://localhost/openapi.json'));
    expect(response.status).toBe(200);
    const served = await response.json();
    expect(served.openapi).toBe('3.1.0');
    expect(served).toEqual(document);
    expect(Object.keys(served.paths)).toContain('/v1/instances/{id}/events');
    expect(compileEverySchema()).toBeGreaterThan(30);
    for (const name of Object.keys(served.components.schemas)) expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it('gives every error code a status', () => {
    for (const status of Object.values(statusCodes)) expect(status).toBeGreaterThanOrEqual(400);
    expect(statusCodes.ENGINE_FORBIDDEN).toBe(403);
    expect(statusCodes.ENGINE_INSTANCE_NOT_FOUND).toBe(404);
  });
});

describe('the handler', () => {
  let setup: Awaited<ReturnType<typeof started>>;
  beforeEach(async () => {
    setup = await started();
  });

  it('deploys, starts a campaign and answers every query', async () => {
    const { handler } = setup;
    const process = await call(handler, 'GET', `/v1/processes/${enc(PROCESS)}`, { user: 'office' });
    expect(process.body).toMatchObject({ processId: PROCESS, version: 1 });
    const list = await call(handler, 'GET', '/v1/processes', { user: 'office' });
    expect(list.body.processes.map((p: { processId: string; latest: number }) => `${p.processId}@${p.latest}`)).toEqual([
      '三型机关动员月@1',
      '机关作风建设年@1',
      '机关创新行动@1',
    ]);
    const again = await call(handler, 'POST', '/v1/processes', { user: 'office', body: { files: processFiles() } });
    expect(again.body.versions.find((v: { processId: string }) => v.processId === PROCESS)).toEqual({ processId: PROCESS, version: 1, created: false });

    const instances = await call(handler, 'GET', '/v1/campaigns/c1/instances', { user: 'office' });
    expect(instances.body.map((i: { instanceId: string }) => i.instanceId)).toEqual(['c1/office', 'c1/u01', 'c1/u02']);
    const rollup = await call(handler, 'GET', '/v1/campaigns/c1/rollup?unit=u01', { user: 'office' });
    expect(rollup.body).toMatchObject({ campaignId: 'c1', unitId: 'u01', units: 1 });
    // Checked against the OpenAPI document's schema, as every answer here is.
    const outcomes = await call(handler, 'GET', '/v1/campaigns/c1/outcomes?unit=u01', { user: 'office' });
    expect(outcomes.body).toMatchObject({ campaignId: 'c1', unitId: 'u01', items: { 支部组织动员: { open: 1, done: 0, overdue: 0 } } });
    expect(outcomes.body.ladders['举报投诉查实']).toEqual({ 1: 0, 2: 0, 3: 0 });
    const standings = await call(handler, 'GET', `/v1/campaigns/c1/rankings/${enc('十佳单位评选')}`, { user: 'office' });
    expect(standings.status).toBe(200);
    expect(standings.body).toHaveLength(2);

    const state = await call(handler, 'GET', `/v1/instances/${enc('c1/u01')}`, { user: 'branch' });
    expect(state.body).toMatchObject({ instanceId: 'c1/u01', phase: '动员部署', revision: 1 });
    const open = await call(handler, 'GET', `/v1/instances/${enc('c1/u01')}/tasks?status=open,overdue&owner=${enc('支部')}`, { user: 'branch' });
    expect(open.body.map((t: { item: string }) => t.item)).toEqual(['支部组织动员']);
    const subjects = await call(handler, 'GET', `/v1/instances/${enc('c1/u01')}/subjects`, { user: 'branch' });
    expect(subjects.body.map((s: { subject: string }) => s.subject)).toEqual(['unit', 'u01-m1', 'u01-m2']);
    const history = await call(handler, 'GET', `/v1/instances/${enc('c1/u01')}/history`, { user: 'branch' });
    expect(history.body[0]).toMatchObject({ revision: 1, cause: 'start' });
  });

  it('sends an event as the authenticated actor, once per idempotency key', async () => {
    const { handler } = setup;
    const path = `/v1/instances/${enc('c1/u01')}/events`;
    const event = { type: 'task.completed', task: '支部组织动员' };
    const headers = { 'idempotency-key': 'req-1' };
    const first = await call(handler, 'POST', path, { user: 'branch', body: event, headers });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ instanceId: 'c1/u01', revision: 2, duplicate: false });
    const second = await call(handler, 'POST', path, { user: 'branch', body: event, headers });
    expect(second.body).toMatchObject({ revision: 2, duplicate: true });
    const history = await call(handler, 'GET', `/v1/instances/${enc('c1/u01')}/history`, { user: 'branch' });
    expect(history.body.at(-1)).toMatchObject({ revision: 2, actor: '张三', idempotencyKey: 'req-1', type: 'task.completed' });
    const done = await call(handler, 'GET', `/v1/instances/${enc('c1/u01')}/tasks?status=done`, { user: 'branch' });
    expect(done.body[0]).toMatchObject({ item: '支部组织动员', completedBy: '张三' });

    const notOpen = await call(handler, 'POST', path, { user: 'branch', body: event });
    expect(notOpen.status).toBe(409);
    expect(notOpen.body.code).toBe('ENGINE_TASK_NOT_OPEN');
  });

  it('answers 401 without credentials and changes nothing', async () => {
    const { handler, engine } = setup;
    const path = `/v1/instances/${enc('c1/u01')}/events`;
    const denied = await call(handler, 'POST', path, { body: { type: 'task.completed', task: '支部组织动员' } });
    expect(denied.status).toBe(401);
    expect(denied.body).toMatchObject({ code: 'HTTP_UNAUTHENTICATED', message: { zh: expect.any(String), en: expect.any(String) } });
    expect((await call(handler, 'GET', `/v1/instances/${enc('c1/u01')}`)).status).toBe(401);
    expect((await call(handler, 'POST', '/v1/campaigns', { body: { process: PROCESS, organisation: sampleOrganisation(1, 1), campaignId: 'c2' } })).status).toBe(401);
    expect((await engine.state('c1/u01')).revision).toBe(1);
    expect(await engine.store.getCampaign('c2')).toBeUndefined();
  });

  it('answers 403 when the actor lacks the role the task names, and changes nothing', async () => {
    const { handler, engine } = setup;
    const denied = await call(handler, 'POST', `/v1/instances/${enc('c1/u01')}/events`, {
      user: 'member',
      body: { type: 'task.completed', task: '支部组织动员' },
    });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'ENGINE_FORBIDDEN', details: { role: '支部' } });
    expect((await engine.state('c1/u01')).revision).toBe(1);
  });

  it('maps engine errors to 404 and 422', async () => {
    const { handler } = setup;
    // Asked by the office at the root: a unit that is not there is an honest 404 (to a unit's member, 403).
    const missing = await call(handler, 'GET', `/v1/instances/${enc('c1/nowhere')}`, { user: 'office' });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('ENGINE_INSTANCE_NOT_FOUND');
    // An actor of the whole organisation learns that a campaign is not there; one limited to units
    // with none in it is refused without learning whether it exists.
    expect((await call(handler, 'GET', '/v1/campaigns/nope/instances', { user: 'admin' })).body.code).toBe('ENGINE_CAMPAIGN_NOT_FOUND');
    expect((await call(handler, 'GET', '/v1/campaigns/nope/instances', { user: 'office' })).body.code).toBe('HTTP_FORBIDDEN');
    expect((await call(handler, 'GET', '/v1/processes/nope', { user: 'office' })).body.code).toBe('ENGINE_PROCESS_NOT_FOUND');
    expect((await call(handler, 'GET', `/v1/processes/${enc(PROCESS)}?version=9`, { user: 'office' })).status).toBe(404);
    const unknown = await call(handler, 'POST', `/v1/instances/${enc('c1/u01')}/events`, { user: 'branch', body: { type: 'task.completed', task: '没有' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('ENGINE_UNKNOWN_TASK');
    const noProcess = await call(handler, 'POST', '/v1/campaigns', { user: 'office', body: { process: 'nope', organisation: sampleOrganisation(1, 1) } });
    expect(noProcess.status).toBe(404);
    const badBody = await call(handler, 'POST', '/v1/campaigns', { user: 'office', raw: JSON.stringify({ organisation: 1 }) });
    expect(badBody.status).toBe(422);
    expect(badBody.body.code).toBe('HTTP_INVALID_BODY');
  });

  it('answers 404 for an unknown route and 405 with Allow for a wrong method', async () => {
    const { handler } = setup;
    const nowhere = await call(handler, 'GET', '/v1/nowhere', { user: 'office' });
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.code).toBe('HTTP_NOT_FOUND');
    const wrong = await call(handler, 'DELETE', `/v1/instances/${enc('c1/u01')}`, { user: 'office' });
    expect(wrong.status).toBe(405);
    expect(wrong.body.code).toBe('HTTP_METHOD_NOT_ALLOWED');
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers 400 for a body that is not JSON', async () => {
    const { handler } = setup;
    const bad = await call(handler, 'POST', `/v1/instances/${enc('c1/u01')}/events`, { user: 'branch', raw: '{"type": "task.completed",' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('HTTP_INVALID_JSON');
    expect((await call(handler, 'POST', '/v1/campaigns', { user: 'office', raw: '' })).status).toBe(400);
  });
});

describe('limits and deploy errors', () => {
  it('answers 413 for a body over maxBodyBytes, declared or streamed', async () => {
    const { handler, engine } = handlerWith({ maxBodyBytes: 1000 });
    const big = JSON.stringify({ files: [{ file: 'big.yaml', text: 'x'.repeat(2000) }] });
    const declared = await call(handler, 'POST', '/v1/processes', { user: 'office', raw: big, headers: { 'content-length': String(big.length) } });
    expect(declared.status).toBe(413);
    expect(declared.body.code).toBe('HTTP_BODY_TOO_LARGE');
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 100) controller.enqueue(bytes.slice(i, i + 100));
        controller.close();
      },
    });
    const streamed = await call(handler, 'POST', '/v1/processes', { user: 'office', raw: stream });
    expect(streamed.status).toBe(413);
    expect(await engine.store.getDefinition('big')).toBeUndefined();
  });

  it('answers 422 with line and column for a YAML error, and deploys nothing', async () => {
    const { handler, engine } = handlerWith();
    const files = processFiles();
    const broken = files.map((f) => (f.file.endsWith('002-jiguan-zuofeng.yaml') ? { ...f, text: f.text.replace('year: 2010', 'year: 2010\nyear: [2011') } : f));
    const answer = await call(handler, 'POST', '/v1/processes', { user: 'office', body: { files: broken } });
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('HTTP_INVALID_DEFINITION');
    const error = answer.body.diagnostics.find((d: { severity: string }) => d.severity === 'error');
    expect(error).toMatchObject({ file: 'processes/002-jiguan-zuofeng.yaml', line: expect.any(Number), column: expect.any(Number) });
    expect(error.line).toBeGreaterThanOrEqual(16);
    expect(await engine.store.getDefinition(PROCESS)).toBeUndefined();
  });
});
