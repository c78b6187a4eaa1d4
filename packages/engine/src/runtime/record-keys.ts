import { setOwn } from './own-keys.js';

/**
 * How an instance's records are keyed. A member appears in keys by reference: its position in the
 * unit's member list, as text ("0", "1", …), never by its id. Keys then repeat from unit to unit
 * (`个人承诺@3`), so every unit's task maps share their object layouts; with
 * member ids in the keys each unit had layouts of its own — a quarter of a large simulation's heap,
 * and the slow path of every copy on write. Events, effects, views and the keys hosts see
 * (`publicTaskKey`) carry member ids; the engine translates at those edges.
 */

/** Key of a task record: item, occurrence and member reference. */
export function taskKey(item: string, member?: string, occurrence?: number): string {
  const base = occurrence === undefined ? item : `${item}#${occurrence}`;
  return member === undefined ? base : `${base}@${member}`;
}

/** What a task key names. Item ids never contain "#" or "@" (the compiler refuses them), member ids neither. */
export function parseTaskKey(key: string): { readonly item: string; readonly member?: string; readonly occurrence?: number } {
  const at = key.indexOf('@');
  const head = at < 0 ? key : key.slice(0, at);
  const hash = head.indexOf('#');
  // Assigned, not spread in: a literal with conditional spreads gets a layout of its own from V8 every time.
  const named: { item: string; member?: string; occurrence?: number } = { item: hash < 0 ? head : head.slice(0, hash) };
  if (at >= 0) named.member = key.slice(at + 1);
  if (hash >= 0) named.occurrence = Number(head.slice(hash + 1));
  return named;
}

/** Key of an inspection loop record (the unit's, or a member's by reference). */
export function inspectionKey(inspection: string, member?: string): string {
  return member === undefined ? inspection : `${inspection}@${member}`;
}

/**
 * The slot of a subject in the records kept per subject (scores, ladder counters, flags, ranks): the
 * unit in slot 0, the member with reference r in slot r + 1. Arrays by slot, not maps by subject:
 * subjects reach a record in an order of their own in every unit (complaints, scores, places), and
 * maps keyed in that order gave every unit object layouts nobody else shared — slow copies on write
 * and slow reads everywhere those maps went.
 */
export function subjectSlot(member: string | undefined): number {
  return member === undefined ? 0 : Number(member) + 1;
}

/** A copy of a per-subject array with the subject's slot set, the slots before it that were missing null. */
export function withSlot<T>(slots: readonly (T | null)[] | undefined, member: string | undefined, value: T): (T | null)[] {
  const next = slots === undefined ? [] : slots.slice();
  setSlot(next, member, value);
  return next;
}

/** Sets the subject's slot of a per-subject array the caller owns (a copy it made), the slots before it that were missing null. */
export function setSlot<T>(slots: (T | null)[], member: string | undefined, value: T): void {
  const slot = subjectSlot(member);
  while (slots.length < slot) slots.push(null);
  slots[slot] = value;
}

/**
 * A copy of a record map with one key set. Not `{ ...map, [key]: value }`: V8 gives an object made
 * by a spread and a computed key a layout of its own, so every unit's maps (and every task record)
 * had layouts nobody shared — memory, and the slow path of every later copy. A copy and a keyed
 * store follow the shared layout transitions.
 */
export function withKey<T>(map: Readonly<Record<string, T>>, key: string, value: T): Record<string, T> {
  const copy = { ...map };
  setOwn(copy, key, value);
  return copy;
}

/** Subject key of the unit itself in events (`ranking.placed`); members are `m:<id>` there. */
export const UNIT_SUBJECT = 'u';

/** The member id of an event's subject key, or undefined for the unit. */
export function memberOfSubject(subject: string): string | undefined {
  return subject.startsWith('m:') ? subject.slice(2) : undefined;
}

/** Per member list (one array per instance, kept across steps), its references and the reference of each id. */
const refsByList = new WeakMap<readonly string[], { readonly refs: readonly string[]; readonly byId: ReadonlyMap<string, string> }>();

function refsOf(members: readonly string[]): { readonly refs: readonly string[]; readonly byId: ReadonlyMap<string, string> } {
  let found = refsByList.get(members);
  if (found === undefined) {
    const refs = members.map((_, i) => String(i));
    found = { refs, byId: new Map(members.map((id, i) => [id, refs[i] as string])) };
    refsByList.set(members, found);
  }
  return found;
}

/** The references of all members, in list order. */
export function memberRefs(members: readonly string[]): readonly string[] {
  return refsOf(members).refs;
}

/** The reference of a member id; undefined when the id is undefined or not a member. */
export function memberRef(members: readonly string[], id: string | undefined): string | undefined {
  return id === undefined ? undefined : refsOf(members).byId.get(id);
}

/** The id of a member reference; undefined for undefined. */
export function memberIdOf(members: readonly string[], ref: string | undefined): string | undefined {
  return ref === undefined ? undefined : members[Number(ref)];
}

/** The key hosts see for a task record key: the member named by id (`个人承诺@u01-m3`). */
export function publicTaskKey(members: readonly string[], key: string): string {
  const at = key.indexOf('@');
  return at < 0 ? key : `${key.slice(0, at + 1)}${memberIdOf(members, key.slice(at + 1)) ?? ''}`;
}

/** The record key of a key hosts use; undefined when it names someone who is not a member. */
export function recordTaskKey(members: readonly string[], key: string): string | undefined {
  const at = key.indexOf('@');
  if (at < 0) return key;
  const ref = memberRef(members, key.slice(at + 1));
  return ref === undefined ? undefined : `${key.slice(0, at + 1)}${ref}`;
}
