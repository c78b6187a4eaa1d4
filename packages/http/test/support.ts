import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, createMemoryStore, sampleOrganisation, VirtualClock, type Engine } from '@luoshi/engine';
import { createHandler, openApiDocument, type Actor, type Handler, type RequestHead } from '@luoshi/http';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'vitest';

export const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Milliseconds of a wall-clock time in Shanghai. */
export const shanghai = (iso: string): number => Date.parse(`${iso}+08:00`);

/** The bundled process files as `{ file, text }`, the body of `POST /v1/processes`. */
export function processFiles(): { file: string; text: string }[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []));
  return walk(join(root, 'processes')).map((path) => ({ file: relative(root, path), text: readFileSync(path, 'utf8') }));
}

/**
 * Users of the tests: `Authorization: Bearer <name>`. In a Map: a token is only ever one named here
 * (`users[token]` on an object would find `constructor`).
 */
export const users: ReadonlyMap<string, Actor> = new Map<string, Actor>([
  // The leading group's office: administrator, every office role, the whole organisation.
  ['office', { id: '王主任', roles: ['管理员', '领导小组', '市民政局党办', '市直机关党工委', '上级党工委', '考评办公室'], units: ['office'] }],
  ['branch', { id: '张三', roles: ['支部', '支部书记'], units: ['u01'] }],
  ['member', { id: '李四', roles: ['党员'], units: ['u01'] }],
  // The branch of another unit: the right roles, the wrong unit.
  ['other', { id: '赵六', roles: ['支部', '支部书记'], units: ['u02'] }],
  // An administrator of no unit in particular.
  ['admin', { id: '管理员甲', roles: ['管理员'] }],
]);

export async function authenticate(request: RequestHead): Promise<Actor | undefined> {
  const token = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
  return token === undefined ? undefined : users.get(token);
}

/** A handler on an engine with a memory store and a virtual clock in April 2010. */
export function handlerWith(options: { maxBodyBytes?: number } = {}): { engine: Engine; clock: VirtualClock; handler: Handler } {
  const clock = new VirtualClock(shanghai('2010-04-01T09:00:00'));
  const engine = createEngine({ store: createMemoryStore(), clock });
  return { engine, clock, handler: createHandler({ engine, authenticate, ...options }) };
}

// --- OpenAPI conformance -------------------------------------------------------------------------

type Doc = { paths: Record<string, Record<string, Operation>> };
type Operation = {
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
};

export const document = openApiDocument() as unknown as Doc;
const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
ajv.addSchema(document as object, 'openapi.json');

function validatorFor(schema: { $ref?: string } | undefined) {
  if (!schema?.$ref) return undefined;
  return ajv.compile({ $ref: `openapi.json${schema.$ref}` });
}

/** Compiles the body schema of every request and response the document lists (each $ref resolves). */
export function compileEverySchema(): number {
  let count = 0;
  for (const item of Object.values(document.paths))
    for (const operation of Object.values(item)) {
      const contents = [operation.requestBody?.content, ...Object.values(operation.responses).map((r) => r.content)];
      for (const content of contents) {
        const schema = content?.['application/json']?.schema;
        if (schema?.$ref) {
          expect(validatorFor(schema)).toBeTypeOf('function');
          count++;
        }
      }
    }
  return count;
}

/** The operation of the document answering `method path`, matching `{param}` against one segment. */
export function operationFor(method: string, pathname: string): Operation | undefined {
  for (const [template, item] of Object.entries(document.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (pattern.test(pathname)) return item[method.toLowerCase()];
  }
  return undefined;
}

function check(what: string, schema: { $ref?: string } | undefined, value: unknown): void {
  const validate = validatorFor(schema);
  expect(validate, `${what}: the document has a schema`).toBeDefined();
  const valid = validate!(value);
  expect(valid, `${what}: ${JSON.stringify(validate!.errors, null, 1)}\n${JSON.stringify(value).slice(0, 2000)}`).toBe(true);
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

/**
 * Sends a request to the handler and checks it against the OpenAPI document: the request body
 * (unless `raw` is given: deliberately broken input) and the response for its status.
 */
export async function call(
  handler: Handler,
  method: string,
  path: string,
  options: { user?: string; body?: unknown; raw?: BodyInit; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.user) headers.authorization = `Bearer ${options.user}`;
  let body: BodyInit | undefined = options.raw;
  const url = new URL(path, 'http://localhost');
  const operation = operationFor(method, url.pathname);
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
    if (operation) check(`request ${method} ${path}`, operation.requestBody?.content['application/json']?.schema, options.body);
  }
  const init: RequestInit & { duplex?: 'half' } = { method, headers, ...(body === undefined ? {} : { body }) };
  if (body instanceof ReadableStream) init.duplex = 'half';
  const response = await handler(new Request(url, init));
  const json = await response.json();
  conforms(method, path, response.status, json);
  return { status: response.status, headers: response.headers, body: json };
}

/** Checks an answer against the OpenAPI document: its status is listed for the operation, its body fits. */
export function conforms(method: string, path: string, status: number, json: unknown): void {
  const operation = operationFor(method, new URL(path, 'http://localhost').pathname);
  if (operation) {
    const documented = operation.responses[String(status)];
    expect(documented, `${method} ${path} answered ${status}, which the document does not list`).toBeDefined();
    check(`response ${status} ${method} ${path}`, documented!.content?.['application/json']?.schema, json);
  } else {
    check(`response ${status} ${method} ${path} (no operation)`, { $ref: '#/components/schemas/ErrorBody' }, json);
  }
}

/** URL-encodes an instance id for a path (`c1/u01` → `c1%2Fu01`). */
export const enc = encodeURIComponent;

/**
 * A handler with the seed processes deployed and campaign `c1` of seed 002 started over 2 units × 2
 * members by the administrator, as most tests begin.
 */
export async function startedCampaign(): Promise<ReturnType<typeof handlerWith>> {
  const setup = handlerWith();
  expect((await call(setup.handler, 'POST', '/v1/processes', { user: 'admin', body: { files: processFiles() } })).status).toBe(201);
  const campaign = { process: '机关作风建设年', organisation: sampleOrganisation(2, 2), campaignId: 'c1' };
  expect((await call(setup.handler, 'POST', '/v1/campaigns', { user: 'admin', body: campaign })).status).toBe(201);
  return setup;
}
