import type { Store } from '@luoshi/engine';
import { HttpError } from './http-error.js';

/**
 * Who may reach what (访问权限), decided before a route reads a body or asks the engine anything, so
 * an outsider learns neither the state of a unit nor whether it exists. Units are those of each
 * campaign's organisation tree; a unit's path (`/office/t1/u01/`) names the unit and every unit
 * above it, so "this unit or an office above it" is "one of the actor's units is on the path".
 */
export type Access =
  /** Any authenticated actor: the deployed process files, which every unit works from. */
  | 'any'
  /** The administrator role (管理员 by default): deploy process files, start campaigns. */
  | 'admin'
  /** An instance (`:id` = `<campaign>/<unit>`): its unit or an office above it. */
  | 'instance'
  /** A unit of a campaign (`:id`, `?unit=`, default its root): that unit or an office above it. */
  | 'unit'
  /** Every instance of a campaign, narrowed to those the actor may see; refused when it may see none. */
  | 'campaign'
  /** The whole campaign at once (its standings): the campaign's root unit, the office that issued it. */
  | 'office';

/** What an access check reads: the store's look-up of one instance by id. */
export type InstanceReader = Pick<Store, 'getInstance'>;

/**
 * The units an actor is limited to, or undefined when it is not limited (no `units`: an actor of the
 * whole organisation). A `units` that is not a list of texts limits the actor to nothing.
 */
export function unitScope(units: unknown): ReadonlySet<string> | undefined {
  if (units === undefined) return undefined;
  return new Set(Array.isArray(units) ? units.filter((u): u is string => typeof u === 'string') : []);
}

/** Whether a unit path passes through one of the units: the unit itself or an office above it. */
export function onPath(unitPath: string, units: ReadonlySet<string>): boolean {
  for (const id of unitPath.split('/')) if (id !== '' && units.has(id)) return true;
  return false;
}

/**
 * Whether the actor's units include the root of a campaign's organisation. The first of its units
 * that has an instance in the campaign gives the root (the first segment of its path).
 */
export async function holdsRoot(store: InstanceReader, campaignId: string, units: ReadonlySet<string>): Promise<boolean> {
  for (const unit of units) {
    const record = await store.getInstance(`${campaignId}/${unit}`);
    if (record) return units.has(record.unitPath.split('/')[1] ?? '');
  }
  return false;
}

/** Whether the actor has any unit in the campaign. */
export async function holdsAny(store: InstanceReader, campaignId: string, units: ReadonlySet<string>): Promise<boolean> {
  for (const unit of units) if (await store.getInstance(`${campaignId}/${unit}`)) return true;
  return false;
}

/**
 * Whether an instance is the actor's to see and act on. One that does not exist is allowed (so the
 * answer is an honest 404) only to an actor who would see it if it did: of the unit its id names, or
 * of the campaign's root.
 */
export async function reachesInstance(store: InstanceReader, instanceId: string, units: ReadonlySet<string>): Promise<boolean> {
  const record = await store.getInstance(instanceId);
  if (record) return onPath(record.unitPath, units);
  const slash = instanceId.indexOf('/');
  if (slash <= 0) return false;
  return units.has(instanceId.slice(slash + 1)) || holdsRoot(store, instanceId.slice(0, slash), units);
}

/**
 * The 403 of an actor outside the units of what it asked for. `target` names it: an instance id (the
 * same in both languages), or the words for it in English and Chinese (a campaign, the whole of one),
 * so the Chinese message is Chinese.
 */
export function outsideUnits(actor: string, target: string | { readonly en: string; readonly zh: string }, units: ReadonlySet<string>): HttpError {
  const list = [...units].join(', ');
  const { en, zh } = typeof target === 'string' ? { en: target, zh: target } : target;
  return new HttpError('HTTP_FORBIDDEN', {
    actor,
    action: `see or act on ${en}`,
    actionZh: `查看或办理 ${zh}`,
    reason: `it is outside the units ${actor} belongs to (${list}) and the units under them`,
    reasonZh: `不在其所属单位（${list}）及其下级单位范围内`,
  });
}

/** The 403 of an actor without the administrator role. */
export function notAdministrator(actor: string, action: string, actionZh: string, role: string): HttpError {
  return new HttpError('HTTP_FORBIDDEN', { actor, action, actionZh, reason: `this needs the administrator role "${role}"`, reasonZh: `需要管理员角色「${role}」` });
}
