import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { diagnostic, type Diagnostic } from '../errors/diagnostic.js';
import { parseProcessText, type ParsedFile } from './parsed-file.js';

const PROCESS_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Lists the process files under the given files and directories (recursively, sorted). */
export function collectProcessFiles(paths: readonly string[]): { files: string[]; diagnostics: Diagnostic[] } {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const visit = (path: string, explicit: boolean): void => {
    let stats;
    try {
      stats = statSync(path);
    } catch (error) {
      diagnostics.push(diagnostic('DSL_FILE_UNREADABLE', 'error', { file: path }, { reason: reason(error) }));
      return;
    }
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (!entry.startsWith('.') && entry !== 'node_modules') visit(join(path, entry), false);
      }
    } else if (PROCESS_EXTENSIONS.has(extname(path).toLowerCase())) {
      files.push(path);
    } else if (explicit) {
      diagnostics.push(diagnostic('DSL_FILE_TYPE', 'error', { file: path }));
    }
  };
  for (const path of paths) visit(path, true);
  return { files: [...new Set(files)], diagnostics };
}

/** Reads and parses one file; an unreadable file becomes a diagnostic, never an exception. */
export function readProcessFile(file: string): ParsedFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const unreadable = diagnostic('DSL_FILE_UNREADABLE', 'error', { file }, { reason: reason(error) });
    return { file, text: '', value: undefined, diagnostics: [unreadable], spanAt: () => ({ file }) };
  }
  return parseProcessText(text, file);
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
