import { fillTemplate, LuoshiError } from '@luoshi/dsl';
import { httpMessages, type HttpCode } from './status-codes.js';

/** An error of the HTTP layer (bad body, unknown route, no credentials) with a stable code. */
export class HttpError extends LuoshiError<HttpCode> {
  constructor(code: HttpCode, params: Record<string, string | number> = {}, readonly extra: Record<string, unknown> = {}) {
    const template = httpMessages[code];
    super(code, { en: fillTemplate(template.en, params), zh: fillTemplate(template.zh, params) }, { details: params });
    this.name = 'HttpError';
  }
}
