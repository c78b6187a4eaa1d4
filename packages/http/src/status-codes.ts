import type { EngineCode } from '@luoshi/engine';

/** Errors the HTTP layer itself raises, with messages in both languages. */
export const httpMessages = {
  HTTP_UNAUTHENTICATED: { en: 'Authentication is required', zh: '需要登录认证' },
  HTTP_FORBIDDEN: { en: '{actor} may not {action}: {reason}', zh: '{actor} 无权{actionZh}：{reasonZh}' },
  HTTP_INVALID_TARGET: {
    en: 'The request path {target} is not accepted: a path may not start with "//" or "/\\"',
    zh: '不受理请求路径 {target}：路径不能以“//”或“/\\”开头',
  },
  HTTP_INVALID_HEADER: { en: 'The header {name} does not fit: {detail}', zh: '请求头 {name} 不符合要求：{detailZh}' },
  HTTP_NOT_FOUND: { en: 'No resource at {method} {path}', zh: '找不到资源 {method} {path}' },
  HTTP_METHOD_NOT_ALLOWED: { en: '{method} is not allowed on {path}; allowed: {allowed}', zh: '{path} 不支持 {method}；可用：{allowed}' },
  HTTP_BODY_TOO_LARGE: { en: 'The request body is larger than {limit} bytes', zh: '请求体超过 {limit} 字节' },
  HTTP_INVALID_JSON: { en: 'The request body is not valid JSON: {detail}', zh: '请求体不是有效的 JSON：{detail}' },
  HTTP_INVALID_BODY: { en: 'The request body does not fit: {detail}', zh: '请求体不符合要求：{detailZh}' },
  HTTP_INVALID_DEFINITION: { en: 'The process files have {count} error(s)', zh: '过程文件有 {count} 处错误' },
  HTTP_INTERNAL: { en: 'Internal server error', zh: '服务器内部错误' },
} as const satisfies Record<string, { en: string; zh: string }>;

/** Stable codes of HTTP-layer errors. */
export type HttpCode = keyof typeof httpMessages;

/**
 * The HTTP status of every error code. Keyed by the engine's code union, so a new engine code
 * without a status here fails to compile.
 */
export const statusCodes: Record<EngineCode | HttpCode, number> = {
  ENGINE_INVALID_DEFINITION: 422,
  ENGINE_PROCESS_NOT_FOUND: 404,
  ENGINE_CAMPAIGN_NOT_FOUND: 404,
  ENGINE_INSTANCE_NOT_FOUND: 404,
  ENGINE_INVALID_ORGANISATION: 422,
  ENGINE_UNKNOWN_EVENT: 422,
  ENGINE_INVALID_PAYLOAD: 422,
  ENGINE_INVALID_CAMPAIGN_ID: 422,
  ENGINE_STEP_FAILED: 500,
  ENGINE_UNKNOWN_TASK: 422,
  ENGINE_UNKNOWN_MEMBER: 422,
  ENGINE_UNKNOWN_ITEM: 422,
  ENGINE_UNKNOWN_PERIOD: 422,
  ENGINE_UNKNOWN_CYCLE: 422,
  ENGINE_TASK_NOT_OPEN: 409,
  ENGINE_INSPECTION_STATE: 409,
  ENGINE_UNKNOWN_TRACKED_ITEM: 422,
  ENGINE_ITEM_EXISTS: 409,
  ENGINE_ITEM_LIMIT: 409,
  ENGINE_ITEM_STATE: 409,
  ENGINE_NO_EXTENSIONS: 409,
  ENGINE_EXTENSION_OVERDUE: 409,
  ENGINE_EXTENSION_NOT_LATER: 422,
  ENGINE_EXTENSION_TOO_LONG: 422,
  ENGINE_EXTENSION_PENDING: 409,
  ENGINE_NO_EXTENSION_PENDING: 409,
  ENGINE_EXTENSION_LIMIT: 409,
  ENGINE_INSPECTION_NOT_ACTIVE: 409,
  ENGINE_PHASE_NOT_OPEN: 409,
  ENGINE_FORBIDDEN: 403,
  ENGINE_SCORE_OUT_OF_RANGE: 422,
  ENGINE_CAMPAIGN_ENDED: 409,
  ENGINE_REPLAY_MISMATCH: 500,
  STORE_REVISION_CONFLICT: 409,
  STORE_DUPLICATE: 409,
  ENGINE_IDEMPOTENCY_KEY_REUSED: 409,
  ENGINE_TIME_BACKWARDS: 409,
  ENGINE_INVALID_TIME: 500,
  STORE_UNAVAILABLE: 503,
  STORE_INVALID_TEXT: 400,
  STORE_CORRUPT: 500,
  STORE_READ_ONLY: 500,
  STORE_UNSUPPORTED_FORMAT: 500,
  HTTP_UNAUTHENTICATED: 401,
  HTTP_FORBIDDEN: 403,
  HTTP_INVALID_TARGET: 400,
  HTTP_INVALID_HEADER: 400,
  HTTP_NOT_FOUND: 404,
  HTTP_METHOD_NOT_ALLOWED: 405,
  HTTP_BODY_TOO_LARGE: 413,
  HTTP_INVALID_JSON: 400,
  HTTP_INVALID_BODY: 422,
  HTTP_INVALID_DEFINITION: 422,
  HTTP_INTERNAL: 500,
};
