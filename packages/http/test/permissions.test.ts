import { createEngine, createMemoryStore, VirtualClock, type Engine, type OrganisationUnit } from '@luoshi/engine';
import { createHandler, type Actor } from '@luoshi/http';
import { validateParsedFiles, parseProcessText } from '@luoshi/dsl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hosts, type Host } from './hosts.js';
import { conforms, processFiles, shanghai } from './support.js';

// Every route × {no token, unknown token, wrong role, wrong unit, right} on every adapter: the
// permission table of docs/http.md, row by row. Expected answers are the table's, by hand.

/** 区委 office → town t1 → branches u01, u02; and u03 directly under the office. */
const organisation: OrganisationUnit = {
  id: 'office',
  units: [
    { id: 't1', units: [{ id: 'u01', members: [{ id: 'u01-m1' }, { id: 'u01-m2' }] }, { id: 'u02', members: [{ id: 'u02-m1' }] }] },
    { id: 'u03', members: [{ id: 'u03-m1' }] },
  ],
};

const OFFICE_ROLES = ['领导小组', '市民政局党办', '市直机关党工委', '上级党工委', '考评办公室'];
const actors = new Map<string, Actor>([
  ['admin', { id: '管理员甲', roles: ['管理员'] }],
  // An administrator limited to u03: deploying and starting are not a unit's acts, units do not limit them.
  ['admin-u03', { id: '管理员乙', roles: ['管理员'], units: ['u03'] }],
  // The office at the root, with every office role but not the administrator's.
  ['office', { id: '王主任', roles: OFFICE_ROLES, units: ['office'] }],
  ['town', { id: '镇办甲', roles: ['支部', '支部书记'], units: ['t1'] }],
  ['branch', { id: '张三', roles: ['支部', '支部书记'], units: ['u01'] }],
  ['member', { id: '李四', roles: ['党员'], units: ['u01'] }],
  // Every role of the process, in another unit.
  ['other', { id: '赵六', roles: ['支部', '支部书记', ...OFFICE_ROLES], units: ['u03'] }],
  // Of a unit no campaign has.
  ['stranger', { id: '钱七', roles: ['支部', ...OFFICE_ROLES], units: ['elsewhere'] }],
]);

type Answer = { readonly status: number; readonly body: any };
interface Expect {
  readonly user: string;
  readonly status: number;
  readonly code?: string;
  readonly check?: (body: any) => void;
}
interface Row {
  readonly method: string;
  readonly path: string;
  readonly body?: () => unknown;
  readonly wrongRole: Expect;
  readonly wrongUnit: Expect;
  readonly right: Expect;
}

const u01 = `/v1/instances/${encodeURIComponent('c/u01')}`;
const ids = (body: { instanceId: string }[]) => body.map((i) => i.instanceId);
let started = 0;
const forbidden = (user: string): Expect => ({ user, status: 403, code: 'HTTP_FORBIDDEN' });
const roleForbidden = (user: string): Expect => ({ user, status: 403, code: 'ENGINE_FORBIDDEN' });

