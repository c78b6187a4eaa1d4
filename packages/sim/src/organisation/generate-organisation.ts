import type { OrganisationUnit } from '@luoshi/engine';
import type { GeneratedOrganisation } from '../model/scenario.js';

/**
 * Builds the organisation a scenario describes: an office (kind `office`) over `units` units
 * `u01`, `u02`… (zero-padded to the count) with members `u01-m1`…, kinds given in blocks by the
 * largest-remainder rule, optionally under `nesting.groups` intermediate units `g1`, `g2`….
 * Deterministic: no randomness is involved.
 */
export function generateOrganisation(spec: GeneratedOrganisation): OrganisationUnit {
  const width = String(spec.units).length < 2 ? 2 : String(spec.units).length;
  const kinds = allocateKinds(spec);
  const units: OrganisationUnit[] = [];
  for (let i = 1; i <= spec.units; i++) {
    const id = `u${String(i).padStart(width, '0')}`;
    units.push({
      id,
      kind: kinds[i - 1] ?? 'unit',
      members: Array.from({ length: spec.membersPerUnit }, (_, m) => ({ id: `${id}-m${m + 1}` })),
    });
  }
  const office = spec.office ?? 'office';
  if (!spec.nesting) return { id: office, kind: 'office', units };
  const groups: { id: string; kind: string; members: { id: string }[]; units: OrganisationUnit[] }[] = [];
  for (let g = 1; g <= spec.nesting.groups; g++) {
    const id = `g${g}`;
    groups.push({
      id,
      kind: spec.nesting.kind ?? 'group',
      members: Array.from({ length: spec.nesting.members ?? 0 }, (_, m) => ({ id: `${id}-m${m + 1}` })),
      units: [],
    });
  }
  units.forEach((unit, i) => groups[i % groups.length]?.units.push(unit));
  return { id: office, kind: 'office', units: groups };
}

/** The kind of each unit in order: counts by largest remainder, then in blocks in the order listed. */
function allocateKinds(spec: GeneratedOrganisation): string[] {
  const kinds = spec.kinds ?? [];
  if (kinds.length === 0) return [];
  const total = kinds.reduce((sum, k) => sum + k.share, 0);
  const exact = kinds.map((k) => (k.share / total) * spec.units);
  const counts = exact.map(Math.floor);
  let left = spec.units - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return kinds.flatMap((k, i) => Array.from({ length: counts[i] ?? 0 }, () => k.id));
}
