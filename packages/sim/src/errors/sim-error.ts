import { fillTemplate, LuoshiError } from '@luoshi/dsl';
import { simMessages, type SimCode } from './sim-messages.js';

/** Builds the error `simulate` throws for inputs it cannot run: a stable code and both languages. */
export function simError(code: SimCode, params: Record<string, string | number> = {}): LuoshiError<SimCode> {
  const template = simMessages[code];
  return new LuoshiError(code, { en: fillTemplate(template.en, params), zh: fillTemplate(template.zh, params) }, { details: params });
}

/**
 * An instant as a planner reads it in a message: local time in the campaign's zone ("2010-06-01
 * 00:00:00", not the UTC "2010-05-31T16:00:00.000Z"), as the CLI shows its clock and takes `--until`.
 */
export function localTime(calendar: { dateTime(ms: number): { toFormat(format: string): string } }, ms: number): string {
  return calendar.dateTime(ms).toFormat('yyyy-MM-dd HH:mm:ss');
}
