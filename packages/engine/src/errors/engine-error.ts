import { fillTemplate, LuoshiError } from '@luoshi/dsl';
import { engineMessages, type EngineCode } from './engine-messages.js';

/** An error of the engine or a store, with a stable code and messages in Chinese and English. */
export class EngineError extends LuoshiError<EngineCode> {
  constructor(code: EngineCode, params: Record<string, string | number> = {}, options: { cause?: unknown } = {}) {
    const template = engineMessages[code];
    super(
      code,
      { en: fillTemplate(template.en, params), zh: fillTemplate(template.zh, params) },
      { details: params, ...(options.cause === undefined ? {} : { cause: options.cause }) },
    );
    this.name = 'EngineError';
  }
}

/**
 * Thrown by a store when an optimistic-concurrency check fails, or when the database aborted the
 * work for a conflict with another writer (a deadlock; `cause` holds the driver's error); the
 * engine retries on it.
 */
export class StoreConflictError extends EngineError {
  constructor(instanceId: string, expected: number, options: { cause?: unknown } = {}) {
    super('STORE_REVISION_CONFLICT', { id: instanceId, expected }, options);
    this.name = 'StoreConflictError';
  }
}
