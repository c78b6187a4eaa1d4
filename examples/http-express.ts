// The Luoshi HTTP API inside an Express 5 app that already has its own routes: the handler is
// mounted under /luoshi, the host's login turns a header into an actor. Run: npx tsx examples/http-express.ts
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { validateProcessPaths } from '@luoshi/dsl';
import { createEngine, createMemoryStore, sampleOrganisation, VirtualClock } from '@luoshi/engine';
import { createHandler, expressMiddleware } from '@luoshi/http';

const engine = createEngine({ store: createMemoryStore(), clock: new VirtualClock(Date.parse('2010-05-10T09:00:00+08:00')) });
await engine.deploy(validateProcessPaths(['processes/']));
await engine.startCampaign({ process: '机关作风建设年', campaignId: 'oa', organisation: sampleOrganisation(2, 1) });

// The host's own session decides who is calling (here: a header an SSO proxy would set).
const handler = createHandler({
  engine,
  authenticate: async (request) => {
    const user = request.headers.get('x-oa-user');
    return user ? { id: user, roles: ['支部'] } : undefined;
  },
});

const app = express();
app.get('/health', (_req, res) => void res.json({ ok: true })); // the OA system's own route
app.use('/luoshi', expressMiddleware(handler));
const server = app.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const health = await fetch(`${base}/health`);
const sent = await fetch(`${base}/luoshi/v1/instances/${encodeURIComponent('oa/u01')}/events`, {
  method: 'POST',
  headers: { 'x-oa-user': 'zhangsan', 'content-type': 'application/json' },
  body: JSON.stringify({ type: 'task.completed', task: '支部组织动员' }),
});
const state = (await (await fetch(`${base}/luoshi/v1/instances/${encodeURIComponent('oa/u01')}`, { headers: { 'x-oa-user': 'zhangsan' } })).json()) as { phase: string; revision: number };
console.log(`health ${health.status}; event ${sent.status}; oa/u01 in ${state.phase} at revision ${state.revision}`);
server.close();
await engine.close();
