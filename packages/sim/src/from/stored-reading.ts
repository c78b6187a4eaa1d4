import { LuoshiError } from '@luoshi/dsl';
import { simError } from '../errors/sim-error.js';

/**
 * 读取存储 — reading what a live database holds, which may be damaged row by row (a bad disk, a
 * hand edit, a restore gone wrong): a failure to parse or decode becomes SIM_LIVE_DAMAGED naming
 * the campaign and the row, never an untyped exception. The engine's own coded errors (an unknown
 * snapshot format, a statechart that cannot restore) pass as they are.
 */
export interface StoredPart {
  readonly en: string;
  readonly zh: string;
}

/** The deployed version the campaign runs, compiled. */
export const DEFINITION: StoredPart = { en: 'the process version it runs', zh: '其运行的流程版本' };
/** The instances' snapshots, restored. */
export const SNAPSHOTS: StoredPart = { en: "its units' stored states", zh: '各单位的存储状态' };

/** Runs `read` on a stored part of `campaign`; a non-Luoshi failure becomes SIM_LIVE_DAMAGED. */
export function readStored<T>(campaign: string, part: StoredPart, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof LuoshiError) throw error;
    throw damaged(campaign, part, error);
  }
}

/** `readStored` for work that waits. */
export async function readStoredAsync<T>(campaign: string, part: StoredPart, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof LuoshiError) throw error;
    throw damaged(campaign, part, error);
  }
}

/** JSON text of a stored row, parsed. */
export function parseStored<T>(campaign: string, part: StoredPart, text: string): T {
  return readStored(campaign, part, () => JSON.parse(text) as T);
}

/** SIM_LIVE_DAMAGED for a stored part of `campaign` that failed with `error`. */
export function damaged(campaign: string, part: StoredPart, error: unknown): LuoshiError {
  const text = error instanceof Error ? error.message : String(error);
  const detail = text.length > 200 ? `${text.slice(0, 197)}…` : text;
  return simError('SIM_LIVE_DAMAGED', { campaign: visible(campaign), what: part.en, whatZh: part.zh, detail });
}

/** Text from outside shown with its control and invisible-format characters as \u escapes: it reaches a terminal. */
export function visible(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}
