/*
 * Look-ups in the plain-object maps an instance keeps (its context is plain JSON) and in the views
 * the engine builds, by keys that are names: a process's ids, member and unit ids. A name may be one
 * of Object.prototype's (`constructor`, `toString`, `__proto__`): it must read only what the map
 * holds itself, and be written as the map's own key, never as its prototype.
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
