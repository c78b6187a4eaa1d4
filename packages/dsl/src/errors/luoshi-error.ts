/** A place in a source file: 1-based line and column, and the JSON Pointer of the value. */
export interface SourceSpan {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly pointer?: string;
}

/** A message in both languages the project speaks. */
export interface BilingualMessage {
  readonly en: string;
  readonly zh: string;
}

/** The language a message is shown in. */
export type Language = 'en' | 'zh';

/**
 * Base of every error Luoshi throws: a stable `code` callers can switch on, a message in English and
 * Chinese, and the source span where there is one. Each layer defines its own code union.
 */
export class LuoshiError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly messages: BilingualMessage;
  readonly span: SourceSpan | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: Code,
    messages: BilingualMessage,
    options: { span?: SourceSpan; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(`${code}: ${messages.en}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LuoshiError';
    this.code = code;
    this.messages = messages;
    this.span = options.span;
    this.details = options.details ?? {};
  }

  /** The message in the given language. */
  localized(lang: Language): string {
    return this.messages[lang];
  }
}

/** Fills `{name}` placeholders of a message template. */
export function fillTemplate(template: string, params: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    Object.hasOwn(params, key) ? String(params[key]) : whole,
  );
}

/** Picks the user's language from an explicit choice or from LANG/LC_ALL (zh* → Chinese). */
export function resolveLanguage(explicit?: string, env: Readonly<Record<string, string | undefined>> = {}): Language {
  if (explicit === 'en' || explicit === 'zh') return explicit;
  const fromEnv = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return fromEnv.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
