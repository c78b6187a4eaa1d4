import { fillTemplate, type BilingualMessage, type Severity, type SourceSpan } from '@luoshi/dsl';
import { simMessages, type SimCode } from './sim-messages.js';

/** One finding about a scenario file, at its line and column, in both languages. */
export interface ScenarioDiagnostic extends SourceSpan {
  readonly code: SimCode;
  readonly severity: Severity;
  readonly message: BilingualMessage;
  readonly params: Readonly<Record<string, string | number>>;
}

/** Builds a scenario diagnostic from its code and the values its message names. */
export function scenarioDiagnostic(
  code: SimCode,
  span: SourceSpan,
  params: Record<string, string | number> = {},
  severity: Severity = 'error',
): ScenarioDiagnostic {
  const template = simMessages[code];
  return {
    code,
    severity,
    ...span,
    message: { en: fillTemplate(template.en, params), zh: fillTemplate(template.zh, params) },
    params,
  };
}
