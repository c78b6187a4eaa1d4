/*
 * Look-ups in plain-object maps keyed by names from outside (a process's ids, a scenario's keys, the
 * organisation's unit kinds): a name may be one of Object.prototype's (`constructor`, `__proto__`),
 * so a read sees only the map's own keys and a write makes an own key, never a new prototype.
 */

/** The value the map holds under `key` itself, undefined when it holds none (an inherited `constructor` is none). */
export function ownValue<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Sets `key` as the map's own key: `__proto__` is defined on it, not taken as a new prototype and lost. */
export function setOwn<T>(map: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  else map[key] = value;
}
