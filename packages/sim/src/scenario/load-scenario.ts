import { dirname, resolve } from 'node:path';
import { FileTooLarge, NotARegularFile, parseProcessText, readRegularFile, type Diagnostic, type ParsedFile, type SourceSpan } from '@luoshi/dsl';
import type { OrganisationUnit } from '@luoshi/engine';
import { scenarioDiagnostic, type ScenarioDiagnostic } from '../errors/scenario-diagnostic.js';
import type { ScenarioFile } from '../model/scenario.js';
import { checkScenarioMeaning, checkScenarioShape } from './check-scenario.js';
import { SCENARIO_LIMITS } from './scenario-limits.js';

/** The verdict on one scenario file. */
export interface ScenarioValidation {
  readonly file: string;
  /** True when the file has no errors. */
  readonly ok: boolean;
  /** The scenario, when valid. */
  readonly scenario?: ScenarioFile;
  /** The organisation read from `organisationFile`, when the scenario names one and it is valid. */
  readonly organisation?: OrganisationUnit;
  /** Every finding, sorted by file, line and column. */
  readonly diagnostics: readonly ScenarioDiagnostic[];
}

/**
 * How a scenario reads the organisation file it names (a path already resolved against the
 * scenario's folder): text, or bytes decoded as strict UTF-8. The default, `readScenarioBytes`,
 * reads regular files of at most `SCENARIO_LIMITS.fileBytes` only.
 */
export type ReadText = (path: string) => string | Uint8Array;

/**
 * Reads a scenario or organisation file as bytes without ever reading more than the limit: only a
 * regular file (a device such as /dev/zero or a FIFO may never end, and a directory is no file),
 * its size checked before a byte is read and the read stopped at the limit should it grow meanwhile
 * (`readRegularFile`, as process files are read). Throws `FileTooLarge`, `NotARegularFile`, or the
 * file system's error.
 */
export function readScenarioBytes(path: string): Uint8Array {
  return readRegularFile(path, SCENARIO_LIMITS.fileBytes);
}

/** A failed read as a diagnostic: too large, no regular file (said in both languages), or unreadable with the system's reason. */
function unreadable(error: unknown, span: SourceSpan): ScenarioDiagnostic {
  return error instanceof FileTooLarge
    ? scenarioDiagnostic('SIM_FILE_TOO_LARGE', span, { size: error.size, limit: SCENARIO_LIMITS.fileBytes })
    : error instanceof NotARegularFile
      ? scenarioDiagnostic('SIM_FILE_UNREADABLE', span, { detail: error.localized('en'), detailZh: error.localized('zh') })
      : scenarioDiagnostic('SIM_FILE_UNREADABLE', span, { detail: messageOf(error), detailZh: messageOf(error) });
}

/**
 * Validates scenario text (YAML or JSON): syntax, the generated schema, then the meaning. Never
 * throws: every problem is a diagnostic at a line and column with an English and a Chinese message.
 */
export function validateScenarioText(text: string | Uint8Array, file: string, readText: ReadText = readScenarioBytes): ScenarioValidation {
  try {
    const parsed = parseProcessText(text, file);
    const diagnostics: ScenarioDiagnostic[] = parsed.diagnostics.map(fromYaml);
    if (diagnostics.length === 0) diagnostics.push(...checkScenarioShape(parsed));
    if (diagnostics.length > 0) return verdict(file, diagnostics);
    const scenario = parsed.value as ScenarioFile;
    let organisation: OrganisationUnit | undefined;
    let fileKinds: string[] | undefined;
    if (scenario.organisationFile !== undefined && scenario.organisation === undefined) {
      const loaded = loadOrganisation(parsed, resolve(dirname(file), scenario.organisationFile), readText);
      diagnostics.push(...loaded.diagnostics);
      organisation = loaded.organisation;
      fileKinds = organisation ? kindsOf(organisation) : undefined;
    }
    diagnostics.push(...checkScenarioMeaning(parsed, scenario, fileKinds));
    if (diagnostics.some((d) => d.severity === 'error')) return verdict(file, diagnostics);
    return { file, ok: true, scenario, ...(organisation ? { organisation } : {}), diagnostics: sortScenarioDiagnostics(diagnostics) };
  } catch (error) {
    return verdict(file, [scenarioDiagnostic('SIM_YAML_SYNTAX', { file, line: 1, column: 1 }, { detail: String(error) })]);
  }
}

/** Reads and validates a scenario file; an unreadable file is a diagnostic, not an exception. */
export function loadScenarioFile(path: string, readText: ReadText = readScenarioBytes): ScenarioValidation {
  let text: string | Uint8Array;
  try {
    text = readText(path);
  } catch (error) {
    return verdict(path, [unreadable(error, { file: path, line: 1, column: 1 })]);
  }
  return validateScenarioText(text, path, readText);
}

