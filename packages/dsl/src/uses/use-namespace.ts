import type { StageBody, SubProcessUse } from '../model/stage.js';

/**
 * 引用命名空间 — the names of the work inside a sub-process that a campaign uses more than once.
 *
 * A sub-process used in one place keeps its work's ids as written (`自评`): the seeds' task keys, timer
 * keys and histories stay what they were. A sub-process used in two places or more (考评 in 2006 and
 * again in 2007) runs once per use, and each use's work is named by the use: `考评2007/自评`, the use's
 * name (its `id`, else the sub-process id), a slash, the id inside. Uses nested in a namespaced use
 * carry its name in front (`考评2007/测评组/打分`). The validator and the compiler both name work
 * through this module, so a key the validator accepts (in `weights`, in `event.task == '…'`) is the
 * key the engine keeps.
 */
export const USE_SEPARATOR = '/';

/** A use's name: its `id`, or the sub-process id when it has none. */
export function useName(use: Pick<SubProcessUse, 'use' | 'id'>): string {
  return use.id ?? use.use;
}

/** The stage bodies of a sub-process: its own body and its parts. */
type SubProcessBody = StageBody & { readonly parts?: readonly StageBody[] };

/** Where work is named: the prefix of its keys (empty outside namespaced uses) and the ids written there. */
export interface UseScope {
  /** `''`, or the names of the namespaced uses around, each followed by `/`. */
  readonly prefix: string;
  /** The work ids written directly in this sub-process (its body, parts, workstreams): a due counted from one of them counts from this use's. */
  readonly local: ReadonlySet<string>;
}

/** The scope of a campaign's own work: nothing prefixed. */
export const CAMPAIGN_SCOPE: UseScope = { prefix: '', local: new Set() };

/** The key of a piece of work written as `id` in a scope. */
export function keyIn(scope: UseScope, id: string): string {
  return scope.prefix + id;
}

/**
 * The key a due's anchor names from inside a scope: work of the same sub-process in this use's
 * namespace, anything else (a phase, a campaign task) as written.
 */
export function anchorIn(scope: UseScope, anchor: string): string {
  return scope.local.has(anchor) ? scope.prefix + anchor : anchor;
}

/** The scope of the work inside a use made in `outer`. */
export function scopeOfUse(outer: UseScope, use: Pick<SubProcessUse, 'use' | 'id'>, sub: SubProcessBody, repeated: ReadonlySet<string>): UseScope {
  const prefix = repeated.has(use.use) ? `${outer.prefix}${useName(use)}${USE_SEPARATOR}` : outer.prefix;
  return { prefix, local: workIdsOf(sub) };
}

/** The work ids written directly in a sub-process: tasks, duties, evaluations, inspections, workstreams and parts, not inside its uses. */
export function workIdsOf(sub: SubProcessBody): Set<string> {
  const ids = new Set<string>();
  const stack: StageBody[] = [sub, ...(sub.parts ?? [])];
  for (const part of sub.parts ?? []) if ('id' in part && typeof part.id === 'string') ids.add(part.id);
  for (let body = stack.pop(); body !== undefined; body = stack.pop()) {
    for (const list of [body.tasks, body.recurring, body.evaluations, body.inspections, body.workstreams]) for (const w of list ?? []) ids.add(w.id);
    stack.push(...(body.workstreams ?? []));
  }
  return ids;
}

/** How many times each sub-process is used directly in some stage bodies, workstreams and parts included. */
function directUses(bodies: readonly StageBody[]): Map<string, number> {
  const counts = new Map<string, number>();
  const stack = [...bodies];
  for (let body = stack.pop(); body !== undefined; body = stack.pop()) {
    for (const u of body.uses ?? []) counts.set(u.use, (counts.get(u.use) ?? 0) + 1);
    stack.push(...(body.workstreams ?? []));
  }
  return counts;
}

/**
 * The sub-processes a campaign runs more than once once every use is expanded: used twice in the
 * campaign, or once inside a sub-process that runs twice. Counted by arithmetic over the use graph
 * (saturating at 2), never by expanding: a chain of diamonds costs its size, not 2^depth. Unknown
 * sub-processes count nothing; a cycle (refused by validation) saturates and ends.
 */
export function repeatedSubprocesses(campaign: readonly StageBody[], library: ReadonlyMap<string, SubProcessBody>): Set<string> {
  // Who uses each sub-process, and how often: the reverse of the use graph.
  const usedBy = new Map<string, [container: string, times: number][]>();
  for (const [id, sub] of library)
    for (const [target, times] of directUses([sub, ...(sub.parts ?? [])])) {
      const list = usedBy.get(target) ?? [];
      list.push([id, times]);
      usedBy.set(target, list);
    }
  const fromCampaign = directUses(campaign);
  const runs = new Map<string, number>();
  // A fixed point over counts that only grow and stop at 2: at most two rounds per sub-process, plus one to see nothing changed.
  for (let round = 0; round <= 2 * library.size + 1; round++) {
    let changed = false;
    for (const target of library.keys()) {
      let total = fromCampaign.get(target) ?? 0;
      for (const [container, times] of usedBy.get(target) ?? []) total += times * (runs.get(container) ?? 0);
      const capped = Math.min(total, 2);
      if (capped !== (runs.get(target) ?? 0)) {
        runs.set(target, capped);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return new Set([...runs].filter(([, n]) => n >= 2).map(([id]) => id));
}
