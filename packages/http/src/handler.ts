import { LuoshiError, validateProcessTexts } from '@luoshi/dsl';
import { checkedCampaignId, EngineError, type Engine, type HostEvent, type SendOptions } from '@luoshi/engine';
import type { CloseCampaignRequest, DeployRequest, DeployResponse, ErrorBody, ProcessList, ProcessVersion, StartCampaignRequest } from './api-types.js';
import { holdsAny, holdsRoot, notAdministrator, onPath, outsideUnits, reachesInstance, unitScope, type Access } from './access.js';
import { errorAnswer, fromRequest, jsonAnswer, parseJson, registerAnswering, textAnswer, toResponse, withoutBody, type Answer, type Incoming, type RequestHead } from './exchange.js';
import { HttpError } from './http-error.js';
import { openApiDocument } from './openapi.js';
import { createBodyChecks } from './request-bodies.js';
import { createRouter, type Params } from './router.js';

/** Who sent a request, as the host's `authenticate` established it. */
export interface Actor {
  readonly id: string;
  /**
   * The roles the actor holds (角色): an event needs the role its process file names (a task's
   * `owner`, an evaluation's, inspection's or decision's `by`); deploying and starting need the
   * administrator role (`HandlerOptions.administratorRole`).
   */
  readonly roles: readonly string[];
  /**
   * 所属单位 — the units of the organisation the actor belongs to: it sees and acts on these units'
   * instances and those of the units under them (an office over the units it inspects), nothing
   * else. Leave it out for an actor of the whole organisation (the leading group's office, an
   * administrator); an empty list reaches no unit.
   */
  readonly units?: readonly string[];
}

/** The administrator role by default: deploys process files and starts campaigns. */
export const DEFAULT_ADMINISTRATOR_ROLE = '管理员';
/** Longest accepted `Idempotency-Key` header, in characters. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** The one request handler every host adapter wraps. */
export type Handler = (request: Request, context?: HandlerContext) => Promise<Response>;

/** What a host tells the handler besides the request. */
export interface HandlerContext {
  /**
   * The path the host mounted the API under (`/luoshi`), already removed from `request.url`: the
   * handler routes on the rest and names the prefix in the OpenAPI document's `servers`, so clients
   * generated from it call the mounted paths.
   */
  readonly basePath?: string;
}

/** What the handler runs on. */
export interface HandlerOptions {
  readonly engine: Engine;
  /**
   * Establishes the actor from the request's method, URL and headers (a session cookie, a bearer
   * token); undefined → 401. A Fetch host gets its `Request` here; the Node adapters give the three
   * alone (`RequestHead`), building no `Request`.
   */
  readonly authenticate: (request: RequestHead) => Promise<Actor | undefined>;
  /** Largest accepted request body. Default 1 MB. */
  readonly maxBodyBytes?: number;
  /** Called with every error that is not a Luoshi error (answered 500 HTTP_INTERNAL). Default: console.error. */
  readonly onError?: (error: unknown) => void;
  /** The role that may deploy process files and start campaigns. Default `管理员` (DEFAULT_ADMINISTRATOR_ROLE). */
  readonly administratorRole?: string;
}

interface Call {
  readonly incoming: Incoming;
  readonly url: URL;
  readonly params: Params;
  readonly actor: Actor;
  /** The actor's roles, only texts (an actor without a list of roles holds none). */
  readonly roles: readonly string[];
  /** The units the actor is limited to; undefined: not limited. */
  readonly units: ReadonlySet<string> | undefined;
  body(): Promise<unknown>;
}

