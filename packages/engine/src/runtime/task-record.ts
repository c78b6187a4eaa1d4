import type { LightFields } from './lights.js';
import type { TaskRecord, TaskStatus } from './instance-context.js';

/**
 * A task record with its fields always in one order (one shared layout per set of fields); `lit`,
 * the light and extension fields it keeps (see `lights.ts` `keptLight`, `extensions.ts`), absent in
 * a campaign with neither.
 */
export function taskRecord(s: TaskStatus, due?: number, rem?: number, at?: number, by?: string, lit?: LightFields): TaskRecord {
  const record: { -readonly [K in keyof TaskRecord]: TaskRecord[K] } = { s };
  if (due !== undefined) record.due = due;
  if (rem !== undefined) record.rem = rem;
  if (at !== undefined) record.at = at;
  if (by !== undefined) record.by = by;
  if (lit !== undefined) {
    if (lit.l !== undefined) record.l = lit.l;
    if (lit.ny !== undefined) record.ny = lit.ny;
    if (lit.u !== undefined) record.u = lit.u;
    if (lit.ua !== undefined) record.ua = lit.ua;
    if (lit.xr !== undefined) record.xr = lit.xr;
    if (lit.xw !== undefined) record.xw = lit.xw;
    if (lit.xn !== undefined) record.xn = lit.xn;
  }
  return record;
}
