import { extname } from 'node:path';
import { diagnostic, sortDiagnostics, type Diagnostic } from '../errors/diagnostic.js';
import type { CampaignDefinition, ProcessFile, SubProcessDefinition } from '../model/process.js';
import { collectProcessFiles, readProcessFile } from '../source/load-files.js';
import { parseProcessTexts, type ParsedFile } from '../source/parsed-file.js';
import { checkSchema } from './schema-check.js';
import { DSL_LIMITS } from '../limits.js';
import { checkCampaignSemantics, checkSubProcessSemantics, graphOf, type LocatedSubProcess } from './semantic-check.js';

/** The verdict on one process file. */
export interface FileValidation {
  readonly file: string;
  /** True when the file has no errors (warnings allowed). */
  readonly ok: boolean;
  /** The definition, when the file is valid. */
  readonly definition?: ProcessFile;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * A file found in a directory and left out, and why: a simulation scenario (`kind: scenario`), or a
 * JSON file that is no campaign or sub-process (a report written into the folder, even while it is
 * being written: `luoshi simulate … --format json > out.json`). A file named explicitly is never
 * left out.
 */
export interface SkippedFile {
  readonly file: string;
  readonly reason: 'scenario' | 'not-a-process';
}

/** The verdict on a set of process files validated together (sub-processes resolve among them). */
export interface ValidationResult {
  readonly ok: boolean;
  readonly files: readonly FileValidation[];
  /** Every diagnostic, sorted by file, line and column. */
  readonly diagnostics: readonly Diagnostic[];
  /** Valid campaigns by id. */
  readonly campaigns: ReadonlyMap<string, CampaignDefinition>;
  /** Valid sub-processes by id. */
  readonly subprocesses: ReadonlyMap<string, SubProcessDefinition>;
  /** Files found in directories and left out as not process files (absent when none were). */
  readonly skipped?: readonly SkippedFile[];
}

const SCHEMA_COMMENT = /^\s*#\s*yaml-language-server:\s*\$schema=\S+/;

/**
 * Validates parsed files together: the schema layer on each, then the semantic layer with
 * sub-processes resolved across the set. Never throws on any input.
 */
export function validateParsedFiles(parsedFiles: readonly ParsedFile[], extra: readonly Diagnostic[] = []): ValidationResult {
  const refused = refuseOverLimits(parsedFiles, extra);
  if (refused) return refused;
  const shapes = parsedFiles.map((parsed) => {
    const diagnostics: Diagnostic[] = [...parsed.diagnostics];
    if (diagnostics.length === 0) for (const d of checkSchema(parsed)) diagnostics.push(d);
    const newline = parsed.text.indexOf('\n');
    if (isYamlFile(parsed.file) && parsed.value !== undefined && !SCHEMA_COMMENT.test(parsed.text.slice(0, newline === -1 ? undefined : newline))) {
      diagnostics.push(diagnostic('DSL_SCHEMA_COMMENT', 'warning', { file: parsed.file, line: 1, column: 1 }));
    }
    const shapeOk = !diagnostics.some((d) => d.severity === 'error');
    return { parsed, diagnostics, definition: shapeOk ? (parsed.value as ProcessFile) : undefined };
  });

  const library = new Map<string, LocatedSubProcess>();
  const owners = new Map<string, ParsedFile>();
  for (const shape of shapes) {
    const definition = shape.definition;
    if (!definition) continue;
    const previous = owners.get(definition.id);
    if (previous) {
      shape.diagnostics.push(
        diagnostic('DSL_DUPLICATE_PROCESS', 'error', shape.parsed.spanAt('/id'), { id: definition.id, other: previous.file }),
      );
      continue;
    }
    owners.set(definition.id, shape.parsed);
    if (definition.kind === 'subprocess') library.set(definition.id, { parsed: shape.parsed, definition });
  }

  const byFile = new Map<string, Diagnostic[]>();
  const seen = new Set<string>();
  for (const shape of shapes) byFile.set(shape.parsed.file, shape.diagnostics);
  const file = (d: Diagnostic, fallback: Diagnostic[]): void => {
    const list = byFile.get(d.file ?? '') ?? fallback;
    const key = `${d.file}|${d.code}|${d.pointer}|${d.message.en}`;
    if (seen.has(key)) return;
    seen.add(key);
    list.push(d);
  };
  // The use graph is measured once for all files; a cycle is reported where it closes.
  const graph = graphOf(library);
  for (const cycle of graph.cycles) {
    const span = cycle.site.parsed.spanAt(cycle.site.pointer);
    file(diagnostic('DSL_CIRCULAR_SUBPROCESS', 'error', span, { cycle: cycle.path.join(' → ') }), []);
  }
  for (const shape of shapes) {
    const definition = shape.definition;
    if (!definition) continue;
    const found =
      definition.kind === 'campaign'
        ? checkCampaignSemantics(shape.parsed, definition, library, graph)
        : checkSubProcessSemantics(shape.parsed, definition, library, graph);
    // A campaign's check also visits its sub-process files: file each finding where it was written.
    for (const d of found) file(d, shape.diagnostics);
  }

  const files = shapes.map((shape): FileValidation => {
    const diagnostics = sortDiagnostics(byFile.get(shape.parsed.file) ?? []);
    const ok = !diagnostics.some((d) => d.severity === 'error');
    return ok && shape.definition
      ? { file: shape.parsed.file, ok, definition: shape.definition, diagnostics }
      : { file: shape.parsed.file, ok: false, diagnostics };
  });
  const campaigns = new Map<string, CampaignDefinition>();
  const subprocesses = new Map<string, SubProcessDefinition>();
  for (const f of files) {
    if (f.definition?.kind === 'campaign') campaigns.set(f.definition.id, f.definition);
    if (f.definition?.kind === 'subprocess') subprocesses.set(f.definition.id, f.definition);
  }
  const diagnostics = sortDiagnostics([...extra, ...files.flatMap((f) => f.diagnostics)]);
  return {
    ok: !diagnostics.some((d) => d.severity === 'error'),
    files,
    diagnostics,
    campaigns,
    subprocesses,
  };
}

/**
 * Too many files, or too many bytes together: refused as a whole before any is validated, so the
 * cost of one validation is bounded by the limits, not by what a caller sends.
 */
function refuseOverLimits(parsedFiles: readonly ParsedFile[], extra: readonly Diagnostic[]): ValidationResult | undefined {
  let problem: Diagnostic | undefined;
  if (parsedFiles.length > DSL_LIMITS.files) {
    problem = diagnostic('DSL_TOO_MANY_FILES', 'error', { file: parsedFiles[DSL_LIMITS.files]?.file ?? '', line: 1, column: 1 }, { limit: DSL_LIMITS.files });
  } else {
    let total = 0;
    for (const parsed of parsedFiles) {
      total += Buffer.byteLength(parsed.text);
      if (total > DSL_LIMITS.totalBytes) {
        problem = diagnostic('DSL_TOTAL_TOO_LARGE', 'error', { file: parsed.file, line: 1, column: 1 }, { limit: DSL_LIMITS.totalBytes });
        break;
      }
    }
  }
  if (!problem) return undefined;
  const diagnostics = sortDiagnostics([...extra, problem]);
  return { ok: false, files: [], diagnostics, campaigns: new Map(), subprocesses: new Map() };
}

/**
 * Validates files and directories on disk (directories are read recursively). Reading stops once
 * the files read reach `DSL_LIMITS.totalBytes`: the rest are not read at all.
 */
export function validateProcessPaths(paths: readonly string[]): ValidationResult {
  const { files, diagnostics, walked } = collectProcessFiles(paths);
  const parsed: ParsedFile[] = [];
  const skipped: SkippedFile[] = [];
  const tokenBudget = { remaining: DSL_LIMITS.totalYamlTokens };
  let total = 0;
  for (const path of files) {
    // A JSON file found in a directory is read on its own limits first: a report the folder holds
    // must not spend the tokens the process files need.
    const looseJson = walked.has(path) && extname(path).toLowerCase() === '.json';
    const one = readProcessFile(path, looseJson ? {} : { tokenBudget });
    const reason = walked.has(path) ? notAProcess(one) : undefined;
    if (reason) {
      skipped.push({ file: path, reason });
      continue;
    }
    total += Buffer.byteLength(one.text);
    if (total > DSL_LIMITS.totalBytes) {
      const refused = diagnostic('DSL_TOTAL_TOO_LARGE', 'error', { file: path, line: 1, column: 1 }, { limit: DSL_LIMITS.totalBytes });
      return { ok: false, files: [], diagnostics: sortDiagnostics([...diagnostics, refused]), campaigns: new Map(), subprocesses: new Map() };
    }
    parsed.push(one);
  }
  const result = validateParsedFiles(parsed, diagnostics);
  return skipped.length > 0 ? { ...result, skipped } : result;
}

/** Why a file found in a directory is not a process file, if it is not. */
function notAProcess(parsed: ParsedFile): SkippedFile['reason'] | undefined {
  const value = parsed.value;
  const kind = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as { kind?: unknown }).kind : undefined;
  if (kind === 'scenario') return 'scenario';
  if (extname(parsed.file).toLowerCase() === '.json' && kind !== 'campaign' && kind !== 'subprocess') return 'not-a-process';
  return undefined;
}

