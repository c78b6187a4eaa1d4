import { readFileSync } from 'node:fs';
import { HOST_EVENT_TYPES } from '@luoshi/engine';
// Used inside openApiDocument only (handler.js imports this module too).
import { MAX_IDEMPOTENCY_KEY_LENGTH } from './handler.js';
import { RETRY_AFTER_SECONDS } from './exchange.js';
import { httpMessages, statusCodes } from './status-codes.js';

// The body schemas are generated from the TypeScript types of src/api-types.ts (and the engine views
// they name) by scripts/generate-openapi-schemas.mjs into schema/api-schemas.json; a test checks the
// committed file equals a fresh generation.

type Schema = Record<string, unknown>;

// Read on each call, not kept in a module variable: the handler keeps the serialised document per mount point.
function componentSchemas(): Record<string, Schema> {
  return JSON.parse(readFileSync(new URL('../schema/api-schemas.json', import.meta.url), 'utf8')) as Record<string, Schema>;
}

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const text: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };

const errorCodesByStatus = (status: number): string[] =>
  Object.entries(statusCodes)
    .filter(([, s]) => s === status)
    .map(([code]) => code);

const errorResponse = (status: number, description: string): Schema => ({
  description: `${description} (${errorCodesByStatus(status).join(', ')})`,
  content: { 'application/json': { schema: ref('ErrorBody') } },
});

const jsonResponse = (schema: string, description: string): Schema => ({ description, content: { 'application/json': { schema: ref(schema) } } });
const jsonBody = (schema: string): Schema => ({ required: true, content: { 'application/json': { schema: ref(schema) } } });
const pathParam = (name: string, description: string): Schema => ({ name, in: 'path', required: true, schema: text, description });
const queryParam = (name: string, description: string): Schema => ({ name, in: 'query', required: false, schema: text, description });

const idempotencyKey = (description: string): Schema => ({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: MAX_IDEMPOTENCY_KEY_LENGTH }, description });
const instanceId = pathParam('id', 'Instance id `<campaignId>/<unitId>`, URL-encoded (`c1%2Fu01`).');
const campaignId = pathParam('id', 'Campaign id.');

const common = {
  '400': errorResponse(400, 'A request path starting with // or /\\, a header or a text that does not fit'),
  '401': errorResponse(401, 'No credentials'),
  '404': errorResponse(404, 'Not found'),
  '405': errorResponse(405, 'Method not allowed'),
  '500': errorResponse(500, 'Internal error'),
  '503': {
    ...errorResponse(503, 'The database is unavailable; try again after Retry-After seconds'),
    headers: { 'Retry-After': { description: `Seconds to wait before trying again (${RETRY_AFTER_SECONDS}).`, schema: int } },
  },
};
const withBody = { ...common, '400': errorResponse(400, 'Invalid JSON, a request path starting with // or /\\, a header or a text that does not fit'), '413': errorResponse(413, 'Body too large'), '422': errorResponse(422, 'Invalid input') };

/** Who may call an operation (see docs/http.md, "Permissions"), and the 403 of those who may not. */
const access = {
  any: { description: 'Any authenticated actor.', responses: {} },
  admin: {
    description: 'Needs the administrator role (`管理员` unless the host sets `administratorRole`).',
    responses: { '403': errorResponse(403, 'Without the administrator role') },
  },
  unit: {
    description:
      'An actor limited to units (`units`) sees a unit when it is one of its units or under one of them (an office sees the units below it); without `units`, every unit.',
    responses: { '403': errorResponse(403, "Outside the actor's units") },
  },
  office: {
    description: "An actor limited to units needs the campaign's root unit (the office that issued it) among them; without `units`, allowed.",
    responses: { '403': errorResponse(403, "Without the campaign's root unit") },
  },
} as const satisfies Record<string, { description: string; responses: Record<string, Schema> }>;

