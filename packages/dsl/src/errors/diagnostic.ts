import { dslMessages, type DslCode } from './dsl-messages.js';
import { fillTemplate, type BilingualMessage, type Language, type SourceSpan } from './luoshi-error.js';

/** How bad a finding is: errors make a file invalid, warnings do not. */
export type Severity = 'error' | 'warning';

/** One finding of the loader or validator, with where it is and what it means in both languages. */
export interface Diagnostic extends SourceSpan {
  readonly code: DslCode;
  readonly severity: Severity;
  readonly message: BilingualMessage;
  readonly params: Readonly<Record<string, string | number>>;
}

/** Builds a diagnostic from its code and the values its message names. */
export function diagnostic(
  code: DslCode,
  severity: Severity,
  span: SourceSpan,
  params: Record<string, string | number> = {},
): Diagnostic {
  const template = dslMessages[code];
  return {
    code,
    severity,
    ...span,
    message: { en: fillTemplate(template.en, params), zh: fillTemplate(template.zh, params) },
    params,
  };
}

/** `file:line:column: error CODE message`, the form editors and terminals link. */
export function formatDiagnostic(d: Diagnostic, lang: Language): string {
  const where = [d.file ?? '<input>', d.line, d.column].filter((x) => x !== undefined).join(':');
  const label = lang === 'zh' ? (d.severity === 'error' ? '错误' : '警告') : d.severity;
  return `${where}: ${label} ${d.code} ${d.message[lang]}`;
}

/** Orders diagnostics by file, line and column so output is stable. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.code.localeCompare(b.code),
  );
}
