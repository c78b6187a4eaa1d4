import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { basename } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';

/*
 * Profiling helpers for `bench/engine.ts --profile`: a V8 CPU profile and a sampling heap
 * (allocation) profile of a section, summarised per unit of work (per event, per lifecycle) by
 * area (xstate, kysely, SQLite, GC, engine files …) and by function, and a count of the SQL
 * statements run. Profiling slows the section down; its figures are not the benchmark's.
 */

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

/** A V8 CPU profile, as `Profiler.stop` returns it. */
interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: CallFrame; readonly children?: readonly number[] }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** A sampling heap profile node, as `HeapProfiler.stopSampling` returns it. */
interface HeapNode {
  readonly callFrame: CallFrame;
  readonly selfSize: number;
  readonly children: readonly HeapNode[];
}

/** One line of a summary: a name and its cost per unit of work. */
export interface Cost {
  readonly name: string;
  readonly perUnit: number;
  readonly share: number;
}

/** Where the CPU time of a profiled section went, per unit of work (µs). */
export interface CpuSummary {
  readonly units: number;
  readonly wallMs: number;
  readonly activeUsPerUnit: number;
  readonly areas: readonly Cost[];
  readonly inclusive: readonly Cost[];
  readonly topSelf: readonly Cost[];
  readonly file?: string;
}

/** What a profiled section allocated, per unit of work (KB). */
export interface AllocationSummary {
  readonly units: number;
  readonly kbPerUnit: number;
  readonly areas: readonly Cost[];
  readonly topSelf: readonly Cost[];
}

/** SQL statements run per unit of work, by text, with the time spent inside better-sqlite3. */
export interface StatementCount {
  readonly sql: string;
  readonly perUnit: number;
  readonly usPerUnit: number;
}

/** Native better-sqlite3 methods: their self time is SQLite's own work. */
const SQLITE_NATIVE = new Set(['run', 'get', 'all', 'iterate', 'exec', 'prepare', 'pragma', 'raw', 'columns']);

function area(frame: CallFrame): string {
  const { functionName, url } = frame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'V8 (program, unattributed)';
  if (url === '') {
    if (SQLITE_NATIVE.has(functionName)) return 'SQLite (native statement execution)';
    if (functionName === 'stringify' || functionName === 'parse') return `JSON.${functionName}`;
    return `builtins (${functionName || 'anonymous'})`;
  }
  if (url.includes('/node_modules/xstate/')) return 'xstate';
  if (url.includes('/node_modules/kysely/')) return 'kysely (query building, compiling, driver)';
  if (url.includes('/node_modules/better-sqlite3/')) return 'better-sqlite3 (JS wrapper)';
  if (url.includes('/node_modules/luxon/')) return 'luxon';
  if (url.includes('/node_modules/bpmn-')) return `bpmn ${url.split('/node_modules/')[1]?.split('/')[0] ?? ''}`;
  if (url.includes('/store-kysely/')) return `store-kysely ${basename(url)}`;
  if (url.includes('/engine/dist/') || url.includes('/engine/src/')) return `engine ${url.split(/\/engine\/(?:dist|src)\//)[1] ?? url}`;
  if (url.includes('/dsl/dist/')) return `dsl ${url.split('/dsl/dist/')[1] ?? url}`;
  if (url.includes('/http/dist/') || url.includes('/http/src/')) return `http ${url.split(/\/http\/(?:dist|src)\//)[1] ?? url}`;
  if (url.startsWith('node:internal/deps/undici')) return 'undici (Fetch Request, Response, Headers)';
  if (url.startsWith('node:internal/webstreams')) return 'web streams';
  if (url.startsWith('node:internal/url') || url === 'node:url') return 'URL';
  if (url.startsWith('node:_http') || url.startsWith('node:http') || url.startsWith('node:internal/http')) return 'node:http';
  if (url.startsWith('node:net') || url.startsWith('node:internal/stream_base') || url.startsWith('node:internal/streams')) return 'node net and streams';
  if (url.startsWith('node:')) return 'node internals (promises, microtasks, timers)';
  if (url.includes('/bench/')) return 'bench harness';
  if (url.includes('/node_modules/')) return `${url.split('/node_modules/')[1]?.split('/')[0] ?? url}`;
  return `other ${basename(url)}`;
}

function label(frame: CallFrame): string {
  const where = frame.url === '' ? '(native)' : `${frame.url.replace(/^.*\/(node_modules|packages)\//, '')}:${frame.lineNumber + 1}`;
  return `${frame.functionName || '(anonymous)'} ${where}`;
}

/** Functions whose inclusive time is reported: the engine's steps and XState's. */
const INCLUSIVE = [
  '#apply',
  'startCampaign',
  'validateHostEvent',
  'createActor',
  'start',
  'send',
  'getPersistedSnapshot',
  'desiredTimers',
  'executeQuery',
  'compileQuery',
];

function ranked(costs: Map<string, number>, total: number, units: number, limit: number): Cost[] {
  return [...costs]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, value]) => ({ name, perUnit: value / units, share: value / total }));
}

