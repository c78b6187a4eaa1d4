import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { HttpError } from './http-error.js';

/**
 * 请求体校验 — the request bodies checked against the same JSON Schemas the OpenAPI document is built
 * from (schema/api-schemas.json, generated from src/api-types.ts), so the document and the checks
 * cannot drift apart. A body that does not fit is refused with 422 HTTP_INVALID_BODY naming each
 * offending field and what was expected there.
 */
export type RequestBody = 'DeployRequest' | 'StartCampaignRequest' | 'CloseCampaignRequest' | 'HostEvent';

/** Checks one request body; throws HttpError('HTTP_INVALID_BODY') when it does not fit. */
export type BodyCheck = (name: RequestBody, body: unknown) => void;

type Schema = Record<string, unknown>;
const API = 'luoshi-api';

/**
 * Builds the checks of one handler. Compiled on first use of each body (compiling costs
 * milliseconds; a handler that never deploys never compiles DeployRequest) and kept by the handler,
 * not the module.
 */
export function createBodyChecks(): BodyCheck {
  const schemas = JSON.parse(readFileSync(new URL('../schema/api-schemas.json', import.meta.url), 'utf8')) as Record<string, Schema>;
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
  // The components under the document path their $refs name (#/components/schemas/X).
  ajv.addSchema({ $id: API, components: { schemas } });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (pointer: string): ValidateFunction => {
    let v = compiled.get(pointer);
    if (v === undefined) compiled.set(pointer, (v = ajv.compile({ $ref: `${API}#/components/schemas/${pointer}` })));
    return v;
  };
  // A host event is one of several shapes told apart by `type`: checked against the shape its type
  // names, so the answer speaks of that event's fields rather than of every other event's. A type no
  // shape names is left to the engine (422 ENGINE_UNKNOWN_EVENT).
  const eventBranches = new Map<string, string>();
  const events = schemas.HostEvent?.anyOf;
  if (Array.isArray(events))
    events.forEach((branch: unknown, index) => {
      const type = (branch as { properties?: { type?: { const?: unknown } } }).properties?.type?.const;
      if (typeof type === 'string') eventBranches.set(type, `HostEvent/anyOf/${index}`);
    });

  return (name, body) => {
    let pointer: string = name;
    if (name === 'HostEvent') {
      if (!isObject(body)) throw invalid([{ path: '', en: 'expected an event object with a "type"', zh: '应为带 "type" 的事件对象' }]);
      if (typeof body.type !== 'string') throw invalid([{ path: '', en: '"type" is missing or not a text', zh: '缺少 "type" 或其不是文本' }]);
      const branch = Object.hasOwn(body, 'type') ? eventBranches.get(body.type) : undefined;
      if (branch === undefined) return;
      pointer = branch;
    }
    const validate = validator(pointer);
    if (!validate(body)) throw invalid(describe(validate.errors ?? []));
  };
}

interface Problem {
  readonly path: string;
  readonly en: string;
  readonly zh: string;
}

function invalid(problems: readonly Problem[]): HttpError {
  const at = (p: Problem, zh: boolean) => (p.path === '' ? '' : zh ? `${p.path} 处` : `at ${p.path}: `);
  return new HttpError('HTTP_INVALID_BODY', {
    detail: problems.map((p) => `${at(p, false)}${p.en}`).join('; '),
    detailZh: problems.map((p) => `${at(p, true)}${p.zh}`).join('；'),
  });
}

/** One sentence per finding, most telling first: unknown and missing fields, then wrong values. */
function describe(errors: readonly ErrorObject[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const rank = (e: ErrorObject) => (e.keyword === 'additionalProperties' ? 0 : e.keyword === 'required' ? 1 : 2);
  for (const e of [...errors].sort((a, b) => rank(a) - rank(b))) {
    const problem = describeOne(e);
    if (problem === undefined) continue;
    const key = `${problem.path}|${problem.en}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems.length > 0 ? problems : [{ path: '', en: 'does not fit the schema', zh: '不符合模式' }];
}

function describeOne(e: ErrorObject): Problem | undefined {
  const path = e.instancePath;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const known = knownFields(e.parentSchema);
      const list = known.length > 0 ? known.join(', ') : 'none';
      return { path, en: `"${field}" is not a known field (known: ${list})`, zh: `"${field}" 不是已知字段（已知：${list}）` };
    }
    case 'required': {
      const field = String(params.missingProperty);
      return { path, en: `"${field}" is missing`, zh: `缺少 "${field}"` };
    }
    case 'type':
      return { path, en: `expected ${String(params.type)}`, zh: `应为 ${String(params.type)}` };
    case 'minItems':
      return { path, en: `expected at least ${String(params.limit)} item(s)`, zh: `至少应有 ${String(params.limit)} 项` };
    case 'const':
      return { path, en: `expected ${JSON.stringify(params.allowedValue)}`, zh: `应为 ${JSON.stringify(params.allowedValue)}` };
    case 'enum':
      return { path, en: `expected one of ${JSON.stringify(params.allowedValues)}`, zh: `应为 ${JSON.stringify(params.allowedValues)} 之一` };
    case 'anyOf':
    case 'oneOf':
      // The branches' own findings say more; this summary only when nothing else is left.
      return undefined;
    default:
      return { path, en: e.message ?? 'does not fit', zh: e.message ?? '不符合要求' };
  }
}

function knownFields(schema: unknown): string[] {
  const properties = isObject(schema) && isObject(schema.properties) ? schema.properties : {};
  return Object.keys(properties);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
