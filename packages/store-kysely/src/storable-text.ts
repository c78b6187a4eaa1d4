import { EngineError } from '@luoshi/engine';

/*
 * Text the databases cannot hold (无法保存的文字): PostgreSQL refuses a NUL character (U+0000) in
 * any text value, with an encoding error; SQLite would keep it. So both stores refuse it on every
 * write with STORE_INVALID_TEXT (HTTP 400), and a look-up by an id holding one answers "not found"
 * without asking the database: no stored row can have it. The JSON columns never hold a raw NUL
 * (JSON.stringify writes it as `\u0000`), so only the plain text columns are checked.
 */

/** The plain text columns a write fills, with their names in both languages for the message. */
const FIELD_NAMES = {
  processId: ['process id', '过程标识'],
  hash: ['process hash', '过程哈希'],
  campaignId: ['campaign id', '活动标识'],
  instanceId: ['instance id', '实例标识'],
  unitId: ['unit id', '单位标识'],
  unitPath: ['unit path', '单位路径'],
  phase: ['phase', '阶段'],
  eventType: ['event type', '事件类型'],
  actor: ['actor', '操作人'],
  cause: ['cause', '起因'],
  idempotencyKey: ['idempotency key', '幂等键'],
  timerKey: ['timer key', '定时器键'],
  effectId: ['effect id', '措施标识'],
} as const satisfies Record<string, readonly [string, string]>;

/** A plain text column of the store. */
export type TextField = keyof typeof FIELD_NAMES;

/** Longest part of a refused value the message shows, in characters. */
const SHOWN_CHARACTERS = 80;

/** Whether `value` can be stored in a text column of both databases. */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000');
}

/** Throws STORE_INVALID_TEXT when `value` holds a NUL character; `null` (no value) passes. */
export function requireStorableText(field: TextField, value: string | null): void {
  if (value === null || isStorableText(value)) return;
  const [en, zh] = FIELD_NAMES[field];
  // JSON's escapes show the NUL (and any other control character) as `\u0000`, visible in a message.
  const escaped = JSON.stringify(value).slice(1, -1);
  const shown = escaped.length > SHOWN_CHARACTERS ? `${escaped.slice(0, SHOWN_CHARACTERS)}…` : escaped;
  throw new EngineError('STORE_INVALID_TEXT', {
    field: shown,
    detail: `the ${en} holds a NUL character (U+0000), which the database cannot store`,
    detailZh: `${zh}含有空字符（U+0000），数据库无法保存`,
  });
}
