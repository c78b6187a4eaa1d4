import { FileTooLarge, fillTemplate, LuoshiError, NotARegularFile } from '@luoshi/dsl';
import { EXIT } from './cli-io.js';

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
    zh: '无法读取用户文件 {file}：{detailZh}',
  },
  CLI_USERS_FILE_INVALID: {
    en: 'The users file {at} cannot be used: {detail}',
    zh: '用户文件 {at} 无法使用：{detailZh}',
  },
  CLI_DATABASE_MISSING: {
    en: 'There is no database {database}: a command that reads never creates one. Create it with `luoshi migrate`, `deploy` or `start`, or check --db',
    zh: '数据库 {database} 不存在：查询命令不会新建数据库。请先用 `luoshi migrate`、`deploy` 或 `start` 创建，或检查 --db',
  },
  CLI_DATABASE_NOT_READY: {
    en: 'The database {database} is not a Luoshi database at its latest version (missing: {pending}), and a command that reads never changes one. Run `luoshi migrate` on it first, or check --db',
    zh: '数据库 {database} 不是最新版本的落实数据库（缺少：{pending}），查询命令不会改动数据库。请先对它运行 `luoshi migrate`，或检查 --db',
  },
  CLI_DATABASE_NEWER: {
    en: 'The database {database} was migrated by a newer release of Luoshi ({unknown}), which this one cannot read. Nothing was read or changed; use that release',
    zh: '数据库 {database} 已由更新版本的落实迁移（{unknown}），本版本无法读取。未读取或改动任何内容，请使用该版本',
  },
  CLI_OUTPUT_UNWRITABLE: {
    en: 'Cannot write {what} to {file}: {detail}. Nothing was run',
    zh: '无法将{whatZh}写入 {file}：{detailZh}。未运行模拟',
  },
  CLI_FILE_UNREADABLE: {
    en: 'Cannot read the {what} file {file}: {detail}',
    zh: '无法读取{whatZh}文件 {file}：{detailZh}',
  },
  CLI_FILE_INVALID: {
    en: 'The {what} file {at} cannot be used: {detail}',
    zh: '{whatZh}文件 {at} 无法使用：{detailZh}',
  },
  CLI_EVENT_INVALID: {
    en: 'The event is not valid JSON (at character {position}): give one JSON object, e.g. \'{"type":"task.completed","task":"报送方案"}\'',
    zh: '事件不是有效的 JSON（第 {position} 个字符处）：请给出一个 JSON 对象，例如 \'{"type":"task.completed","task":"报送方案"}\'',
  },
  CLI_CONFIG_INVALID: {
    en: 'The configuration file {file} cannot be used: {detail}',
    zh: '配置文件 {file} 无法使用：{detailZh}',
  },
  CLI_UNEXPECTED: {
    en: 'The command failed unexpectedly: {detail}. Nothing more is known; please report it with the command you gave',
    zh: '命令意外失败：{detail}。请连同所执行的命令一并报告',
  },
  CLI_CLOCK_BACKWARDS: {
    en: 'Campaign {campaign}\'s clock stands at {clock}; {time} is before it (times in {zone}), and time never runs backwards. Nothing was done; give a later time',
    zh: '活动 {campaign} 的时钟已到 {clock}，{time} 早于此时（{zone} 时间），时间不能倒流。未作任何处理，请给出更晚的时间',
  },
  CLI_CLOCK_TOO_FAR: {
    en: 'Campaign {campaign}\'s clock cannot be moved past the end of 9999 (from {clock} by {text}; times in {zone}). Nothing was done; give a shorter duration',
    zh: '活动 {campaign} 的时钟不能移过 9999 年末（自 {clock} 起再过 {text}，{zone} 时间）。未作任何处理，请给出较短的时长',
  },
  CLI_BAD_TIME: {
    en: '"{text}" is not a time: give one like 2010-05-10T09:00 (Asia/Shanghai unless it names a zone)',
    zh: '「{text}」不是时间：请写成 2010-05-10T09:00 这样的格式（除非注明时区，按北京时间）',
  },
  CLI_BAD_DURATION: {
    en: '"{text}" is not a duration: give one like 7d, 12h, 1w2d or 30m',
    zh: '「{text}」不是时长：请写成 7d、12h、1w2d 或 30m 这样的格式',
  },
  CLI_CLOCK_HOW: {
    en: 'Give either --set <time> or --advance <duration>, not both',
    zh: '--set（时间）与 --advance（时长）只能二选一',
  },
  CLI_SIMULATE_WHAT: {
    en: 'Give either a campaign file, or --from <database> with --campaign <id> (no campaign file, --db or --years with --from)',
    zh: '请给出活动文件，或用 --from（数据库）加 --campaign（活动编号）；使用 --from 时不要再给活动文件、--db 或 --years',
  },
  CLI_EVENT_SHAPE: {
    en: 'The event does not fit the shape of its type, nothing was sent: {detail}',
    zh: '事件不符合其类型的格式，未发送：{detailZh}',
  },
  CLI_ROLE_WITHOUT_ACTOR: {
    en: '--role says which roles the actor holds, but no --actor says who acts: give --actor <id> as well (the event is checked and recorded as theirs, as over HTTP)',
    zh: '--role 给出了办理人所持的角色，但没有用 --actor 指明办理人：请同时给出 --actor <标识>（事件按其角色检查并记在其名下，与 HTTP 相同）',
  },
  CLI_UNKNOWN_PHASE: {
    en: 'The process {process} has no phase {phase}; its phases are: {known}',
    zh: '流程 {process} 没有阶段「{phase}」；它的阶段有：{known}',
  },
  CLI_INIT_UNWRITABLE: {
    en: 'Cannot write {file}: {detail}',
    zh: '无法写入 {file}：{detail}',
  },
} as const satisfies Record<string, { en: string; zh: string }>;

