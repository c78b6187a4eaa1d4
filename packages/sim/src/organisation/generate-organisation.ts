import type { OrganisationUnit } from '@luoshi/engine';
import type { GeneratedOrganisation } from '../model/scenario.js';

/**
 * Builds the organisation a scenario describes: an office (kind `office`) over `units` units
 * `u01`, `u02`… (zero-padded to the count) with members `u01-m1`…, kinds given in blocks by the
 * largest-remainder rule, cohorts (批次) by the same rule spread evenly, optionally under `nesting.groups` intermediate units `g1`, `g2`….
 * Deterministic: no randomness is involved.
 */
export function generateOrganisation(spec: GeneratedOrganisation): OrganisationUnit {
  const width = String(spec.units).length < 2 ? 2 : String(spec.units).length;
  const kinds = allocateKinds(spec);
  const cohorts = spreadCohorts(spec);
  const units: OrganisationUnit[] = [];
  for (let i = 1; i <= spec.units; i++) {
    const id = `u${String(i).padStart(width, '0')}`;
    const cohort = cohorts[i - 1];
    units.push({
      id,
      kind: kinds[i - 1] ?? 'unit',
      ...(cohort === undefined ? {} : { cohort }),
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
  const counts = largestRemainder(kinds, spec.units);
  return kinds.flatMap((k, i) => Array.from({ length: counts[i] ?? 0 }, () => k.id));
}

/**
 * The cohort (批次) of each unit in order: counts by largest remainder, spread evenly (each unit
 * takes the cohort furthest behind its share so far, the first listed on a tie), so that kinds,
 * given in blocks, are not all in one cohort.
 */
function spreadCohorts(spec: GeneratedOrganisation): (string | undefined)[] {
  const cohorts = spec.cohorts ?? [];
  const counts = largestRemainder(cohorts, spec.units);
  const given = cohorts.map(() => 0);
  const out: (string | undefined)[] = [];
  for (let i = 1; i <= spec.units; i++) {
    let pick = -1;
    let behind = -Infinity;
    cohorts.forEach((_, c) => {
      const count = counts[c] ?? 0;
      const lag = (count * i) / spec.units - (given[c] ?? 0);
      if ((given[c] ?? 0) < count && lag > behind) [pick, behind] = [c, lag];
    });
    if (pick >= 0) given[pick] = (given[pick] ?? 0) + 1;
    out.push(cohorts[pick]?.id);
  }
  return out;
}

/** How many of `total` each share gets: floors, then the largest remainders one more each. */
function largestRemainder(shares: readonly { readonly share: number }[], total: number): number[] {
  if (shares.length === 0) return [];
  const sum = shares.reduce((a, k) => a + k.share, 0);
  const exact = shares.map((k) => (k.share / sum) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}