/** A line saying a file was left out, for command output. */
export function skippedNote(skipped: SkippedFile, lang: 'zh' | 'en'): string {
  if (skipped.reason === 'scenario') {
    return lang === 'zh' ? `跳过 ${skipped.file}：这是模拟情景文件（kind: scenario），不是过程文件` : `skipped ${skipped.file}: a simulation scenario (kind: scenario), not a process file`;
  }
  return lang === 'zh'
    ? `跳过 ${skipped.file}：JSON 文件不是活动或子流程（没有 kind: campaign 或 kind: subprocess），例如模拟报告`
    : `skipped ${skipped.file}: a JSON file that is no campaign or sub-process (no kind: campaign or kind: subprocess), such as a simulation report`;
}

/**
 * Validates one process text, with optional sub-process texts it may use. Returns
 * `{ ok, definition?, diagnostics }` for the first text and never throws.
 */
export function validateProcessText(
  text: string,
  options: { file?: string; library?: readonly { file: string; text: string }[] } = {},
): FileValidation {
  const file = options.file ?? 'process.yaml';
  const result = validateProcessTexts([{ file, text }, ...(options.library ?? [])]);
  const first = result.files[0];
  // Refused as a whole (too many files, too many bytes): nothing was validated.
  if (!first) return { file, ok: false, diagnostics: result.diagnostics };
  // Problems in a library file the text relies on make the text unusable too.
  const libraryErrors = result.files.slice(1).flatMap((f) => f.diagnostics.filter((d) => d.severity === 'error'));
  if (libraryErrors.length === 0) return first;
  return { file: first.file, ok: false, diagnostics: sortDiagnostics([...first.diagnostics, ...libraryErrors]) };
}

/**
 * Validates process texts together (a deploy's files), with the loader's limits on them all: at
 * most `DSL_LIMITS.files` files and `DSL_LIMITS.totalYamlTokens` tokens are parsed. Never throws.
 */
export function validateProcessTexts(files: readonly { readonly file: string; readonly text: string | Uint8Array }[]): ValidationResult {
  return validateParsedFiles(parseProcessTexts(files));
}

function isYamlFile(file: string): boolean {
  const ext = extname(file).toLowerCase();
  return ext === '.yaml' || ext === '.yml';
}
