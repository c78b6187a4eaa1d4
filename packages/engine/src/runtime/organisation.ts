import { EngineError } from '../errors/engine-error.js';

/** A member (党员/干部) of a unit. */
export interface OrganisationMember {
  readonly id: string;
  readonly name?: string;
}

/**
 * A unit of the organisation tree a campaign runs over (区委 → 镇办/部门 → 支部). The root is the
 * office that issued the directive; office-level work is done there, unit-level work in every unit
 * below it ("一级抓一级, 层层抓落实").
 */
export interface OrganisationUnit {
  readonly id: string;
  readonly title?: string;
  /** A kind of unit (镇办, 部门, 支部), for hosts and scenarios. */
  readonly kind?: string;
  /** 批次 — the cohort the unit starts with (第一批试点, 第二批), an id of the campaign's `cohorts`; without one it starts with the campaign. */
  readonly cohort?: string;
  readonly members?: readonly OrganisationMember[];
  readonly units?: readonly OrganisationUnit[];
  /**
   * 督办事项清单 — items the unit holds from the start (D6's key-project list: each project with its
   * year's planned investment), opened when its instance starts, checked as `item.opened` is.
   */
  readonly items?: readonly OrganisationItem[];
}

/** 清单事项 — one item listed for a unit at the start: its id, kind, owner (责任人), due day (`YYYY-MM-DD`) and numeric target. */
export interface OrganisationItem {
  readonly id: string;
  readonly kind: string;
  readonly owner?: string;
  readonly due?: string;
  readonly target?: number;
}

/** A unit with its place in the tree. */
export interface PlacedUnit {
  readonly id: string;
  readonly title: string;
  /** Materialised path: `/root/town/branch/`. */
  readonly path: string;
  readonly parent?: string;
  readonly office: boolean;
  /** Whether the unit does unit-level work: every unit but an office that has units under it. */
  readonly unitWork: boolean;
  readonly members: readonly string[];
  /** 批次 — the unit's cohort, as the organisation names it (checked against the campaign at its start). */
  readonly cohort?: string;
  /** 层层分解 — how many units above it do unit-level work: 0 for the top level (the units under the office). */
  readonly levelsAbove: number;
  /** 督办事项清单 — the items listed for it, as written (checked against the campaign at its start). */
  readonly items?: readonly unknown[];
}

const FORBIDDEN = /[\s/@#]/;
/** Control, invisible-format and lone-surrogate characters: a unit named "\u202eevil" reads as another. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/u;

/**
 * Limits of an organisation tree (组织结构), checked before anything is started: it comes from a host
 * (an HTTP body, a file), and a tree nested without end or a list that is no list must be refused
 * with a code, not overflow the stack or throw a TypeError. The simulator's scenarios go up to
 * 100,000 units of up to 10,000 members; real ones are a few levels deep.
 */
export const ORGANISATION_LIMITS = { depth: 64, units: 200_000, membersPerUnit: 10_000, itemsPerUnit: 5_000, idLength: 200, jsonDepth: 2 * 64 + 8 } as const;

/**
 * Refuses a value nested deeper than `ORGANISATION_LIMITS.jsonDepth` anywhere (an extra key's value
 * included), walking it without recursion: the engine stores the organisation as JSON, and
 * `JSON.stringify` of a value nested 100,000 deep overflows the stack. A unit level takes two (its
 * object and its `units` list).
 */
function checkNesting(root: unknown): void {
  const stack: { readonly value: unknown; readonly depth: number }[] = [{ value: root, depth: 1 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > ORGANISATION_LIMITS.jsonDepth) throw invalid(`the organisation is nested more than ${ORGANISATION_LIMITS.depth} levels deep`);
    for (const child of Object.values(next.value)) if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: next.depth + 1 });
  }
}

/** Whether `id` may name a unit or member: a text of 1 to 200 characters, no spaces, `/`, `@`, `#` or invisible characters. */
function validId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= ORGANISATION_LIMITS.idLength && !FORBIDDEN.test(id) && !INVISIBLE.test(id);
}

/** A value as a message shows it: a text quoted and cut, anything else by its kind (never stringified whole). */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? '(a list)' : '(an object)';
  return String(value);
}

