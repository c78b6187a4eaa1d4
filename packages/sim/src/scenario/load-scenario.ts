import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseProcessText, type Diagnostic, type ParsedFile } from '@luoshi/dsl';
import type { OrganisationUnit } from '@luoshi/engine';
import { scenarioDiagnostic, type ScenarioDiagnostic } from '../errors/scenario-diagnostic.js';
import type { ScenarioFile } from '../model/scenario.js';
import { checkScenarioMeaning, checkScenarioShape } from './check-scenario.js';

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

/** How a scenario reads the organisation file it names (a path already resolved against the scenario's folder). */
export type ReadText = (path: string) => string;

/**
 * Validates scenario text (YAML or JSON): syntax, the generated schema, then the meaning. Never
 * throws: every problem is a diagnostic at a line and column with an English and a Chinese message.
 */
export function validateScenarioText(text: string, file: string, readText: ReadText = (p) => readFileSync(p, 'utf8')): ScenarioValidation {
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
export function loadScenarioFile(path: string, readText: ReadText = (p) => readFileSync(p, 'utf8')): ScenarioValidation {
  let text: string;
  try {
    text = readText(path);
  } catch (error) {
    return verdict(path, [scenarioDiagnostic('SIM_FILE_UNREADABLE', { file: path, line: 1, column: 1 }, { detail: messageOf(error) })]);
  }
  return validateScenarioText(text, path, readText);
}

function loadOrganisation(
  scenario: ParsedFile,
  path: string,
  readText: ReadText,
): { organisation?: OrganisationUnit; diagnostics: ScenarioDiagnostic[] } {
  let text: string;
  try {
    text = readText(path);
  } catch (error) {
    return { diagnostics: [scenarioDiagnostic('SIM_FILE_UNREADABLE', scenario.spanAt('/organisationFile'), { detail: messageOf(error) })] };
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