/** A stable code of `cliMessages`. */
export type CliCode = keyof typeof cliMessages;

/** Codes that are the caller's mistake in how the command was given: exit 2, like commander's own. */
const USAGE: ReadonlySet<CliCode> = new Set<CliCode>([
  'CLI_DB_AND_URL',
  'CLI_BAD_DATABASE_URL',
  'CLI_USERS_FILE_UNREADABLE',
  'CLI_USERS_FILE_INVALID',
  'CLI_FILE_UNREADABLE',
  'CLI_FILE_INVALID',
  'CLI_EVENT_INVALID',
  'CLI_CONFIG_INVALID',
  'CLI_DATABASE_MISSING',
  'CLI_DATABASE_NOT_READY',
  'CLI_DATABASE_NEWER',
  'CLI_OUTPUT_UNWRITABLE',
  'CLI_BAD_TIME',
  'CLI_BAD_DURATION',
  'CLI_CLOCK_TOO_FAR',
  'CLI_CLOCK_HOW',
  'CLI_SIMULATE_WHAT',
  'CLI_UNKNOWN_PHASE',
  'CLI_EVENT_SHAPE',
  'CLI_ROLE_WITHOUT_ACTOR',
]);

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

/**
 * The exit code of a command that failed with `error`: 2 for how the command was given or an input
 * it names that cannot be used — a usage CliError, a campaign id no campaign can have
 * (ENGINE_INVALID_CAMPAIGN_ID, refused before a database is opened), an input file the shared reader
 * refused unread (DSL_NOT_A_FILE / DSL_FILE_TOO_LARGE, as CLI_FILE_UNREADABLE is) — and 1 for what
 * the command acted on (invalid process files, the engine's refusals, a database it cannot use).
 */
export function exitCodeOf(error: LuoshiError): typeof EXIT.usage | typeof EXIT.invalid {
  if (error instanceof CliError) return error.isUsage ? EXIT.usage : EXIT.invalid;
  if (error.code === 'ENGINE_INVALID_CAMPAIGN_ID') return EXIT.usage;
  return error instanceof NotARegularFile || error instanceof FileTooLarge ? EXIT.usage : EXIT.invalid;
}