type Reply = { readonly status: number; readonly body: unknown };
/** What answers a route, and who may call it (checked before it runs). */
interface Run {
  readonly access: Access;
  /** For `admin` routes: what the actor would do, in both languages, for the 403. */
  readonly action?: readonly [en: string, zh: string];
  run(call: Call): Promise<Reply>;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
/** The statuses a task can have (任务状态), as `?status=` names them. */
const TASK_STATUSES: ReadonlySet<string> = new Set(['waiting', 'open', 'overdue', 'done', 'late']);
const created = (body: unknown): Reply => ({ status: 201, body });

/**
 * Builds the Fetch-API handler of the Luoshi HTTP API (prefix `/v1`, JSON in and out, the OpenAPI
 * document at `/openapi.json`). Host adapters (node:http, Express, Fastify) only translate to it.
 */
export function createHandler(options: HandlerOptions): Handler {
  const { engine, authenticate } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const administratorRole = options.administratorRole ?? DEFAULT_ADMINISTRATOR_ROLE;
  // One serialised document per mount point: a host mounts the API under one path or a few.
  const documents = new Map<string, string>();
  const check = createBodyChecks();

  const route = createRouter<Run>([
    {
      method: 'GET',
      path: '/v1/processes',
      run: {
        access: 'any',
        run: async () => {
          const list: ProcessList = { processes: await engine.processes() };
          return ok(list);
        },
      },
    },
    {
      method: 'GET',
      path: '/v1/processes/:id',
      run: {
        access: 'any',
        run: async ({ params, url }) => {
          const version = url.searchParams.get('version');
          const record = await engine.store.getDefinition(params.id as string, version === null ? undefined : Number(version));
          if (!record) throw new EngineError('ENGINE_PROCESS_NOT_FOUND', { id: version === null ? (params.id as string) : `${params.id}@${version}` });
          const found: ProcessVersion = { processId: record.processId, version: record.version, hash: record.hash, deployedAt: record.deployedAt, bundle: JSON.parse(record.body) };
          return ok(found);
        },
      },
    },
    {
      method: 'POST',
      path: '/v1/processes',
      run: {
        access: 'admin',
        action: ['deploy process files', '部署过程文件'],
        run: async (call) => {
          const body = await call.body();
          check('DeployRequest', body);
          const result = validateProcessTexts((body as DeployRequest).files);
          if (!result.ok) {
            const errors = result.diagnostics.filter((d) => d.severity === 'error');
            throw new HttpError('HTTP_INVALID_DEFINITION', { count: errors.length }, { diagnostics: result.diagnostics });
          }
          const deployed: DeployResponse = { versions: await engine.deploy(result), diagnostics: result.diagnostics };
          return created(deployed);
        },
      },
    },
    {
      method: 'POST',
      path: '/v1/campaigns',
      run: {
        access: 'admin',
        action: ['start a campaign', '启动活动'],
        run: async (call) => {
          const raw = await call.body();
          // The document's pattern and lengths refuse the same ids as the engine (HTTP_INVALID_BODY
          // would say so too); the engine's check first keeps the answer its code and its message.
          if (typeof raw === 'object' && raw !== null && Object.hasOwn(raw, 'campaignId') && typeof (raw as { campaignId: unknown }).campaignId === 'string') checkedCampaignId((raw as { campaignId: string }).campaignId);
          check('StartCampaignRequest', raw);
          const body = raw as StartCampaignRequest;
          const started = await engine.startCampaign({
            process: body.process,
            organisation: body.organisation,
            ...(body.version === undefined ? {} : { version: body.version }),
            ...(body.campaignId === undefined ? {} : { campaignId: body.campaignId }),
          });
          return created(started);
        },
      },
    },
    {
      // 终止活动: the office that issued the campaign (its root unit) closes it, or the part under a unit.
      method: 'POST',
      path: '/v1/campaigns/:id/close',
      run: {
        access: 'office',
        run: async (call) => {
          const key = idempotencyKeyOf(call.incoming);
          const raw = await call.body();
          check('CloseCampaignRequest', raw);
          const body = raw as CloseCampaignRequest;
          const at = body.at === undefined ? undefined : instantOf(body.at);
          // The pattern lets through a day no calendar has (2026-02-30): refused as the body's, not the clock's.
          if (at === null)
            throw new HttpError('HTTP_INVALID_BODY', { detail: `at /at: "${body.at}" is no date and time`, detailZh: `/at 处“${body.at}”不是有效的日期时间` });
          const closed = await engine.closeCampaign(call.params.id as string, {
            actor: call.actor.id,
            roles: call.roles,
            reason: body.reason,
            ...(body.unit === undefined ? {} : { unit: body.unit }),
            ...(at === undefined || at === null ? {} : { at }),
            ...(key ? { idempotencyKey: key } : {}),
          });
          return ok(closed);
        },
      },
    },
    {
      method: 'GET',
      path: '/v1/campaigns/:id/rollup',
      run: { access: 'unit', run: async ({ params, url }) => ok(await oneUnit(params.id as string, url, (c, u) => engine.rollup(c, u))) },
    },
    {
      method: 'GET',
      path: '/v1/campaigns/:id/outcomes',
      run: { access: 'unit', run: async ({ params, url }) => ok(await oneUnit(params.id as string, url, (c, u) => engine.outcomes(c, u))) },
    },
    {
      method: 'GET',
      path: '/v1/campaigns/:id/items',
      run: { access: 'unit', run: async ({ params, url }) => ok(await oneUnit(params.id as string, url, (c, u) => engine.items(c, u))) },
    },
    {
      method: 'GET',
      path: '/v1/campaigns/:id/instances',
      run: {
        access: 'campaign',
        run: async ({ params, units }) => {
          const all = await engine.instances(params.id as string);
          return ok(units === undefined ? all : all.filter((i) => onPath(i.unitPath, units)));
        },
      },
    },
    {
      // 待审批延期申请: the inbox of the office that issued the campaign (its root), as the standings.
      method: 'GET',
      path: '/v1/campaigns/:id/extensions',
      run: { access: 'office', run: async ({ params, url }) => ok(await oneUnit(params.id as string, url, (c, u) => engine.extensions(c, u))) },
    },
    {
      method: 'GET',
      path: '/v1/campaigns/:id/rankings/:ranking',
      run: { access: 'office', run: async ({ params }) => ok(await engine.standings(params.id as string, params.ranking as string)) },
    },
    { method: 'GET', path: '/v1/instances/:id', run: { access: 'instance', run: async ({ params }) => ok(await engine.state(params.id as string)) } },
    { method: 'GET', path: '/v1/instances/:id/history', run: { access: 'instance', run: async ({ params }) => ok(await engine.history(params.id as string)) } },
    {
      method: 'GET',
      path: '/v1/instances/:id/tasks',
      run: {
        access: 'instance',
        run: async ({ params, url }) => {
        const q = url.searchParams;
        const status = q.getAll('status').flatMap((s) => s.split(',')).filter((s) => s !== '');
        // A status no task can have is a mistake, not a filter that matches nothing.
        const unknown = status.find((s) => !TASK_STATUSES.has(s));
        if (unknown !== undefined)
          throw new HttpError('HTTP_INVALID_QUERY', {
            name: 'status',
            detail: `"${unknown.slice(0, 40)}" is no task status; one of ${[...TASK_STATUSES].join(', ')}`,
            detailZh: `“${unknown.slice(0, 40)}”不是任务状态，应为 ${[...TASK_STATUSES].join('、')} 之一`,
          });
        const member = q.get('member');
        const owner = q.get('owner');
        return ok(
          await engine.tasks(params.id as string, {
            ...(status.length > 0 ? { status } : {}),
            ...(member === null ? {} : { member }),
            ...(owner === null ? {} : { owner }),
          }),
        );
        },
      },
    },
    { method: 'GET', path: '/v1/instances/:id/subjects', run: { access: 'instance', run: async ({ params }) => ok(await engine.subjects(params.id as string)) } },
    {
      method: 'POST',
      path: '/v1/instances/:id/events',
      run: {
        access: 'instance',
        run: async (call) => {
          const key = idempotencyKeyOf(call.incoming);
          const event = await call.body();
          check('HostEvent', event);
          // The roles are always given, a list of texts, so the engine always checks them: an actor
          // without roles holds none (given none, the engine would check nothing).
          const sendOptions: SendOptions = { actor: call.actor.id, roles: call.roles, ...(key ? { idempotencyKey: key } : {}) };
          return ok(await engine.send(call.params.id as string, event as unknown as HostEvent, sendOptions));
        },
      },
    },
  ]);

  /**
   * A campaign's read of one unit (`?unit=`) or of the whole. Asked of a unit, a campaign that is not
   * there answers as a unit that is not there does (404 ENGINE_INSTANCE_NOT_FOUND): an actor allowed
   * to ask of its own unit learns nothing of which campaign ids exist.
   */
  async function oneUnit<T>(campaignId: string, url: URL, read: (campaignId: string, unitId: string | undefined) => Promise<T>): Promise<T> {
    const unit = url.searchParams.get('unit');
    try {
      return await read(campaignId, unit ?? undefined);
    } catch (error) {
      if (unit !== null && error instanceof EngineError && error.code === 'ENGINE_CAMPAIGN_NOT_FOUND')
        throw new EngineError('ENGINE_INSTANCE_NOT_FOUND', { id: `${campaignId}/${unit}` }, { cause: error });
      throw error;
    }
  }

  /** Refuses (403) a call its actor may not make, before the route reads its body or the engine. */
  async function authorise(run: Run, call: Call): Promise<void> {
    const { units, actor, params } = call;
    if (run.access === 'any') return;
    if (run.access === 'admin') {
      const [action, actionZh] = run.action ?? ['do this', '执行此操作'];
      if (!call.roles.includes(administratorRole)) throw notAdministrator(actor.id, action, actionZh, administratorRole);
      return;
    }
    if (units === undefined) return;
    const id = params.id as string;
    switch (run.access) {
      case 'instance':
        if (!(await reachesInstance(engine.store, id, units))) throw outsideUnits(actor.id, id, units);
        return;
      case 'unit': {
        const unit = call.url.searchParams.get('unit');
        const allowed = unit === null ? await holdsRoot(engine.store, id, units) : await reachesInstance(engine.store, `${id}/${unit}`, units);
        if (!allowed) throw outsideUnits(actor.id, unit === null ? wholeCampaign(id) : `${id}/${unit}`, units);
        return;
      }
      case 'campaign':
        if (!(await holdsAny(engine.store, id, units))) throw outsideUnits(actor.id, { en: `campaign ${id}`, zh: `活动 ${id}` }, units);
        return;
      case 'office':
        if (!(await holdsRoot(engine.store, id, units))) throw outsideUnits(actor.id, wholeCampaign(id), units);
        return;
    }
  }

  /** The answer to one request, whatever carried it (see `Incoming`); to HEAD, GET's without its body. */
  async function answer(incoming: Incoming, context: HandlerContext | undefined): Promise<Answer> {
    const full = await answerInFull(incoming, context);
    return incoming.method === 'HEAD' ? withoutBody(full) : full;
  }

  async function answerInFull(incoming: Incoming, context: HandlerContext | undefined): Promise<Answer> {
    try {
      const { url, method } = incoming;
      const basePath = normaliseBasePath(context?.basePath);
      // Errors name the path the client asked for, prefix included.
      const asked = `${basePath}${url.pathname}`;
      // `//x/v1/…` is another host's URL to a URL parser (a `\\` reads as `/` there): never routed.
      if (url.pathname.startsWith('//')) throw new HttpError('HTTP_INVALID_TARGET', { target: asked.slice(0, 200) });
      if (url.pathname === '/openapi.json') {
        if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, asked, ['GET', 'HEAD']);
        let document = documents.get(basePath);
        if (document === undefined) {
          document = JSON.stringify(openApiDocument(basePath === '' ? {} : { basePath }));
          documents.set(basePath, document);
        }
        return textAnswer(200, document);
      }
      const match = route(method, url.pathname);
      if (match.kind === 'none') throw new HttpError('HTTP_NOT_FOUND', { method, path: asked });
      if (match.kind === 'method') throw methodNotAllowed(method, asked, match.allowed);
      const actor = await authenticate(incoming.head());
      // A host that gives an actor without an id has established no one.
      if (typeof actor !== 'object' || actor === null || typeof actor.id !== 'string') throw new HttpError('HTTP_UNAUTHENTICATED');
      const roles = Array.isArray(actor.roles) ? actor.roles.filter((r): r is string => typeof r === 'string') : [];
      const call: Call = {
        incoming,
        url,
        params: match.params,
        actor,
        roles,
        units: unitScope(actor.units),
        body: async () => parseJson(await incoming.readBody(maxBodyBytes)),
      };
      await authorise(match.route.run, call);
      const reply = await match.route.run.run(call);
      return jsonAnswer(reply.status, reply.body);
    } catch (error) {
      if (!(error instanceof LuoshiError)) (options.onError ?? console.error)(error);
      return errorAnswer(error);
    }
  }