/** Summarises a CPU profile of a section that did `units` units of work. */
export function summariseCpu(profile: CpuProfile, units: number, file?: string): CpuSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let active = 0;
  const areas = new Map<string, number>();
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  // Samples under the inspector (stopping the profiler itself) are the profiler's cost, not the work's.
  const underInspector = (id: number): boolean => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) if (byId.get(cur)?.callFrame.url === 'node:inspector') return true;
    return false;
  };
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)' || underInspector(id)) continue;
    active += us;
    const a = area(node.callFrame);
    areas.set(a, (areas.get(a) ?? 0) + us);
    const l = label(node.callFrame);
    self.set(l, (self.get(l) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur)?.callFrame.functionName ?? '';
      if (!INCLUSIVE.includes(name) || seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }
  return {
    units,
    wallMs: (profile.endTime - profile.startTime) / 1000,
    activeUsPerUnit: active / units,
    areas: ranked(areas, active, units, 40),
    inclusive: INCLUSIVE.filter((n) => inclusive.has(n)).map((name) => ({
      name,
      perUnit: (inclusive.get(name) ?? 0) / units,
      share: (inclusive.get(name) ?? 0) / active,
    })),
    topSelf: ranked(self, active, units, 25),
    ...(file === undefined ? {} : { file }),
  };
}

/** Summarises a sampling heap profile of a section that did `units` units of work. */
export function summariseAllocations(head: HeapNode, units: number): AllocationSummary {
  let total = 0;
  const areas = new Map<string, number>();
  const self = new Map<string, number>();
  const walk = (node: HeapNode): void => {
    total += node.selfSize;
    const a = node.callFrame.url === '' ? `native (${node.callFrame.functionName || '?'})` : area(node.callFrame);
    areas.set(a, (areas.get(a) ?? 0) + node.selfSize);
    const l = label(node.callFrame);
    self.set(l, (self.get(l) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(head);
  const kb = (m: Map<string, number>, limit: number) => ranked(m, total, units, limit).map((c) => ({ ...c, perUnit: c.perUnit / 1024 }));
  return { units, kbPerUnit: total / units / 1024, areas: kb(areas, 12), topSelf: kb(self, 20) };
}

async function withSession<T>(work: (session: Session) => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  try {
    return await work(session);
  } finally {
    session.disconnect();
  }
}

/** CPU-profiles `work` (which does `units` units of work) with the sampling profiler; writes the profile to `file` if given. */
export function cpuProfile<T>(units: number, work: () => Promise<T>, file?: string): Promise<{ result: T; summary: CpuSummary }> {
  return withSession(async (session) => {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const result = await work();
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    if (file !== undefined) writeFileSync(file, JSON.stringify(profile));
    return { result, summary: summariseCpu(profile, units, file) };
  });
}

/** Samples what `work` (which does `units` units of work) allocates, including objects the GC has already collected. */
export function allocationProfile(units: number, work: () => Promise<unknown>): Promise<AllocationSummary> {
  return withSession(async (session) => {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    } as never);
    await work();
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: HeapNode } };
    return summariseAllocations(profile.head, units);
  });
}

/** One statement execution that took long. */
export interface SlowStatement {
  readonly at: number;
  readonly ms: number;
  readonly sql: string;
}

/**
 * Counts and times the better-sqlite3 statements `work` runs, by SQL text, by wrapping the Statement
 * prototype's methods for its duration; also lists each execution slower than `slowMs`.
 */
export async function traceStatements<T>(
  units: number,
  work: () => Promise<T>,
  slowMs = Infinity,
): Promise<{ result: T; counts: StatementCount[]; slow: SlowStatement[] }> {
  const probe = new BetterSqlite3(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();
  const stats = new Map<string, { n: number; ms: number }>();
  const slow: SlowStatement[] = [];
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  for (const method of ['run', 'get', 'all']) {
    const original = proto[method] as (this: { source: string }, ...args: unknown[]) => unknown;
    originals.set(method, original);
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      const t = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const ms = performance.now() - t;
        const s = stats.get(this.source) ?? { n: 0, ms: 0 };
        s.n++;
        s.ms += ms;
        stats.set(this.source, s);
        if (ms >= slowMs) slow.push({ at: t, ms, sql: this.source });
      }
    };
  }
  let result: T;
  try {
    result = await work();
  } finally {
    for (const [method, original] of originals) proto[method] = original;
  }
  const counts = [...stats]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([sql, s]) => ({ sql: sql.replace(/\s+/g, ' '), perUnit: s.n / units, usPerUnit: (s.ms * 1000) / units }));
  return { result, counts, slow };
}

/** A GC pause seen by the `gc` performance entries. */
export interface GcPause {
  readonly at: number;
  readonly ms: number;
}

/** Records the GC pauses during `work`. */
export async function observeGc<T>(work: () => Promise<T>): Promise<{ result: T; pauses: GcPause[] }> {
  const pauses: GcPause[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ at: e.startTime, ms: e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    const result = await work();
    // Entries are delivered asynchronously: let the last ones arrive.
    await new Promise((r) => setTimeout(r, 20));
    return { result, pauses };
  } finally {
    observer.disconnect();
  }
}
