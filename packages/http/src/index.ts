export {
  createHandler,
  DEFAULT_ADMINISTRATOR_ROLE,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  type Actor,
  type Handler,
  type HandlerContext,
  type HandlerOptions,
} from './handler.js';
export type * from './api-types.js';
export { RETRY_AFTER_SECONDS, type RequestHead } from './exchange.js';
export { HttpError } from './http-error.js';
export { createBodyChecks, type BodyCheck, type RequestBody } from './request-bodies.js';
export { openApiDocument, type OpenApiDocumentOptions } from './openapi.js';
export { httpMessages, statusCodes, type HttpCode } from './status-codes.js';
export { belowPrefix, handleNode, requestUrl, toRequest, writeResponse, type NodeMount } from './node/bridge.js';
export { toNodeListener } from './adapter/node-http.js';
export { expressMiddleware } from './adapter/express.js';
export { fastifyPlugin, type FastifyInstanceLike } from './adapter/fastify.js';
