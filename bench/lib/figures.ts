/*
 * The arithmetic of the figures the benches compare against their goals, apart from the measuring so
 * a test can check it by hand (test/bench-figures.test.ts). A cost is wall time per event in
 * microseconds: 1e6 / events per second, so costs of parts measured apart add up.
 */

/** Wall time per event (µs) of a throughput in events per second. */
export function costUs(eventsPerSec: number): number {
  return 1e6 / eventsPerSec;
}

/**
 * Luoshi's HTTP cost against its floor: the cost per event of the real event route over HTTP (d)
 * over the sum of what it cannot avoid, a direct `engine.send` (a) and an empty route of the same
 * node:http adapter under the same load generator (c). 1 is the floor; the goal is ≤ 1.3.
 */
export function ratioToFloor(httpUs: number, directUs: number, emptyRouteUs: number): number {
  return httpUs / (directUs + emptyRouteUs);
}

/** What the in-process handler (`handler(request)`, e) adds over a direct `engine.send` (a), in % of (a). Goal ≤ 15. */
export function handlerOverheadPct(handlerUs: number, directUs: number): number {
  return ((handlerUs - directUs) / directUs) * 100;
}

/** Luoshi's unit lifecycles per second over DBOS Transact's of the same shape (higher is better). Goal ≥ 2. */
export function ratioToDbos(lifecyclesPerSec: number, dbosLifecyclesPerSec: number): number {
  return lifecyclesPerSec / dbosLifecyclesPerSec;
}