function loadOrganisation(
  scenario: ParsedFile,
  path: string,
  readText: ReadText,
): { organisation?: OrganisationUnit; diagnostics: ScenarioDiagnostic[] } {
  let text: string | Uint8Array;
  try {
    text = readText(path);
  } catch (error) {
    return { diagnostics: [unreadable(error, scenario.spanAt('/organisationFile'))] };
  }
  const parsed = parseProcessText(text, path);
  if (parsed.diagnostics.length > 0) return { diagnostics: parsed.diagnostics.map(fromYaml) };
  const problem = treeProblem(parsed.value, '');
  if (problem) {
    return { diagnostics: [scenarioDiagnostic('SIM_ORGANISATION_INVALID', parsed.spanAt(problem.pointer), { detail: problem.detail })] };
  }
  return { organisation: parsed.value as OrganisationUnit, diagnostics: [] };
}

/** How deep an organisation file may nest units: the engine's limit (ORGANISATION_LIMITS.depth), checked before the stack could be. */
const MAX_DEPTH = 64;

function treeProblem(value: unknown, pointer: string, depth = 1): { pointer: string; detail: string } | undefined {
  if (depth > MAX_DEPTH) return { pointer, detail: `units may nest at most ${MAX_DEPTH} levels deep` };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { pointer, detail: 'a unit must be a mapping with an id' };
  const unit = value as { id?: unknown; kind?: unknown; members?: unknown; units?: unknown };
  if (typeof unit.id !== 'string' || unit.id.length === 0) return { pointer, detail: 'a unit needs a text id' };
  if (unit.kind !== undefined && typeof unit.kind !== 'string') return { pointer: `${pointer}/kind`, detail: 'kind must be a text' };
  if (unit.members !== undefined) {
    if (!Array.isArray(unit.members)) return { pointer: `${pointer}/members`, detail: 'members must be a list' };
    for (const [i, m] of unit.members.entries()) {
      if (m === null || typeof m !== 'object' || typeof (m as { id?: unknown }).id !== 'string')
        return { pointer: `${pointer}/members/${i}`, detail: 'a member needs a text id' };
    }
  }
  if (unit.units !== undefined) {
    if (!Array.isArray(unit.units)) return { pointer: `${pointer}/units`, detail: 'units must be a list' };
    for (const [i, child] of unit.units.entries()) {
      const problem = treeProblem(child, `${pointer}/units/${i}`, depth + 1);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** The kinds of unit in an organisation tree, the root counting as `office` when it has none. */
export function kindsOf(root: OrganisationUnit): string[] {
  const kinds = new Set<string>([root.kind ?? 'office']);
  const visit = (unit: OrganisationUnit): void => {
    for (const child of unit.units ?? []) {
      kinds.add(child.kind ?? 'unit');
      visit(child);
    }
  };
  visit(root);
  return [...kinds].sort();
}

function fromYaml(d: Diagnostic): ScenarioDiagnostic {
  const span = { ...(d.file === undefined ? {} : { file: d.file }), ...(d.line === undefined ? {} : { line: d.line }), ...(d.column === undefined ? {} : { column: d.column }) };
  if (d.code === 'DSL_YAML_DUPLICATE_KEY') return scenarioDiagnostic('SIM_YAML_DUPLICATE_KEY', span, { key: String(d.params.key ?? '?') });
  // The parser's own limits (size, tokens, nesting, strict UTF-8) under the simulator's codes: no "YAML syntax error" that is none.
  if (d.code === 'DSL_FILE_TOO_LARGE') return scenarioDiagnostic('SIM_FILE_TOO_LARGE', span, { size: String(d.params.size ?? '?'), limit: SCENARIO_LIMITS.fileBytes });
  if (d.code === 'DSL_FILE_TOO_COMPLEX' || d.code === 'DSL_TOTAL_TOO_COMPLEX' || d.code === 'DSL_NESTING_TOO_DEEP') return scenarioDiagnostic('SIM_FILE_TOO_COMPLEX', span, { detail: d.message.en });
  if (d.code === 'DSL_INVALID_ENCODING') return scenarioDiagnostic('SIM_INVALID_ENCODING', span, { detail: String(d.params.detail ?? d.message.en) });
  return scenarioDiagnostic('SIM_YAML_SYNTAX', span, { detail: String(d.params.detail ?? d.message.en) });
}

function verdict(file: string, diagnostics: ScenarioDiagnostic[]): ScenarioValidation {
  return { file, ok: false, diagnostics: sortScenarioDiagnostics(diagnostics) };
}

/** Orders diagnostics by file, line and column so output is stable. */
export function sortScenarioDiagnostics(list: readonly ScenarioDiagnostic[]): ScenarioDiagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.code.localeCompare(b.code),
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
