import { sampleOrganisation } from '@luoshi/engine';
import { describe, expect, it } from 'vitest';
import { call, enc, handlerWith, processFiles } from './support.js';

// Request bodies are checked against the schemas of the OpenAPI document (api-schemas.json): a 422
// names the offending field and what was expected there, in both languages. Broken bodies go as
// `raw` text: `call` checks a `body` against the document before sending it.
describe('request bodies checked against the OpenAPI schemas', () => {
  it('names an unknown field and a missing one when starting a campaign', async () => {
    const { handler } = handlerWith();
    const answer = await call(handler, 'POST', '/v1/campaigns', { user: 'office', raw: JSON.stringify({ proces: 'x' }) });
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('HTTP_INVALID_BODY');
    const en = answer.body.message.en as string;
    expect(en).toContain('"proces" is not a known field');
    expect(en).toContain('"process" is missing');
    expect(en).toContain('"organisation" is missing');
    expect(answer.body.message.zh).toContain('缺少 "process"');
  });

  it('names the path of a wrong value deep in the organisation and the expected type', async () => {
    const { handler } = handlerWith();
    const wrongVersion = await call(handler, 'POST', '/v1/campaigns', { user: 'office', raw: JSON.stringify({ process: 'p', version: 1.5, organisation: { id: 'o' } }) });
    expect(wrongVersion.body.message.en).toContain('at /version: expected integer');
    const deep = await call(handler, 'POST', '/v1/campaigns', { user: 'office', raw: JSON.stringify({ process: 'p', organisation: { id: 'o', units: [{ id: 7 }] } }) });
    expect(deep.status).toBe(422);
    expect(deep.body.message.en).toContain('at /organisation/units/0/id: expected string');
  });

  it('refuses a deployment without files, and a file without text', async () => {
    const { handler } = handlerWith();
    const none = await call(handler, 'POST', '/v1/processes', { user: 'office', raw: JSON.stringify({ files: [] }) });
    expect(none.status).toBe(422);
    expect(none.body.message.en).toContain('at /files: expected at least 1 item(s)');
    const noText = await call(handler, 'POST', '/v1/processes', { user: 'office', raw: JSON.stringify({ files: [{ file: 'a.yaml' }] }) });
    expect(noText.body.message.en).toContain('at /files/0: "text" is missing');
  });

  it("checks an event against its own type's shape; an unknown type stays the engine's answer", async () => {
    const { handler } = handlerWith();
    expect((await call(handler, 'POST', '/v1/processes', { user: 'office', body: { files: processFiles() } })).status).toBe(201);
    const started = await call(handler, 'POST', '/v1/campaigns', { user: 'office', body: { process: '机关作风建设年', organisation: sampleOrganisation(2, 2), campaignId: 'c1' } });
    expect(started.status).toBe(201);
    const path = `/v1/instances/${enc('c1/u01')}/events`;
    const noTask = await call(handler, 'POST', path, { user: 'branch', raw: JSON.stringify({ type: 'task.completed', taks: '支部组织动员' }) });
    expect(noTask.status).toBe(422);
    expect(noTask.body.message.en).toContain('"taks" is not a known field');
    expect(noTask.body.message.en).toContain('"task" is missing');
    const unknown = await call(handler, 'POST', path, { user: 'branch', raw: JSON.stringify({ type: 'no.such.event' }) });
    expect(unknown.body.code).toBe('ENGINE_UNKNOWN_EVENT');
    const noType = await call(handler, 'POST', path, { user: 'branch', raw: JSON.stringify({ task: '支部组织动员' }) });
    expect(noType.body.code).toBe('HTTP_INVALID_BODY');
  });
});
