import { join } from 'node:path';
import { readRegularFile, type Language } from '@luoshi/dsl';
import { CliError } from './cli-error.js';
import { refusedUnread } from './json-file.js';

/** The variable naming the configuration file, beating the default place. */
export const CONFIG_VARIABLE = 'LUOSHI_CONFIG';

/** Largest configuration file read: 64 KiB (it holds a language; /dev/zero named by mistake is refused unread). */
export const MAX_CONFIG_FILE_BYTES = 64 * 1024;

/**
 * Where the configuration file is (配置文件): `LUOSHI_CONFIG`, else `config.json` under
 * `XDG_CONFIG_HOME/luoshi`, `APPDATA/luoshi` (Windows) or `HOME/.config/luoshi`. Read from the
 * environment the command was given, never from the process, so a test's environment is the whole story.
 */
export function configFile(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const named = env[CONFIG_VARIABLE];
  if (named !== undefined && named !== '') return named;
  const base = env.XDG_CONFIG_HOME || env.APPDATA || (env.HOME || env.USERPROFILE ? join((env.HOME || env.USERPROFILE) as string, '.config') : undefined);
  return base === undefined ? undefined : join(base, 'luoshi', 'config.json');
}

/**
 * The language of the command's messages: `--lang`, else the locale variables (`LC_ALL`,
 * `LC_MESSAGES`, `LANG`) when they name one (`C` and `POSIX` name none), else the configuration
 * file's `"lang"`, else English. The file is the way to choose where there is no LANG (Windows).
 * A configuration file named by `LUOSHI_CONFIG` that cannot be used is CLI_CONFIG_INVALID; the
 * default place may simply have none.
 */
export function cliLanguage(explicit: string | undefined, env: Readonly<Record<string, string | undefined>>): Language {
  if (explicit === 'en' || explicit === 'zh') return explicit;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  const named = locale.split(/[._@]/)[0]?.toLowerCase() ?? '';
  if (named.startsWith('zh')) return 'zh';
  if (named !== '' && named !== 'c' && named !== 'posix') return 'en';
  return configLanguage(env) ?? 'en';
}

/** The configuration file's `"lang"`, if it has one. */
function configLanguage(env: Readonly<Record<string, string | undefined>>): Language | undefined {
  const file = configFile(env);
  if (file === undefined) return undefined;
  const required = env[CONFIG_VARIABLE] !== undefined && env[CONFIG_VARIABLE] !== '';
  let text: string;
  try {
    // Only a regular file, opened without waiting: a FIFO named by LUOSHI_CONFIG hung every command.
    text = Buffer.from(readRegularFile(file, MAX_CONFIG_FILE_BYTES)).toString('utf8');
  } catch (error) {
    if (!required && (error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new CliError('CLI_CONFIG_INVALID', { file, ...(refusedUnread(error) ?? { detail: 'cannot be read', detailZh: '无法读取' }) }, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError('CLI_CONFIG_INVALID', { file, detail: 'not valid JSON', detailZh: '不是有效的 JSON' });
  }
  const lang = typeof parsed === 'object' && parsed !== null && Object.hasOwn(parsed, 'lang') ? (parsed as { lang: unknown }).lang : undefined;
  if (lang === undefined) return undefined;
  if (lang === 'zh' || lang === 'en') return lang;
  throw new CliError('CLI_CONFIG_INVALID', { file, detail: '"lang" must be "zh" or "en"', detailZh: '"lang" 只能是 "zh" 或 "en"' });
}

/** `--lang x` or `--lang=x` among the arguments, read before commander parses them (its own messages follow it). */
export function langArgument(args: readonly string[]): string | undefined {
  let found: string | undefined;
  args.forEach((arg, k) => {
    if (arg === '--lang') found = args[k + 1];
    else if (arg.startsWith('--lang=')) found = arg.slice(7);
  });
  return found;
}

/** Commander's own error lines in Chinese: each pattern of its messages and the Chinese for it. */
const COMMANDER_ZH: readonly (readonly [RegExp, string])[] = [
  [/^error: unknown option '([^']*)'(?:\n\(Did you mean ([^?]*)\?\))?/, '错误：未知选项 $1'],
  [/^error: unknown command '([^']*)'/, '错误：未知命令 $1'],
  [/^error: missing required argument '([^']*)'/, '错误：缺少必需的参数 $1'],
  [/^error: option '([^']*)' argument missing/, '错误：选项 $1 缺少取值'],
  [/^error: required option '([^']*)' not specified/, '错误：未给出必需的选项 $1'],
  [/^error: too many arguments(?: for '([^']*)')?\. Expected (\d+) arguments? but got (\d+)\./, '错误：参数过多，应为 $2 个，实际 $3 个'],
  [/^error: option '([^']*)' argument '([^']*)' is invalid\. Allowed choices are ([^.]*)\./, '错误：选项 $1 的取值 $2 无效，可选：$3'],
  [/^error: option '([^']*)' argument '([^']*)' is invalid\. (.*)/, '错误：选项 $1 的取值 $2 无效：$3'],
  [/\(add --help for additional information\)/, '（加 --help 查看说明）'],
  [/\(Did you mean ([^?]*)\?\)/, '（是否要用 $1？）'],
];

/** The headings of commander's help in Chinese. */
const TITLES_ZH: ReadonlyMap<string, string> = new Map([
  ['Usage:', '用法：'],
  ['Options:', '选项：'],
  ['Commands:', '命令：'],
  ['Arguments:', '参数：'],
  ['Global Options:', '全局选项：'],
]);

/** A help heading in the command's language. */
export function helpTitle(title: string, lang: Language): string {
  return lang === 'zh' ? (TITLES_ZH.get(title) ?? title) : title;
}

/**
 * Commander's error text in the command's language: in Chinese each known message is replaced by
 * its Chinese (the option and command names kept as given); anything else is left as commander wrote it.
 */
export function commanderText(text: string, lang: Language): string {
  if (lang !== 'zh') return text;
  let out = text;
  for (const [pattern, zh] of COMMANDER_ZH) out = out.replace(pattern, zh);
  return out;
}
