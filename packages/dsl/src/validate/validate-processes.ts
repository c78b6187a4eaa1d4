import { extname } from 'node:path';
import { diagnostic, sortDiagnostics, type Diagnostic } from '../errors/diagnostic.js';
import type { CampaignDefinition, ProcessFile, SubProcessDefinition } from '../model/process.js';
import { collectProcessFiles, readProcessFile } from '../source/load-files.js';
import { parseProcessText, type ParsedFile } from '../source/parsed-file.js';
import { checkSchema } from './schema-check.js';
import { checkCampaignSemantics, checkSubProcessSemantics, type LocatedSubProcess } from './semantic-check.js';

/** The verdict on one process file. */
export interface FileValidation {
  readonly file: string;
  /** True when the file has no errors (warnings allowed). */
  readonly ok: boolean;
  /** The definition, when the file is valid. */
  readonly definition?: ProcessFile;
  readonly diagnostics: readonly Diagnostic[];
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
}

const SCHEMA_COMMENT = /^\s*#\s*yaml-language-server:\s*\$schema=\S+/;

/**
 * Validates parsed files together: the schema layer on each, then the semantic layer with
 * sub-processes resolved across the set. Never throws on any input.
 */
export function validateParsedFiles(parsedFiles: readonly ParsedFile[], extra: readonly Diagnostic[] = []): ValidationResult {
  const shapes = parsedFiles.map((parsed) => {
    const diagnostics: Diagnostic[] = [...parsed.diagnostics];
    if (diagnostics.length === 0) diagnostics.push(...checkSchema(parsed));
    if (isYamlFile(parsed.file) && parsed.value !== undefined && !SCHEMA_COMMENT.test(parsed.text.split('\n', 1)[0] ?? '')) {
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
  for (const shape of shapes) byFile.set(shape.parsed.file, shape.diagnostics);
  for (const shape of shapes) {
    const definition = shape.definition;
    if (!definition) continue;
    const found =
      definition.kind === 'campaign'
        ? checkCampaignSemantics(shape.parsed, definition, library)
        : checkSubProcessSemantics(shape.parsed, definition, library);
    // A campaign's check also visits its sub-process files: file each finding where it was written.
    for (const d of found) {
      const list = byFile.get(d.file ?? shape.parsed.file) ?? shape.diagnostics;
      if (!list.some((x) => x.code === d.code && x.pointer === d.pointer && x.message.en === d.message.en)) list.push(d);
    }
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

/** Validates files and directories on disk (directories are read recursively). */
export function validateProcessPaths(paths: readonly string[]): ValidationResult {
  const { files, diagnostics } = collectProcessFiles(paths);
  return validateParsedFiles(files.map(readProcessFile), diagnostics);
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
  const parsed = [parseProcessText(text, file), ...(options.library ?? []).map((l) => parseProcessText(l.text, l.file))];
  const result = validateParsedFiles(parsed);
  const first = result.files[0] as FileValidation;
  // Problems in a library file the text relies on make the text unusable too.
  const libraryErrors = result.files.slice(1).flatMap((f) => f.diagnostics.filter((d) => d.severity === 'error'));
  if (libraryErrors.length === 0) return first;
  return { file: first.file, ok: false, diagnostics: sortDiagnostics([...first.diagnostics, ...libraryErrors]) };
}

function isYamlFile(file: string): boolean {
  const ext = extname(file).toLowerCase();
  return ext === '.yaml' || ext === '.yml';
}
