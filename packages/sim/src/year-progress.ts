/**
 * Reports how far a simulated year has gone, as the share of its period (0–1), each time the clock
 * crosses another hundredth, so a caller drawing a bar is called about a hundred times a run
 * however many events the run has.
 */
export function yearProgress(report: (share: number) => void, start: number, end: number): (now: number) => void {
  const span = Math.max(end - start, 1);
  let reported = 0;
  return (now) => {
    const hundredths = Math.min(100, Math.floor(((now - start) / span) * 100));
    if (hundredths <= reported) return;
    reported = hundredths;
    report(hundredths / 100);
  };
}
