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
  readonly members?: readonly OrganisationMember[];
  readonly units?: readonly OrganisationUnit[];
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
}

const FORBIDDEN = /[\s/@#]/;

/** Checks the tree and lists its units, parents before children. Throws ENGINE_INVALID_ORGANISATION. */
export function flattenOrganisation(root: OrganisationUnit): PlacedUnit[] {
  const seen = new Set<string>();
  const out: PlacedUnit[] = [];
  const visit = (unit: OrganisationUnit, parentPath: string, parent: string | undefined): void => {
    if (typeof unit?.id !== 'string' || unit.id.length === 0 || FORBIDDEN.test(unit.id))
      throw invalid(`unit id ${JSON.stringify(unit?.id)} must be a non-empty text without spaces, "/", "@" or "#"`);
    if (seen.has(unit.id)) throw invalid(`unit id "${unit.id}" appears twice`);
    seen.add(unit.id);
    const members = (unit.members ?? []).map((m) => m?.id);
    const memberSet = new Set<string>();
    for (const m of members) {
      if (typeof m !== 'string' || m.length === 0 || FORBIDDEN.test(m))
        throw invalid(`member id ${JSON.stringify(m)} of unit "${unit.id}" must be a non-empty text without spaces, "/", "@" or "#"`);
      if (memberSet.has(m)) throw invalid(`member "${m}" appears twice in unit "${unit.id}"`);
      memberSet.add(m);
    }
    const path = `${parentPath}${unit.id}/`;
    const children = unit.units ?? [];
    out.push({
      id: unit.id,
      title: unit.title ?? unit.id,
      path,
      ...(parent === undefined ? {} : { parent }),
      office: parent === undefined,
      unitWork: parent !== undefined || children.length === 0,
      members,
    });
    for (const child of children) visit(child, path, unit.id);
  };
  visit(root, '/', undefined);
  return out;
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
