import { describe, expect, expectTypeOf, it } from 'vitest';
import { createEngine, createInProcessEngine, createMemoryStore, runUntil, VirtualClock, type EngineChange } from '@luoshi/engine';
import { validateProcessText } from '@luoshi/dsl';
import { GRADED_PROCESS, gradedCampaign } from './support/graded-campaign.js';
import { STANDING, threeYearOrganisation, threeYearsDefinitions } from './support/three-years.js';

/*
 * 变更通知: every change an engine tells its subscribers carries `tasks` (the task keys the step
 * wrote) and `opened` (those that became outstanding), empty arrays when there are none — on the
 * durable engine and the in-process driver, whatever moved the instance: a host's event, a decision,
 * a timer, a ranking. They were typed optional ("absent when the engine does not know"), so every
 * subscriber defended against a case no path produced. The durable engine told no change of a
 * ranking or a dated grading at all (the in-process driver told each instance's).
 */

const START = Date.parse('2024-01-02T09:00:00+08:00');
/** Into the second half-year: the first report is open. */
const MID_YEAR = Date.parse('2024-07-05T09:00:00+08:00');
/** Past the year-end ranking (年底). */
const NEXT_YEAR = Date.parse('2025-01-05T09:00:00+08:00');

/** The first open task of an instance, which there must be. */
async function firstOpen(engine: { tasks(id: string, filter: { status: string[] }): Promise<readonly { item: string; kind: string }[]> }, instanceId: string): Promise<string> {
  const open = (await engine.tasks(instanceId, { status: ['open', 'overdue'] })).filter((t) => t.kind !== 'evaluation');
  expect(open.length, `open tasks of ${instanceId}`).toBeGreaterThan(0);
  return (open[0] as { item: string }).item;
}

/** What a test asks of each change: both fields arrays, `opened` among `tasks`. */
function checkFields(changes: readonly EngineChange[]): void {
  for (const change of changes) {
    const where = `${change.instanceId}@${change.revision} ${change.type}`;
    expect(Array.isArray(change.tasks), where).toBe(true);
    expect(Array.isArray(change.opened), where).toBe(true);
    for (const key of change.opened) expect(change.tasks, where).toContain(key);
  }
}

describe('the fields of an EngineChange', () => {
  it('are typed as always given', () => {
    // Checked by `tsc -p test` (vitest does not type-check): optional fields would fail it.
    expectTypeOf<EngineChange['tasks']>().toEqualTypeOf<readonly string[]>();
    expectTypeOf<EngineChange['opened']>().toEqualTypeOf<readonly string[]>();
  });

  it('when the durable engine is moved by a host event, timers, a ranking and a decision, then every change is told (the ranking\'s to each instance) and has both as arrays', async () => {
    const clock = new VirtualClock(START);
    const engine = createEngine({ store: createMemoryStore(), clock });
    await engine.deploy(threeYearsDefinitions(STANDING));
    const changes: EngineChange[] = [];
    engine.subscribe((change) => changes.push(change));
    await engine.startCampaign({ process: '长效机制', organisation: threeYearOrganisation, campaignId: 's' });
    await runUntil(engine, clock, MID_YEAR);
    await engine.send('s/甲', { type: 'task.completed', task: await firstOpen(engine, 's/甲') });
    await runUntil(engine, clock, NEXT_YEAR);
    await engine.send('s/乙', { type: 'decision.taken', decision: '机制调整', option: '终止' });
    const types = new Set(changes.map((c) => c.type));
    for (const type of ['task.completed', 'timer.fired', 'ranking.placed', 'decision.taken']) expect(types.has(type), type).toBe(true);
    checkFields(changes);
    // The year-end ranking placed each of the three units: each instance's change told, as the in-process driver tells it.
    expect(changes.filter((c) => c.type === 'ranking.placed').map((c) => c.instanceId).sort()).toEqual(['s/丙', 's/乙', 's/甲'].sort());
    // The completion wrote its task and opened nothing; a half-year's timer opened the next report.
    const completed = changes.find((c) => c.type === 'task.completed');
    expect(completed?.opened).toEqual([]);
    expect(completed?.tasks.length).toBeGreaterThan(0);
    expect(changes.some((c) => c.type === 'timer.fired' && c.opened.length > 0)).toBe(true);
    await engine.close();
  });

  it('when the in-process driver is moved the same way (its ranking told to each instance too), then every change has both as arrays', async () => {
    const clock = new VirtualClock(START);
    const driver = createInProcessEngine({ clock });
    await driver.deploy(threeYearsDefinitions(STANDING));
    const changes: EngineChange[] = [];
    driver.subscribe((change) => changes.push(change));
    await driver.startCampaign({ process: '长效机制', organisation: threeYearOrganisation, campaignId: 's' });
    const until = async (end: number) => {
      for (let next = await driver.nextTimerAt(); next !== undefined && next <= end; next = await driver.nextTimerAt()) {
        clock.advanceTo(Math.max(next, clock.now()));
        await driver.runDueTimers();
      }
      clock.advanceTo(Math.max(end, clock.now()));
    };
    await until(MID_YEAR);
    await driver.send('s/甲', { type: 'task.completed', task: await firstOpen(driver, 's/甲') });
    await until(NEXT_YEAR);
    await driver.send('s/乙', { type: 'decision.taken', decision: '机制调整', option: '终止' });
    const types = new Set(changes.map((c) => c.type));
    for (const type of ['task.completed', 'timer.fired', 'ranking.placed', 'decision.taken']) expect(types.has(type), type).toBe(true);
    checkFields(changes);
  });

  it('when a dated grading (年底) falls due on the durable engine, then each graded instance\'s change is told, with both fields', async () => {
    const validated = validateProcessText(gradedCampaign(), { file: 'graded.yaml' });
    if (!validated.definition) throw new Error(JSON.stringify(validated.diagnostics));
    const clock = new VirtualClock(START);
    const engine = createEngine({ store: createMemoryStore(), clock });
    await engine.deploy([validated.definition]);
    const changes: EngineChange[] = [];
    engine.subscribe((change) => changes.push(change));
    await engine.startCampaign({ process: GRADED_PROCESS, organisation: { id: 'office', units: [{ id: 'u01' }, { id: 'u02' }] }, campaignId: 'g' });
    await runUntil(engine, clock, NEXT_YEAR);
    expect(changes.filter((c) => c.type === 'grading.due').map((c) => c.instanceId).sort()).toEqual(['g/u01', 'g/u02']);
    checkFields(changes);
    await engine.close();
  });
});