/** Checks the tree and lists its units, parents before children. Throws ENGINE_INVALID_ORGANISATION. */
export function flattenOrganisation(root: OrganisationUnit): PlacedUnit[] {
  checkNesting(root);
  const seen = new Set<string>();
  const out: PlacedUnit[] = [];
  // Unit id → the levels of unit-level work down to and including it, for its children's `levelsAbove`.
  const workLevels = new Map<string, number>();
  // Depth first, parents before children, without recursion: the depth is checked, not the stack's.
  const stack: { readonly unit: unknown; readonly parentPath: string; readonly parent: string | undefined; readonly depth: number }[] = [
    { unit: root, parentPath: '/', parent: undefined, depth: 1 },
  ];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { parentPath, parent, depth } = next;
    const unit = (typeof next.unit === 'object' && next.unit !== null ? next.unit : {}) as { id?: unknown; title?: unknown; cohort?: unknown; members?: unknown; units?: unknown; items?: unknown };
    if (!validId(unit.id)) throw invalid(`unit id ${shown(unit.id)} must be a text of 1 to ${ORGANISATION_LIMITS.idLength} characters without spaces, "/", "@", "#" or invisible characters`);
    const id = unit.id;
    if (depth > ORGANISATION_LIMITS.depth) throw invalid(`unit "${id}" is nested more than ${ORGANISATION_LIMITS.depth} levels deep`);
    if (seen.has(id)) throw invalid(`unit id "${id}" appears twice`);
    if (seen.size >= ORGANISATION_LIMITS.units) throw invalid(`the organisation has more than ${ORGANISATION_LIMITS.units} units`);
    seen.add(id);
    const listed = unit.members ?? [];
    if (!Array.isArray(listed)) throw invalid(`the members of unit "${id}" must be a list`);
    if (listed.length > ORGANISATION_LIMITS.membersPerUnit) throw invalid(`unit "${id}" has more than ${ORGANISATION_LIMITS.membersPerUnit} members`);
    const members = listed.map((m: unknown) => (typeof m === 'object' && m !== null ? (m as { id?: unknown }).id : undefined));
    const memberSet = new Set<string>();
    for (const m of members) {
      if (!validId(m))
        throw invalid(`member id ${shown(m)} of unit "${id}" must be a text of 1 to ${ORGANISATION_LIMITS.idLength} characters without spaces, "/", "@", "#" or invisible characters`);
      if (memberSet.has(m)) throw invalid(`member "${m}" appears twice in unit "${id}"`);
      memberSet.add(m);
    }
    const children = unit.units ?? [];
    if (!Array.isArray(children)) throw invalid(`the units under unit "${id}" must be a list`);
    if (seen.size + stack.length + children.length > ORGANISATION_LIMITS.units) throw invalid(`the organisation has more than ${ORGANISATION_LIMITS.units} units`);
    if (unit.cohort !== undefined && !validId(unit.cohort))
      throw invalid(`the cohort ${shown(unit.cohort)} of unit "${id}" must be a text of 1 to ${ORGANISATION_LIMITS.idLength} characters without spaces, "/", "@", "#" or invisible characters`);
    if (unit.items !== undefined && (!Array.isArray(unit.items) || unit.items.length > ORGANISATION_LIMITS.itemsPerUnit))
      throw invalid(`the items of unit "${id}" must be a list of at most ${ORGANISATION_LIMITS.itemsPerUnit}`);
    const path = `${parentPath}${id}/`;
    const unitWork = parent !== undefined || children.length === 0;
    const levelsAbove = parent === undefined ? 0 : (workLevels.get(parent) ?? 0);
    workLevels.set(id, levelsAbove + (unitWork ? 1 : 0));
    out.push({
      id,
      title: typeof unit.title === 'string' ? unit.title : id,
      path,
      ...(parent === undefined ? {} : { parent }),
      office: parent === undefined,
      unitWork,
      members: members as string[],
      levelsAbove,
      ...(typeof unit.cohort === 'string' ? { cohort: unit.cohort } : {}),
      ...(Array.isArray(unit.items) && unit.items.length > 0 ? { items: unit.items as unknown[] } : {}),
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push({ unit: children[i], parentPath: path, parent: id, depth: depth + 1 });
  }
  return out;
}

/** Whether a unit's path (`/县/甲镇/甲一村/`) is that of a unit directly below the unit of `parentPath` (`/县/甲镇/`). */
/**
 * A unit's place in a campaign (default: its root, the first by unit path) and every place at and under
 * it, from a campaign's instances listed by unit path (unit paths end in "/", so 甲 does not hold 甲乙);
 * undefined when no instance is the unit's.
 */
export function unitSubtree<T extends { readonly unitId: string; readonly unitPath: string }>(all: readonly T[], unitId: string | undefined): { readonly root: T; readonly under: T[] } | undefined {
  const root = unitId === undefined ? all[0] : all.find((i) => i.unitId === unitId);
  return root && { root, under: all.filter((i) => i.unitPath.startsWith(root.unitPath)) };
}

export function isChildPath(path: string, parentPath: string): boolean {
  if (path.length <= parentPath.length || !path.startsWith(parentPath)) return false;
  const slash = path.indexOf('/', parentPath.length);
  return slash === path.length - 1;
}

function invalid(detail: string): EngineError {
  return new EngineError('ENGINE_INVALID_ORGANISATION', { detail });
}

/**
 * A sample organisation: an office (`office`) with `units` units `u01`, `u02`… of `members` members
 * `u01-m1`, `u01-m2`…, for demonstrations and tests.
 */
export function sampleOrganisation(units: number, members: number): OrganisationUnit {
  return {
    id: 'office',
    title: '领导小组办公室',
    units: Array.from({ length: units }, (_, i) => {
      const id = `u${String(i + 1).padStart(2, '0')}`;
      return { id, title: `单位${i + 1}`, members: Array.from({ length: members }, (_, j) => ({ id: `${id}-m${j + 1}` })) };
    }),
  };
}
