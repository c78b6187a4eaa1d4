import { fileURLToPath } from 'node:url';
import { validateProcessPaths } from '@luoshi/dsl';
import { runUntil, VirtualClock, type Engine, type HostEvent, type OrganisationUnit } from '@luoshi/engine';

/** The repository's root, for `processes/`. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Seed 002 (机关作风建设年): the campaign the throughput and latency benchmarks drive. */
export const SEED_PROCESS = '机关作风建设年';

/** 2010-04-01 00:00 Asia/Shanghai: before the campaign's first phase ends. */
export const SEED_START = Date.UTC(2010, 2, 31, 16);

/** 2010-06-15 00:00 Asia/Shanghai: inside 组织实施 (6月至11月), where 五评 scores and complaints are accepted. */
export const SEED_IN_PHASE = Date.UTC(2010, 5, 14, 16);

/** An office with `units` units under it, each with `members` members (`m0` …). */
export function organisation(units: number, members: number): OrganisationUnit {
  return {
    id: 'office',
    units: Array.from({ length: units }, (_, u) => ({
      id: `u${u}`,
      members: Array.from({ length: members }, (_, m) => ({ id: `m${m}` })),
    })),
  };
}

/** Deploys `processes/` (seeds and sub-processes) on an engine. */
export async function deployProcesses(engine: Engine): Promise<void> {
  const result = await validateProcessPaths([`${ROOT}processes`]);
  if (!result.ok) throw new Error('processes/ does not validate');
  await engine.deploy(result);
}

/**
 * Starts seed 002 over `units` × `members` at 2010-04-01 and moves the clock to 2010-06-15 firing
 * every due timer on the way, so each unit's instance is in 组织实施. Returns the instance ids.
 */
export async function startSeedCampaign(
  engine: Engine,
  clock: VirtualClock,
  units: number,
  members: number,
  campaignId = 'bench',
): Promise<{ instanceIds: string[]; timersFired: number }> {
  const started = await engine.startCampaign({ process: SEED_PROCESS, organisation: organisation(units, members), campaignId });
  const timersFired = await runUntil(engine, clock, SEED_IN_PHASE);
  // The office has units under it and does no unit work: only the units take events.
  const instanceIds = started.instances.filter((i) => i.unitId !== 'office').map((i) => i.instanceId);
  return { instanceIds, timersFired };
}

/** A fresh virtual clock at the seed campaign's start. */
export function seedClock(): VirtualClock {
  return new VirtualClock(SEED_START);
}

/**
 * The n-th state-changing event of the workload: 支部互评 scores and verified complaints against a
 * member, alternating per instance and per round. Both are repeatable, so any number can be sent.
 */
export function workloadEvent(round: number, unit: number, members: number): HostEvent {
  if ((round + unit) % 2 === 0) return { type: 'score.given', evaluation: '支部互评', score: 60 + ((round * 7 + unit) % 41) };
  return { type: 'complaint.verified', member: `m${(round + unit) % members}` };
}

/** Every role id the deployed seed bundle names (the bench's actor holds them all, as a superuser would). */
export async function allRoles(store: { getDefinition(id: string): Promise<{ body: string } | undefined> }): Promise<string[]> {
  const definition = await store.getDefinition(SEED_PROCESS);
  if (!definition) throw new Error(`${SEED_PROCESS} is not deployed`);
  const roles = new Set<string>();
  const walk = (value: unknown, inRoles: boolean): void => {
    if (Array.isArray(value)) for (const v of value) walk(v, inRoles);
    else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      if (inRoles && typeof record['id'] === 'string') roles.add(record['id']);
      for (const [key, v] of Object.entries(record)) walk(v, key === 'roles');
    }
  };
  walk(JSON.parse(definition.body), false);
  return [...roles];
}
