import { fillTemplate, LuoshiError } from '@luoshi/dsl';
import { simMessages, type SimCode } from './sim-messages.js';

/** Builds the error `simulate` throws for inputs it cannot run: a stable code and both languages. */
export function simError(code: SimCode, params: Record<string, string | number> = {}): LuoshiError<SimCode> {
  const template = simMessages[code];
  return new LuoshiError(code, { en: fillTemplate(template.en, params), zh: fillTemplate(template.zh, params) }, { details: params });
}