const rows: readonly Row[] = [
  // Process files: any authenticated actor reads them; deploying needs the administrator role.
  { method: 'GET', path: '/v1/processes', wrongRole: { user: 'member', status: 200 }, wrongUnit: { user: 'stranger', status: 200 }, right: { user: 'branch', status: 200 } },
  {
    method: 'GET',
    path: `/v1/processes/${encodeURIComponent('机关作风建设年')}`,
    wrongRole: { user: 'member', status: 200 },
    wrongUnit: { user: 'stranger', status: 200 },
    right: { user: 'branch', status: 200 },
  },
  {
    method: 'POST',
    path: '/v1/processes',
    body: () => ({ files: processFiles() }),
    wrongRole: forbidden('office'),
    wrongUnit: { user: 'admin-u03', status: 201 },
    right: { user: 'admin', status: 201 },
  },
  {
    method: 'POST',
    path: '/v1/campaigns',
    body: () => ({ process: '机关作风建设年', organisation, campaignId: `s${++started}` }),
    wrongRole: forbidden('office'),
    wrongUnit: { user: 'admin-u03', status: 201 },
    right: { user: 'admin', status: 201 },
  },
  // A campaign's instances: narrowed to the actor's units and those under them.
  {
    method: 'GET',
    path: '/v1/campaigns/c/instances',
    wrongRole: { user: 'member', status: 200, check: (body) => expect(ids(body)).toEqual(['c/u01']) },
    wrongUnit: forbidden('stranger'),
    right: { user: 'town', status: 200, check: (body) => expect(ids(body)).toEqual(['c/t1', 'c/u01', 'c/u02']) },
  },
  { method: 'GET', path: '/v1/campaigns/c/rollup?unit=u01', wrongRole: { user: 'member', status: 200 }, wrongUnit: forbidden('other'), right: { user: 'town', status: 200 } },
  // 督办事项: as the roll-up, a unit and the offices above it.
  { method: 'GET', path: '/v1/campaigns/c/items?unit=u01', wrongRole: { user: 'member', status: 200 }, wrongUnit: forbidden('other'), right: { user: 'town', status: 200 } },
  { method: 'GET', path: '/v1/campaigns/c/items', wrongRole: { user: 'member', status: 403, code: 'HTTP_FORBIDDEN' }, wrongUnit: forbidden('town'), right: { user: 'office', status: 200 } },
  // The whole campaign: only the office at its root.
  { method: 'GET', path: '/v1/campaigns/c/rollup', wrongRole: { user: 'member', status: 403, code: 'HTTP_FORBIDDEN' }, wrongUnit: forbidden('town'), right: { user: 'office', status: 200 } },
  // A unit's member does not see the office above it.
  {
    method: 'GET',
    path: '/v1/campaigns/c/outcomes?unit=t1',
    wrongRole: { user: 'member', status: 403, code: 'HTTP_FORBIDDEN' },
    wrongUnit: forbidden('branch'),
    right: { user: 'town', status: 200, check: (body) => expect(body.unitId).toBe('t1') },
  },
  // 待审批延期申请: the inbox of the office that issued the campaign, as the standings.
  { method: 'GET', path: '/v1/campaigns/c/extensions', wrongRole: { user: 'member', status: 403, code: 'HTTP_FORBIDDEN' }, wrongUnit: forbidden('town'), right: { user: 'office', status: 200 } },
  {
    method: 'GET',
    path: `/v1/campaigns/c/rankings/${encodeURIComponent('十佳单位评选')}`,
    wrongRole: { user: 'member', status: 403, code: 'HTTP_FORBIDDEN' },
    wrongUnit: forbidden('town'),
    right: { user: 'office', status: 200 },
  },
  // An instance: its unit and the offices above it.
  { method: 'GET', path: u01, wrongRole: { user: 'member', status: 200 }, wrongUnit: forbidden('other'), right: { user: 'town', status: 200 } },
  { method: 'GET', path: `/v1/instances/${encodeURIComponent('c/t1')}`, wrongRole: { user: 'office', status: 200 }, wrongUnit: forbidden('branch'), right: { user: 'town', status: 200 } },
  { method: 'GET', path: `${u01}/history`, wrongRole: { user: 'member', status: 200 }, wrongUnit: forbidden('other'), right: { user: 'branch', status: 200 } },
  { method: 'GET', path: `${u01}/tasks?status=open`, wrongRole: { user: 'member', status: 200 }, wrongUnit: forbidden('other'), right: { user: 'branch', status: 200 } },
  { method: 'GET', path: `${u01}/subjects`, wrongRole: { user: 'member', status: 200 }, wrongUnit: forbidden('other'), right: { user: 'office', status: 200 } },
  // A unit that is not there: 404 only to one who would see it if it were (the root's office).
  {
    method: 'GET',
    path: `/v1/instances/${encodeURIComponent('c/nowhere')}`,
    wrongRole: forbidden('member'),
    wrongUnit: forbidden('branch'),
    right: { user: 'office', status: 404, code: 'ENGINE_INSTANCE_NOT_FOUND' },
  },
  // Events: the unit (or an office above it) and the role the process names.
  {
    method: 'POST',
    path: `${u01}/events`,
    body: () => ({ type: 'task.completed', task: '支部组织动员' }),
    wrongRole: roleForbidden('member'),
    wrongUnit: forbidden('other'),
    right: { user: 'branch', status: 200, check: (body) => expect(body.revision).toBe(2) },
  },
  {
    method: 'POST',
    path: `${u01}/events`,
    body: () => ({ type: 'finding.recorded', inspection: '明查暗访' }),
    wrongRole: roleForbidden('branch'),
    wrongUnit: forbidden('other'),
    // 明查暗访 runs in 组织实施 (6月至11月); in April the right inspector learns so (409), a wrong one only 403.
    right: { user: 'office', status: 409, code: 'ENGINE_INSPECTION_NOT_ACTIVE' },
  },
  {
    method: 'POST',
    path: `${u01}/events`,
    body: () => ({ type: 'complaint.verified', member: 'u01-m1' }),
    wrongRole: roleForbidden('branch'),
    wrongUnit: forbidden('other'),
    right: { user: 'office', status: 200 },
  },
  {
    method: 'POST',
    path: `${u01}/events`,
    body: () => ({ type: 'notified', member: 'u01-m1', inspection: '专项督查抽查' }),
    wrongRole: roleForbidden('member'),
    wrongUnit: forbidden('other'),
    right: { user: 'office', status: 200 },
  },
  // A score before its phase: the right scorer learns the state (409), a wrong one only 403.
  {
    method: 'POST',
    path: `${u01}/events`,
    body: () => ({ type: 'score.given', evaluation: '抽查评议得分', score: 80 }),
    wrongRole: roleForbidden('branch'),
    wrongUnit: forbidden('other'),
    right: { user: 'office', status: 409, code: 'ENGINE_TASK_NOT_OPEN' },
  },
];

