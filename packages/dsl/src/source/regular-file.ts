import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { fileReadMessages, type FileReadCode } from '../errors/file-read-messages.js';
import { fillTemplate, LuoshiError, type BilingualMessage } from '../errors/luoshi-error.js';

/**
 * 普通文件 — what a file that comes from outside (a process file, a scenario, an organisation) is
 * read as: a regular file only. A FIFO may never end or never start, a device such as /dev/zero
 * never ends and reports size 0, a socket is no text; read blindly, a FIFO with no writer read as an
 * empty document and a device as a file too large. Shared by the loader and the simulator's
 * scenario files, so both refuse the same files the same way.
 */

/** What a path names when it is no regular file, in words for a message. */
export type NotRegularKind = 'FIFO' | 'device' | 'socket' | 'directory' | 'other';

/** What a path that is no regular file is, in both languages (DSL_NOT_A_FILE's `what` and `whatZh`). */
export const NOT_REGULAR_WORDS: Readonly<Record<NotRegularKind, { readonly what: string; readonly whatZh: string }>> = {
  FIFO: { what: 'a FIFO (named pipe)', whatZh: '命名管道（FIFO）' },
  device: { what: 'a device', whatZh: '设备文件' },
  socket: { what: 'a socket', whatZh: '套接字' },
  directory: { what: 'a directory', whatZh: '目录' },
  other: { what: 'no regular file', whatZh: '非普通文件' },
};

function messages(code: FileReadCode, params: Readonly<Record<string, string | number>>): BilingualMessage {
  const template = fileReadMessages[code];
  return { en: fillTemplate(template.en, params), zh: fillTemplate(template.zh, params) };
}

/** The path names no regular file; nothing was read from it (DSL_NOT_A_FILE). */
export class NotARegularFile extends LuoshiError<'DSL_NOT_A_FILE'> {
  constructor(
    readonly path: string,
    readonly kind: NotRegularKind,
  ) {
    const params = { file: path, ...NOT_REGULAR_WORDS[kind] };
    super('DSL_NOT_A_FILE', messages('DSL_NOT_A_FILE', params), { details: params });
    this.name = 'NotARegularFile';
  }
}

/**
 * The file is larger than the limit (DSL_FILE_TOO_LARGE): `size` from its status before a byte was
 * read, or the bytes read once it grew; nothing read is handed on.
 */
export class FileTooLarge extends LuoshiError<'DSL_FILE_TOO_LARGE'> {
  constructor(
    readonly path: string,
    readonly size: number,
    readonly limit: number,
  ) {
    const params = { file: path, size, limit };
    super('DSL_FILE_TOO_LARGE', messages('DSL_FILE_TOO_LARGE', params), { details: params });
    this.name = 'FileTooLarge';
  }
}

function kindOf(stat: Stats): NotRegularKind {
  if (stat.isFIFO()) return 'FIFO';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'device';
  if (stat.isSocket()) return 'socket';
  if (stat.isDirectory()) return 'directory';
  return 'other';
}

/**
 * Reads a regular file of at most `limit` bytes, never reading more than `limit + 1`: opened without
 * waiting (a FIFO opened for reading would otherwise wait for a writer before it could be refused),
 * its kind and size checked before a byte is read, the read stopped past the limit should it grow
 * meanwhile. Throws `NotARegularFile` (DSL_NOT_A_FILE), `FileTooLarge` (DSL_FILE_TOO_LARGE), or the
 * file system's error.
 */
export function readRegularFile(path: string, limit: number): Uint8Array {
  const fd = openWithoutWaiting(path);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new NotARegularFile(path, kindOf(stat));
    if (stat.size > limit) throw new FileTooLarge(path, stat.size, limit);
    // The size read, and one byte more to see that it did not grow; grown, up to the limit and one.
    let buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (buffer.length > limit) break;
        const larger = Buffer.alloc(limit + 1);
        buffer.copy(larger, 0, 0, length);
        buffer = larger;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > limit) throw new FileTooLarge(path, length, limit);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * The file opened for reading without waiting. A socket (and a device with no driver behind it)
 * cannot be opened at all (ENXIO, "no such device or address"): it is said to be what it is, as a
 * FIFO or a device that opens is, not left as an unreadable file with the system's puzzling reason.
 */
function openWithoutWaiting(path: string): number {
  try {
    return openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENXIO') {
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat !== undefined && !stat.isFile()) throw new NotARegularFile(path, kindOf(stat));
    }
    throw error;
  }
}
