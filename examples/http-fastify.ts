// The Luoshi HTTP API registered in a Fastify 5 app next to the host's own routes.
// Run: npx tsx examples/http-fastify.ts
import Fastify from 'fastify';
import { validateProcessPaths } from '@luoshi/dsl';
import { createEngine, createMemoryStore, sampleOrganisation, VirtualClock } from '@luoshi/engine';
import { createHandler, fastifyPlugin } from '@luoshi/http';

const engine = createEngine({ store: createMemoryStore(), clock: new VirtualClock(Date.parse('2010-05-10T09:00:00+08:00')) });
await engine.deploy(validateProcessPaths(['processes/']));
await engine.startCampaign({ process: '机关作风建设年', campaignId: 'portal', organisation: sampleOrganisation(2, 1) });
const handler = createHandler({
  engine,
  authenticate: async (request) => (request.headers.get('authorization') === 'Bearer portal-token' ? { id: '王主任', roles: ['支部'] } : undefined),
});

const app = Fastify();
app.get('/portal/ping', async () => ({ pong: true })); // the portal's own route
await app.register(fastifyPlugin(handler));
const base = await app.listen({ port: 0, host: '127.0.0.1' });

const auth = { authorization: 'Bearer portal-token', 'content-type': 'application/json' };
const ping = await fetch(`${base}/portal/ping`);
const sent = await fetch(`${base}/v1/instances/${encodeURIComponent('portal/u02')}/events`, {
  method: 'POST',
  headers: auth,
  body: JSON.stringify({ type: 'task.completed', task: '支部组织动员' }),
});
const rollup = (await (await fetch(`${base}/v1/campaigns/portal/rollup`, { headers: auth })).json()) as { units: number };
console.log(`ping ${ping.status}; event ${sent.status}; rollup over ${rollup.units} units`);
await app.close();
await engine.close();