async function setUp(): Promise<Engine> {
  const engine = createEngine({ store: createMemoryStore(), clock: new VirtualClock(shanghai('2010-04-01T09:00:00')) });
  await engine.deploy(validateParsedFiles(processFiles().map((f) => parseProcessText(f.text, f.file))));
  await engine.startCampaign({ process: '机关作风建设年', organisation, campaignId: 'c' });
  return engine;
}

describe.each(Object.keys(hosts))('permissions on the %s adapter', (name) => {
  let engine: Engine;
  let host: Host;
  beforeAll(async () => {
    engine = await setUp();
    const handler = createHandler({ engine, authenticate: async (request) => actors.get(/^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? '') });
    host = await hosts[name]!(handler);
  });
  afterAll(() => host.close());

  async function send(row: Row, token: string | undefined): Promise<Answer> {
    const body = row.body?.();
    const response = await fetch(`${host.base}${row.path}`, {
      method: row.method,
      headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = await response.json();
    conforms(row.method, row.path, response.status, json);
    return { status: response.status, body: json };
  }

  it.each(rows.map((row) => [`${row.method} ${decodeURIComponent(row.path)} (${row.body?.() ? JSON.stringify(row.body()).slice(0, 60) : ''})`, row] as const))(
    '%s',
    async (_label, row) => {
      const revision = async () => (await engine.state('c/u01')).revision;
      const before = await revision();
      for (const token of [undefined, 'nobody', 'constructor', '__proto__']) {
        const answer = await send(row, token);
        expect(answer.status, `token ${token}`).toBe(401);
        expect(answer.body.code).toBe('HTTP_UNAUTHENTICATED');
      }
      for (const [kind, expected] of [['wrong role', row.wrongRole], ['wrong unit', row.wrongUnit], ['right', row.right]] as const) {
        const answer = await send(row, expected.user);
        expect(answer.status, `${kind} (${expected.user}): ${JSON.stringify(answer.body).slice(0, 300)}`).toBe(expected.status);
        if (expected.code) expect(answer.body.code, kind).toBe(expected.code);
        expected.check?.(answer.body);
        // A refusal changes nothing.
        if (answer.status >= 400) expect(await revision(), kind).toBe(before);
      }
    },
  );

  it('refuses a wrong role with 403 once the task is done, not with 409: the state is not revealed', async () => {
    const row: Row = { method: 'POST', path: `${u01}/events`, body: () => ({ type: 'task.completed', task: '支部组织动员' }), wrongRole: roleForbidden('member'), wrongUnit: forbidden('other'), right: { user: 'branch', status: 409 } };
    expect((await send(row, 'branch')).body.code).toBe('ENGINE_TASK_NOT_OPEN');
    expect(await send(row, 'member')).toMatchObject({ status: 403, body: { code: 'ENGINE_FORBIDDEN' } });
    expect(await send(row, 'other')).toMatchObject({ status: 403, body: { code: 'HTTP_FORBIDDEN' } });
    // An unknown member named by one who may not act: refused before the unit's members are looked at.
    const named: Row = { ...row, body: () => ({ type: 'complaint.verified', member: 'no-such-member' }) };
    expect(await send(named, 'branch')).toMatchObject({ status: 403, body: { code: 'ENGINE_FORBIDDEN' } });
    expect(await send(named, 'office')).toMatchObject({ status: 422, body: { code: 'ENGINE_UNKNOWN_MEMBER' } });
  });
});
