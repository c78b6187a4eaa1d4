/**
 * The simulator's speed figures (issue 21), kept apart from the bench so a test can check the
 * arithmetic by hand: unit-years simulated per second, the cost of a host event, and how that cost
 * grows from one organisation size to another.
 */

/** 案例/秒 — unit-years simulated per second: units × the years their period spans, over the wall time. */
export function casesPerSecond(units: number, years: number, seconds: number): number {
  return (units * years) / seconds;
}

/** The wall time per host event, in µs. */
export function costPerEventUs(seconds: number, events: number): number {
  return (seconds * 1e6) / events;
}

/** How many times a host event costs at the larger size what it costs at the smaller (1: it scales linearly). */
export function costRatio(large: { readonly seconds: number; readonly events: number }, small: { readonly seconds: number; readonly events: number }): number {
  return costPerEventUs(large.seconds, large.events) / costPerEventUs(small.seconds, small.events);
}
