import { FileTooLarge, NOT_REGULAR_WORDS, NotARegularFile, readRegularFile } from '@luoshi/dsl';
import { CliError } from './cli-error.js';

/** Largest JSON input file (organisation tree, event script) the command reads: 64 MiB. */
export const MAX_JSON_FILE_BYTES = 64 * 1024 * 1024;

/** What a JSON input file is for, named in both languages in its error messages. */
export interface JsonFileKind {
  readonly what: string;
  readonly whatZh: string;
}

export const ORGANISATION_FILE: JsonFileKind = { what: 'organisation', whatZh: '组织' };
export const EVENTS_FILE: JsonFileKind = { what: 'event script', whatZh: '事件脚本' };

/**
 * Reads a JSON input file (an `--org` tree, an `--events` script): a file that cannot be read is
 * CLI_FILE_UNREADABLE, text that is not UTF-8 JSON CLI_FILE_INVALID with the line and column, both
 * exit 2. Messages never quote the file's text: `--org /etc/passwd` must not print a line of it, and
 * JSON.parse's own message does (`"root:x:0:0:…" is not valid JSON`), so only its position is kept.
 * What the parsed value holds is the engine's to check (it refuses a bad tree with a coded error).
 */
export function readJsonFile(file: string, kind: JsonFileKind): unknown {
  let bytes: Buffer;
  try {
    // Opened once, checked and read on that one handle: a file swapped or grown after a check is not read.
    bytes = Buffer.from(readRegularFile(file, MAX_JSON_FILE_BYTES));
  } catch (error) {
    const { detail, detailZh } = refusedUnread(error) ?? fileProblem(error);
    throw new CliError('CLI_FILE_UNREADABLE', { ...kind, file, detail, detailZh }, { cause: error });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError('CLI_FILE_INVALID', { ...kind, at: file, detail: 'the text is not valid UTF-8', detailZh: '文字不是有效的 UTF-8 编码' });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const position = jsonErrorPosition(error, text);
    throw new CliError('CLI_FILE_INVALID', { ...kind, at: position === undefined ? file : `${file}:${lineColumn(text, position)}`, detail: 'not valid JSON', detailZh: '不是有效的 JSON' });
  }
}

/**
 * Parses the JSON of a `send` event; text that is not JSON is CLI_EVENT_INVALID with the position
 * (never the text: it is the caller's own, and the message stays one line).
 */
export function parseEventJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError('CLI_EVENT_INVALID', { position: (jsonErrorPosition(error, text) ?? 0) + 1 });
  }
}

/** Where JSON.parse stopped, from its message ("at position 12"), or the end for "Unexpected end". */
function jsonErrorPosition(error: unknown, text: string): number | undefined {
  const message = error instanceof Error ? error.message : '';
  const position = /position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return Number(position);
  return /end of JSON/i.test(message) ? text.length : undefined;
}

/** "line:column" of a character position, both counted from 1. */
function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

/**
 * What the shared reader refused before reading a byte (DSL_NOT_A_FILE: a FIFO, a device, a socket,
 * a directory; DSL_FILE_TOO_LARGE), said in both languages for the message of the command's own
 * code (CLI_FILE_UNREADABLE, CLI_USERS_FILE_UNREADABLE, CLI_CONFIG_INVALID: exit 2); undefined for
 * any other error.
 */
export function refusedUnread(error: unknown): { detail: string; detailZh: string } | undefined {
  if (error instanceof NotARegularFile) {
    const { what, whatZh } = NOT_REGULAR_WORDS[error.kind];
    return { detail: `it is ${what}, not an ordinary file, so nothing was read`, detailZh: `它是${whatZh}，不是普通文件，未读取任何内容` };
  }
  if (error instanceof FileTooLarge) return { detail: `larger than ${error.limit} bytes`, detailZh: `超过 ${error.limit} 字节` };
  return undefined;
}

/** A file system error said plainly in both languages (its code, never a path other than the file's own). */
function fileProblem(error: unknown): { detail: string; detailZh: string } {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return { detail: 'no such file', detailZh: '文件不存在' };
  if (code === 'EACCES' || code === 'EPERM') return { detail: 'permission denied', detailZh: '没有读取权限' };
  if (code === 'EISDIR') return { detail: 'a directory, not a file', detailZh: '是目录而不是文件' };
  const message = error instanceof Error ? error.message : String(error);
  return { detail: message, detailZh: message };
}
