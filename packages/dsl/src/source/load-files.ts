import { readdirSync, realpathSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { diagnostic, type Diagnostic } from '../errors/diagnostic.js';
import { DSL_LIMITS } from '../limits.js';
import { parseProcessText, type ParseOptions, type ParsedFile } from './parsed-file.js';
import { FileTooLarge, NOT_REGULAR_WORDS, NotARegularFile, readRegularFile } from './regular-file.js';

const PROCESS_EXTENSIONS: ReadonlySet<string> = new Set(['.yaml', '.yml', '.json']);

/**
 * Lists the process files under the given files and directories (recursively, sorted). Walks
 * with a stack, visits each real directory once (a symbolic link back to a parent is not a loop),
 * and stops past `DSL_LIMITS.files` files with a diagnostic.
 */
export function collectProcessFiles(paths: readonly string[]): { files: string[]; diagnostics: Diagnostic[]; walked: ReadonlySet<string> } {
  const files = new Set<string>();
  /** Files found by walking a directory, not named: these may be left out when they are not process files. */
  const walked = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const visitedDirectories = new Set<string>();
  // A stack of what is left, next on top: depth first, in name order, as the recursive walk was.
  const pending: { path: string; explicit: boolean }[] = paths.map((path) => ({ path, explicit: true })).reverse();
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { path, explicit } = next;
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      diagnostics.push(diagnostic('DSL_FILE_UNREADABLE', 'error', { file: path }, { reason: reason(error) }));
      continue;
    }
    if (isDirectory) {
      let entries: string[];
      try {
        const real = realpathSync(path);
        if (visitedDirectories.has(real)) continue;
        visitedDirectories.add(real);
        entries = readdirSync(path).sort();
      } catch (error) {
        diagnostics.push(diagnostic('DSL_FILE_UNREADABLE', 'error', { file: path }, { reason: reason(error) }));
        continue;
      }
      for (let i = entries.length - 1; i >= 0; i--) {
        const entry = entries[i] as string;
        if (!entry.startsWith('.') && entry !== 'node_modules') pending.push({ path: join(path, entry), explicit: false });
      }
    } else if (PROCESS_EXTENSIONS.has(extname(path).toLowerCase())) {
      if (!explicit && !files.has(path)) walked.add(path);
      if (explicit) walked.delete(path);
      files.add(path);
      if (files.size > DSL_LIMITS.files) {
        diagnostics.push(diagnostic('DSL_TOO_MANY_FILES', 'error', { file: path }, { limit: DSL_LIMITS.files }));
        return { files: [], diagnostics, walked };
      }
    } else if (explicit) {
      diagnostics.push(diagnostic('DSL_FILE_TYPE', 'error', { file: path }));
    }
  }
  return { files: [...files], diagnostics, walked };
}

/**
 * Reads and parses one file; an unreadable, oversized or non-UTF-8 file, or a path that is no
 * regular file (a FIFO, a device, a socket: DSL_NOT_A_FILE, refused before a byte is read), becomes
 * a diagnostic, never an exception. The size is taken from the open file before reading, and no
 * more than the limit is ever read, so a huge file costs nothing (`readRegularFile`, which the
 * simulator's scenario files are read with too).
 */
export function readProcessFile(file: string, options: ParseOptions = {}): ParsedFile {
  const unparsed = (d: Diagnostic): ParsedFile => ({ file, text: '', value: undefined, diagnostics: [d], spanAt: () => ({ file, line: 1, column: 1 }) });
  let bytes: Uint8Array;
  try {
    bytes = readRegularFile(file, DSL_LIMITS.fileBytes);
  } catch (error) {
    if (error instanceof NotARegularFile) return unparsed(diagnostic('DSL_NOT_A_FILE', 'error', { file, line: 1, column: 1 }, NOT_REGULAR_WORDS[error.kind]));
    if (error instanceof FileTooLarge) return unparsed(diagnostic('DSL_FILE_TOO_LARGE', 'error', { file, line: 1, column: 1 }, { size: error.size, limit: DSL_LIMITS.fileBytes }));
    return unparsed(diagnostic('DSL_FILE_UNREADABLE', 'error', { file }, { reason: reason(error) }));
  }
  return parseProcessText(bytes, file, options);
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
