// Serving the Luoshi HTTP API with node:http: an engine on a memory store, a toy bearer-token
// `authenticate`, the server on an ephemeral port, a few requests with fetch, then shut down.
// Run with: npx tsx examples/http-node.ts
import { readdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createEngine, createMemoryStore, VirtualClock } from '@luoshi/engine';
import { createHandler, toNodeListener, type Actor } from '@luoshi/http';

// 1. The engine (a virtual clock in April 2010, the year of the bundled campaign) and who may call it.
const engine = createEngine({ store: createMemoryStore(), clock: new VirtualClock(Date.parse('2010-04-01T09:00:00+08:00')) });
// In a Map, so only these tokens are found (an object's `tokens['constructor']` would be a function).
// The office administers (管理员: deploys, starts) and sees the whole organisation; the branch's
// people see and act on their own unit only (`units`).
const tokens = new Map<string, Actor>([
  ['token-office', { id: '王主任', roles: ['管理员', '领导小组', '市民政局党办'] }],
  ['token-branch', { id: '张三', roles: ['支部', '支部书记'], units: ['办公室支部'] }],
  ['token-member', { id: '李四', roles: ['党员'], units: ['办公室支部'] }],
]);
const handler = createHandler({
  engine,
  authenticate: async (request) => tokens.get(request.headers.get('authorization')?.replace(/^Bearer /, '') ?? ''),
});

// 2. Serve it. Express: app.use(expressMiddleware(handler)); Fastify: app.register(fastifyPlugin(handler)).
const server = createServer(toNodeListener(handler)).listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
console.log('listening on', base);

async function request(method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = await response.json();
  console.log(`${method} ${decodeURIComponent(path)} → ${response.status}`, JSON.stringify(json).slice(0, 160));
  return json;
}

// 3. Deploy the bundled process files (campaigns with their sub-processes), start a campaign.
const files = ['processes', 'processes/subprocesses'].flatMap((dir) =>
  readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') })),
);
await request('POST', '/v1/processes', 'token-office', { files });
await request('POST', '/v1/campaigns', 'token-office', {
  process: '机关作风建设年',
  campaignId: 'demo',
  organisation: { id: '市民政局', units: [{ id: '办公室支部', members: [{ id: '张三' }, { id: '李四' }] }] },
});

// 4. Work on one unit's instance: the id `demo/办公室支部` is URL-encoded in the path.
const unit = `/v1/instances/${encodeURIComponent('demo/办公室支部')}`;
await request('GET', `${unit}/tasks?status=open`, 'token-branch');
await request('POST', `${unit}/events`, 'token-member', { type: 'task.completed', task: '支部组织动员' }); // 403: 党员 lacks 支部
await request('POST', `${unit}/events`, 'token-branch', { type: 'task.completed', task: '支部组织动员' }, { 'idempotency-key': 'req-1' });
await request('POST', `${unit}/events`, 'token-branch', { type: 'task.completed', task: '支部组织动员' }, { 'idempotency-key': 'req-1' }); // duplicate
await request('GET', unit); // 401: no credentials
await request('GET', unit, 'token-branch');
await request('GET', '/v1/campaigns/demo/rollup', 'token-office');

// 5. Shut down: the server, then the engine.
server.close();
await once(server, 'close');
await engine.close();
console.log('closed');
