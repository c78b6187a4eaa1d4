import type { DslCode } from './dsl-messages.js';

/**
 * 读取文件 — the messages of the two errors the shared reader of outside files throws
 * (`readRegularFile`: process, scenario, organisation, event and users files alike). Their codes are
 * the process file's diagnostics' (DSL_NOT_A_FILE, DSL_FILE_TOO_LARGE): one refusal, one code, whether
 * the validator reports it at 1:1 of a process file or a command prints it. The words are the
 * file's kind's to add (the diagnostics say "a process file"); these name the path instead.
 */
export const fileReadMessages = {
  DSL_NOT_A_FILE: {
    en: '{file} is {what}, not an ordinary file: only a regular file is read (a pipe or a device may never end), so nothing was read',
    zh: '{file} 是{whatZh}，不是普通文件：只从普通文件读取（管道或设备可能永不结束），未读取任何内容',
  },
  DSL_FILE_TOO_LARGE: {
    en: '{file} has {size} bytes; at most {limit} bytes are read from it, so nothing was read',
    zh: '{file} 有 {size} 字节，最多读取 {limit} 字节，未读取任何内容',
  },
} as const satisfies Partial<Record<DslCode, { en: string; zh: string }>>;

/** The code of an error of the shared file reader. */
export type FileReadCode = keyof typeof fileReadMessages;