const get = (operationId: string, summary: string, parameters: Schema[], schema: string, extra: Record<string, Schema> = {}, who: keyof typeof access = 'unit'): Schema => ({
  get: { operationId, summary, description: access[who].description, parameters, responses: { '200': jsonResponse(schema, 'OK'), ...common, ...access[who].responses, ...extra } },
});

/** Where the API is mounted, for `openApiDocument`. */
export interface OpenApiDocumentOptions {
  /** The path the host mounted the API under (`/luoshi`); becomes the document's one `servers` URL. */
  readonly basePath?: string;
}

/**
 * The OpenAPI 3.1 document of the API, served at `GET /openapi.json`. Under a `basePath` the paths
 * stay `/v1/…` and `servers` is `[{ url: basePath }]` (`[{ url: '/' }]` at the root): a URL relative to the document's own, so it
 * holds behind any host name and scheme.
 */
export function openApiDocument(options: OpenApiDocumentOptions = {}): Record<string, unknown> {
  // At the root the server is "/", what OpenAPI assumes without one, written out for linters and generators.
  const servers =
    options.basePath === undefined || options.basePath === ''
      ? [{ url: '/', description: 'The root of this host' }]
      : [{ url: options.basePath, description: 'The mount point of the API on this host' }];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Luoshi HTTP API 落实',
      version: '1.0.0',
      license: { name: 'MIT', identifier: 'MIT' },
      description: `Campaign directives as running processes. Errors carry a stable code and messages in Chinese and English; codes: ${Object.keys(statusCodes).join(', ')} (HTTP layer: ${Object.keys(httpMessages).join(', ')}). A request path starting with // or /\\ is refused on every path (400 HTTP_INVALID_TARGET). Every operation but this document's needs an actor (401); who may call each is in its description (403 otherwise).`,
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers,
    security: [{ host: [] }],
    paths: {
      '/v1/processes': {
        ...get('listProcesses', 'Every deployed process with its latest version and all its versions.', [], 'ProcessList', {}, 'any'),
        post: {
          operationId: 'deployProcesses',
          summary: 'Validate and deploy process files (YAML or JSON texts); sub-processes must be sent with the campaigns using them.',
          description: access.admin.description,
          requestBody: jsonBody('DeployRequest'),
          responses: { '201': jsonResponse('DeployResponse', 'Deployed versions'), ...withBody, ...access.admin.responses },
        },
      },
      '/v1/processes/{id}': get('getProcess', 'The latest (or `version`) deployed version of a process.', [pathParam('id', 'Process id.'), { ...queryParam('version', 'A version number.'), schema: int }], 'ProcessVersion', {}, 'any'),
      '/v1/campaigns': {
        post: {
          operationId: 'startCampaign',
          summary: 'Start a campaign over an organisation: one instance per unit.',
          description: access.admin.description,
          requestBody: jsonBody('StartCampaignRequest'),
          responses: { '201': jsonResponse('StartedCampaign', 'Started'), ...withBody, ...access.admin.responses, '409': errorResponse(409, 'Conflict') },
        },
      },
      '/v1/campaigns/{id}/close': {
        post: {
          operationId: 'closeCampaign',
          summary:
            'Close a campaign (终止活动), or the part at and under `unit`, in one act: every instance there not yet ended ends, its open work ruled over and its timers gone; closed whole, the campaign\'s rankings and dated gradings go too. All or nothing; closing again is a no-op.',
          description: `${access.office.description} The actor must also hold a role the process declares at the office level.`,
          parameters: [campaignId, idempotencyKey('The same key with the same closing answers the first result (`duplicate: true`); with another reason, unit or actor it is refused (409 ENGINE_IDEMPOTENCY_KEY_REUSED).')],
          requestBody: jsonBody('CloseCampaignRequest'),
          responses: {
            '200': jsonResponse('ClosedCampaign', 'Closed (or nothing left to close, or `duplicate: true`)'),
            ...withBody,
            '403': errorResponse(403, "Without the campaign's root unit, or without a role of the office level"),
            '409': errorResponse(409, 'An instance already past `at`, or an idempotency key reused for another closing'),
          },
        },
      },
      '/v1/campaigns/{id}/rollup': get('campaignRollup', 'Roll-up of a unit and everything under it.', [campaignId, queryParam('unit', 'Unit id; default the root.')], 'Rollup'),
      '/v1/campaigns/{id}/outcomes': get(
        'campaignOutcomes',
        'Tasks by status per item, subjects per ladder rung, per flag and per grade, for a unit and everything under it.',
        [campaignId, queryParam('unit', 'Unit id; default the root.')],
        'Outcomes',
      ),
      '/v1/campaigns/{id}/items': get(
        'campaignItems',
        'Items tracked to closure (督办事项) of a unit and everything under it: status, owner, due, target and progress, level (挂牌督办).',
        [campaignId, queryParam('unit', 'Unit id; default the root.')],
        'TrackedItems',
      ),
      '/v1/campaigns/{id}/instances': get(
        'campaignInstances',
        'Every instance of a campaign the actor may see: an actor limited to units sees those and the units under them (refused when it has no unit in the campaign).',
        [campaignId],
        'InstanceStates',
      ),
      '/v1/campaigns/{id}/extensions': get(
        'campaignExtensions',
        'Pending extension requests (待审批延期申请) at and under a unit (default: the whole campaign): the inbox of the office that issued the campaign.',
        [campaignId, queryParam('unit', 'Unit id; default the root.')],
        'ExtensionRequests',
        {},
        'office',
      ),
      '/v1/campaigns/{id}/rankings/{ranking}': get(
        'campaignStandings',
        'Current standings of a ranking.',
        [campaignId, pathParam('ranking', 'Ranking id.')],
        'Standings',
        { '422': errorResponse(422, 'Unknown ranking') },
        'office',
      ),
      '/v1/instances/{id}': get('instanceState', 'State of an instance.', [instanceId], 'InstanceState'),
      '/v1/instances/{id}/history': get('instanceHistory', 'Every event and transition of an instance.', [instanceId], 'History'),
      '/v1/instances/{id}/tasks': get(
        'instanceTasks',
        'Tasks of an instance.',
        [instanceId, queryParam('status', 'Comma-separated statuses.'), queryParam('member', 'Member id.'), queryParam('owner', 'Role id.')],
        'Tasks',
      ),
      '/v1/instances/{id}/subjects': get('instanceSubjects', 'Ladders, flags, scores, ranks and grades of the unit and its members.', [instanceId], 'Subjects'),
      '/v1/instances/{id}/events': {
        post: {
          operationId: 'sendEvent',
          summary: `Send an event (${HOST_EVENT_TYPES.join(', ')}) to an instance as the authenticated actor.`,
          description: `${access.unit.description} The actor must also hold the role the process names for the event (a task's owner, an evaluation's, inspection's or decision's \`by\`; a complaint or notice: a role of the office level), checked before the task's or inspection's state.`,
          parameters: [
            instanceId,
            idempotencyKey(
              'The same key on the same instance with the same event is applied once: a repeat answers the first result (`duplicate: true`); the same key with a different event is refused (409 ENGINE_IDEMPOTENCY_KEY_REUSED).',
            ),
          ],
          requestBody: jsonBody('HostEvent'),
          responses: {
            '200': jsonResponse('SendResult', 'Applied (or `duplicate: true`)'),
            ...withBody,
            '403': errorResponse(403, "Outside the actor's units, or without the role the process names"),
            '409': errorResponse(409, 'Not applicable now, or an idempotency key reused for another event'),
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openApi',
          summary: 'This document.',
          security: [],
          responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } }, '400': common['400'] },
        },
      },
    },
    components: {
      schemas: componentSchemas(),
      securitySchemes: { host: { type: 'http', scheme: 'bearer', description: 'Whatever the host\'s `authenticate` accepts.' } },
    },
  };
}
