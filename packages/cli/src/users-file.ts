import { FileTooLarge, readRegularFile } from '@luoshi/dsl';
import type { Actor } from '@luoshi/http';
import { CliError } from './cli-error.js';
import { refusedUnread } from './json-file.js';

/** Largest users file `luoshi serve` reads: 1 MiB, room for thousands of users. */
export const MAX_USERS_FILE_BYTES = 1024 * 1024;
/** Most users (tokens) in one file. */
export const MAX_USERS = 10_000;
/** Longest token, in characters. */
export const MAX_TOKEN_LENGTH = 512;
/** Longest user id, role or unit id, in characters. */
export const MAX_NAME_LENGTH = 256;
/** Most roles one user may hold. */
export const MAX_ROLES = 100;
/** Most units one user may belong to. */
export const MAX_UNITS = 1000;

/** RFC 6750's token syntax: what can follow `Authorization: Bearer ` unchanged. */
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** As in an organisation tree: no spaces, "/", "@" or "#" in a unit id. */
const BAD_UNIT_ID = /[\s/@#]/;
const FIELDS: ReadonlySet<string> = new Set(['id', 'roles', 'units']);

/**
 * Reads and checks the users file of `luoshi serve` (用户文件): a JSON object of bearer token →
 * `{ "id": "张三", "roles": ["支部"], "units": ["u01"] }`, `units` optional (without it the user is not
 * limited to units). Answers the users in a Map, so a token is only ever one the file names: a plain
 * object read with `users[token]` gave `constructor`, `__proto__`, `toString` an actor. Anything else
 * (a missing file, text that is not JSON, a user without roles, a misspelt field, a token given
 * twice, too large a file) is refused with CLI_USERS_FILE_UNREADABLE or CLI_USERS_FILE_INVALID
 * (exit 2), before the database is opened. Messages give the file, line and column, and name users
 * by id, never by token: a token is a secret.
 */
export function loadUsersFile(file: string): ReadonlyMap<string, Actor> {
  let bytes: Buffer;
  try {
    // Opened once, checked and read on that one handle (a users file is small: a larger one is refused unread).
    bytes = Buffer.from(readRegularFile(file, MAX_USERS_FILE_BYTES));
  } catch (error) {
    if (error instanceof FileTooLarge) throw tooLarge(file);
    const refused = refusedUnread(error);
    if (refused !== undefined) throw new CliError('CLI_USERS_FILE_UNREADABLE', { file, ...refused }, { cause: error });
    const message = (error as Error).message;
    throw new CliError('CLI_USERS_FILE_UNREADABLE', { file, detail: message, detailZh: message }, { cause: error });
  }
  if (bytes.length > MAX_USERS_FILE_BYTES) throw tooLarge(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid(file, 'the text is not valid UTF-8', '文字不是有效的 UTF-8 编码');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    // JSON.parse's message may quote the text (`--users /etc/passwd` would print its first line): only its position is kept.
    throw invalid(position === undefined ? file : at(file, text, Number(position)), 'not valid JSON', '不是有效的 JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw invalid(file, 'expected an object of token → { "id", "roles", "units"? }', '应为“令牌 → { "id", "roles", "units"? }”的对象');
  const entries = Object.entries(parsed);
  if (entries.length === 0) throw invalid(file, 'it names no user', '文件中没有任何用户');
  if (entries.length > MAX_USERS) throw invalid(file, `more than ${MAX_USERS} users`, `用户超过 ${MAX_USERS} 个`);
  // JSON.parse keeps the last of two equal keys: a token given twice is refused, not half-read.
  const keys = topLevelKeys(text);
  const offsetOf = new Map<string, number>();
  for (const key of keys) {
    if (offsetOf.has(key.name)) throw invalid(at(file, text, key.offset), 'this token is given twice', '此令牌重复出现');
    offsetOf.set(key.name, key.offset);
  }
  const users = new Map<string, Actor>();
  for (const [token, value] of entries) users.set(token, checkUser(at(file, text, offsetOf.get(token) ?? 0), token, value));
  return users;
}

function checkUser(where: string, token: string, value: unknown): Actor {
  if (token.length > MAX_TOKEN_LENGTH || !TOKEN.test(token))
    throw invalid(where, `a token must be 1 to ${MAX_TOKEN_LENGTH} letters, digits or - . _ ~ + / (then = signs)`, `令牌须为 1 至 ${MAX_TOKEN_LENGTH} 个字母、数字或 - . _ ~ + /（末尾可有 =）`);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(where, 'a user must be an object { "id", "roles", "units"? }', '用户必须是对象 { "id", "roles", "units"? }');
  const user = value as Record<string, unknown>;
  for (const key of Object.keys(user))
    if (!FIELDS.has(key)) throw invalid(where, `unknown field ${JSON.stringify(key)} (known: id, roles, units)`, `未知字段 ${JSON.stringify(key)}（可用：id、roles、units）`);
  const id = user.id;
  if (!isName(id)) throw invalid(where, `"id" must be a text of 1 to ${MAX_NAME_LENGTH} characters`, `"id" 必须是 1 至 ${MAX_NAME_LENGTH} 个字符的文字`);
  const who = `${where} (${JSON.stringify(id)})`;
  const roles = user.roles;
  if (!Array.isArray(roles) || roles.length === 0 || roles.length > MAX_ROLES || !roles.every(isName))
    throw invalid(who, `"roles" must be a list of 1 to ${MAX_ROLES} role ids (texts)`, `"roles" 必须是 1 至 ${MAX_ROLES} 个角色标识（文字）的列表`);
  const units = user.units;
  if (units !== undefined) {
    if (!Array.isArray(units) || units.length === 0 || units.length > MAX_UNITS)
      throw invalid(who, `"units" must be a list of 1 to ${MAX_UNITS} unit ids; leave it out for a user of every unit`, `"units" 必须是 1 至 ${MAX_UNITS} 个单位标识的列表；不限单位的用户请省略此项`);
    for (const unit of units)
      if (!isName(unit) || BAD_UNIT_ID.test(unit))
        throw invalid(who, `unit id ${shown(unit)} must be a text without spaces, "/", "@" or "#"`, `单位标识 ${shown(unit)} 必须是不含空格、“/”、“@”、“#”的文字`);
  }
  return Object.freeze({
    id,
    roles: Object.freeze([...(roles as string[])]),
    ...(units === undefined ? {} : { units: Object.freeze([...(units as string[])]) }),
  });
}

/** A value as a message shows it: a text quoted and cut, anything else by its kind (a list nested 100,000 deep is never stringified). */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? '(a list)' : '(an object)';
  return String(value);
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME_LENGTH;
}

function invalid(at: string, detail: string, detailZh: string): CliError {
  return new CliError('CLI_USERS_FILE_INVALID', { at, detail, detailZh });
}

function tooLarge(file: string): CliError {
  return invalid(file, `larger than ${MAX_USERS_FILE_BYTES} bytes`, `超过 ${MAX_USERS_FILE_BYTES} 字节`);
}

/** `file:line:column` of a character offset. */
function at(file: string, text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  return `${file}:${line}:${offset - lineStart + 1}`;
}

/**
 * The keys of the top-level object with the offsets of their opening quotes, in order, in text
 * JSON.parse has accepted: one pass, tracking depth and strings.
 */
function topLevelKeys(text: string): { readonly name: string; readonly offset: number }[] {
  const keys: { name: string; offset: number }[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      if (depth === 1 && expectKey) keys.push({ name: JSON.parse(text.slice(start, i + 1)) as string, offset: start });
      expectKey = false;
    } else if (c === '{' || c === '[') {
      depth++;
      expectKey = c === '{' && depth === 1;
    } else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 1) expectKey = true;
  }
  return keys;
}
