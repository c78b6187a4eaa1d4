import { fillTemplate, LuoshiError } from '@luoshi/dsl';

/** Every error of the command line itself, with messages in both languages. */
export const cliMessages = {
  CLI_DB_AND_URL: {
    en: 'Give either --db <sqlite file> or --url <database URL>, not both',
    zh: '--db（SQLite 文件）与 --url（数据库地址）只能二选一',
  },
  CLI_BAD_DATABASE_URL: {
    en: 'The database URL from {source} is not usable: {detail}',
    zh: '{sourceZh}中的数据库地址无法使用：{detail}',
  },
  CLI_DATABASE_UNAVAILABLE: {
    en: 'Cannot open the database {database}: {detail}',
    zh: '无法打开数据库 {database}：{detail}',
  },
  CLI_USERS_FILE_UNREADABLE: {
    en: 'Cannot read the users file {file}: {detail}',
    zh: '无法读取用户文件 {file}：{detail}',
  },
  CLI_USERS_FILE_INVALID: {
    en: 'The users file {at} cannot be used: {detail}',
    zh: '用户文件 {at} 无法使用：{detailZh}',
  },
  CLI_NOW_BEFORE_CLOCK: {
    en: 'The time given with --now, {now}, is before the database\'s clock, {clock}: its campaigns have already applied events up to then, and time never runs backwards. Nothing was done; give a later --now',
    zh: '--now 给出的时间 {now} 早于数据库的时钟 {clock}：其中的活动已处理到该时间，时间不能倒流。未作任何处理，请给出更晚的 --now',
  },
  CLI_INIT_UNWRITABLE: {
    en: 'Cannot write {file}: {detail}',
    zh: '无法写入 {file}：{detail}',
  },
} as const satisfies Record<string, { en: string; zh: string }>;

/** A stable code of `cliMessages`. */
export type CliCode = keyof typeof cliMessages;

/** Codes that are the caller's mistake in how the command was given: exit 2, like commander's own. */
const USAGE: ReadonlySet<CliCode> = new Set<CliCode>(['CLI_DB_AND_URL', 'CLI_BAD_DATABASE_URL', 'CLI_USERS_FILE_UNREADABLE', 'CLI_USERS_FILE_INVALID']);

/** An error of the `luoshi` command (options that do not fit together, a database it cannot open). */
export class CliError extends LuoshiError<CliCode> {
  constructor(code: CliCode, params: Record<string, string | number> = {}, options: { cause?: unknown } = {}) {
    const template = cliMessages[code];
    super(
      code,
      { en: fillTemplate(template.en, params), zh: fillTemplate(template.zh, params) },
      { details: params, ...(options.cause === undefined ? {} : { cause: options.cause }) },
    );
    this.name = 'CliError';
  }

  /** Whether the command line itself was wrong (exit 2) rather than what it acted on (exit 1). */
  get isUsage(): boolean {
    return USAGE.has(this.code);
  }
}