  const handler: Handler = async (request, context) => toResponse(await answer(fromRequest(request), context));
  registerAnswering(handler, answer);
  return handler;
}

/**
 * The instant of an ISO 8601 date and time with its offset, as the body's pattern has it, or null
 * for a day or time no calendar has (2026-02-30, 24:10): `Date.parse` would roll it over into the next.
 */
function instantOf(text: string): number | null {
  const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(text);
  const ms = Date.parse(text);
  if (parts === null || Number.isNaN(ms)) return null;
  const [y, mo, d, h, mi] = parts.slice(1).map(Number) as [number, number, number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h < 24 && mi < 60 ? ms : null;
}

/** The request's `Idempotency-Key`, or null; one longer than MAX_IDEMPOTENCY_KEY_LENGTH is refused (400 HTTP_INVALID_HEADER). */
function idempotencyKeyOf(incoming: Incoming): string | null {
  const key = incoming.header('idempotency-key');
  if (key !== null && key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    throw new HttpError('HTTP_INVALID_HEADER', {
      name: 'Idempotency-Key',
      detail: `longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
      detailZh: `超过 ${MAX_IDEMPOTENCY_KEY_LENGTH} 个字符`,
    });
  return key;
}

/** A whole campaign as a refusal names it, in both languages. */
function wholeCampaign(id: string): { readonly en: string; readonly zh: string } {
  return { en: `the whole of campaign ${id}`, zh: `活动 ${id} 的全部单位` };
}

/** `''` for the root, else `/a/b` without a trailing slash, so `${basePath}${path}` is the mounted path. */
function normaliseBasePath(basePath: string | undefined): string {
  if (basePath === undefined) return '';
  const trimmed = basePath.replace(/\/+$/, '');
  return trimmed === '' ? '' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function methodNotAllowed(method: string, path: string, allowed: readonly string[]): HttpError {
  return new HttpError('HTTP_METHOD_NOT_ALLOWED', { method, path, allowed: allowed.join(', ') }, { allow: allowed.join(', ') });
}

/** Turns any thrown value into the error JSON with the status of its code, as a Fetch `Response`. */
export function errorResponse(error: unknown): Response {
  return toResponse(errorAnswer(error));
}
