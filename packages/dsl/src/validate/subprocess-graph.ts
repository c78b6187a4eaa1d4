import type { StageBody } from '../model/stage.js';
import type { ParsedFile } from '../source/parsed-file.js';
import { toPointer } from '../source/parsed-file.js';

/** One `use` written in a file: which sub-process, and where. */
export interface UseSite {
  readonly target: string;
  readonly parsed: ParsedFile;
  /** The JSON Pointer of the `use` field. */
  readonly pointer: string;
}

/** What expanding a sub-process (or a campaign's uses) costs: counted, never performed. */
export interface ExpansionMeasure {
  /** Levels of sub-processes: one for a sub-process that uses none. */
  readonly depth: number;
  /** Sub-process uses once every use is expanded. */
  readonly uses: number;
  /** Work items (tasks, duties, evaluations, inspections) once every use is expanded. */
  readonly items: number;
}

/** A cycle of uses, reported at the use that closes it. */
export interface UseCycle {
  readonly site: UseSite;
  /** The sub-process ids around the cycle, the first repeated at the end. */
  readonly path: readonly string[];
}

/** Counts saturate here: a chain of diamonds doubles per level, and 2^2000 is not a number to show. */
export const COUNT_CEILING = 1e15;

const ZERO: ExpansionMeasure = { depth: 0, uses: 0, items: 0 };

/** The direct uses and own work items of a set of stage bodies, walked with a stack. */
export function directContents(
  parsed: ParsedFile,
  roots: readonly { body: StageBody; pointer: string }[],
): { uses: UseSite[]; items: number } {
  const uses: UseSite[] = [];
  let items = 0;
  const stack = [...roots].reverse();
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { body, pointer } = next;
    items += (body.tasks?.length ?? 0) + (body.recurring?.length ?? 0) + (body.evaluations?.length ?? 0) + (body.inspections?.length ?? 0);
    (body.uses ?? []).forEach((use, i) => uses.push({ target: use.use, parsed, pointer: pointer + toPointer(['uses', i, 'use']) }));
    const streams = body.workstreams ?? [];
    for (let i = streams.length - 1; i >= 0; i--) stack.push({ body: streams[i] as StageBody, pointer: pointer + toPointer(['workstreams', i]) });
  }
  return { uses, items };
}

/**
 * The use graph of the sub-processes validated together, measured once with memoised arithmetic
 * (depth, uses and items after expansion, per sub-process) and searched for cycles, all with
 * explicit stacks: linear in the number of sub-processes and uses, however deep or exponential
 * their expansion would be.
 */
export class SubProcessGraph {
  readonly #edges = new Map<string, { uses: UseSite[]; items: number }>();
  readonly #measures = new Map<string, ExpansionMeasure>();
  readonly #cyclic = new Set<string>();
  readonly cycles: UseCycle[] = [];

  constructor(subprocesses: ReadonlyMap<string, { readonly parsed: ParsedFile; readonly body: StageBody & { parts?: StageBody[] } }>) {
    for (const [id, { parsed, body }] of subprocesses) {
      const parts = (body.parts ?? []).map((part, i) => ({ body: part, pointer: toPointer(['parts', i]) }));
      this.#edges.set(id, directContents(parsed, [{ body, pointer: '' }, ...parts]));
    }
    for (const id of this.#edges.keys()) this.#measureFrom(id);
  }

  /** Whether the sub-process is on a cycle of uses (expanding it would never end). */
  isCyclic(id: string): boolean {
    return this.#cyclic.has(id);
  }

  /** The cost of expanding a sub-process, itself included (unknown ids cost nothing). */
  measure(id: string): ExpansionMeasure {
    return this.#measures.get(id) ?? ZERO;
  }

  /** The cost of a list of uses: the sum of their expansions, the deepest of their depths. */
  measureUses(uses: readonly UseSite[], ownItems: number): ExpansionMeasure & { largest?: UseSite } {
    let depth = 0;
    let count = 0;
    let items = ownItems;
    let largest: UseSite | undefined;
    let largestSize = -1;
    for (const site of uses) {
      const m = this.measure(site.target);
      depth = Math.max(depth, m.depth);
      count = saturate(count + 1 + m.uses);
      items = saturate(items + m.items);
      if (m.uses + m.items > largestSize) {
        largestSize = m.uses + m.items;
        largest = site;
      }
    }
    return { depth, uses: count, items, ...(largest ? { largest } : {}) };
  }

  #measureFrom(root: string): void {
    if (this.#measures.has(root)) return;
    // Depth-first with an explicit stack; `open` holds the ids on the current path.
    const open = new Set<string>();
    const path: string[] = [];
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    open.add(root);
    path.push(root);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { id: string; next: number };
      const edges = this.#edges.get(frame.id) as { uses: UseSite[]; items: number };
      if (frame.next < edges.uses.length) {
        const site = edges.uses[frame.next++] as UseSite;
        if (!this.#edges.has(site.target) || this.#measures.has(site.target)) continue;
        if (open.has(site.target)) {
          const from = path.indexOf(site.target);
          const cycle = [...path.slice(from), site.target];
          for (const id of cycle) this.#cyclic.add(id);
          this.cycles.push({ site, path: cycle });
          continue;
        }
        open.add(site.target);
        path.push(site.target);
        stack.push({ id: site.target, next: 0 });
        continue;
      }
      // Every use below is measured, or unknown, or closes a cycle (those count as one use, nothing below).
      const below = this.measureUses(edges.uses, edges.items);
      this.#measures.set(frame.id, { depth: below.depth + 1, uses: below.uses, items: below.items });
      stack.pop();
      path.pop();
      open.delete(frame.id);
    }
  }
}

function saturate(n: number): number {
  return n > COUNT_CEILING ? COUNT_CEILING : n;
}
