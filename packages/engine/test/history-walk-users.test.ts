import { describe, expect, it } from 'vitest';
import { createEngine, PastFlags, runUntil, taskOpenings, type DefinitionRecord, type HistoryRecord, type InstanceRecord, type Store } from '@luoshi/engine';
import { minimalCampaign, unit } from '../../../test/support/minimal-campaign.js';
import { engineWith, organisation, shanghai } from './support/harness.js';

/**
 * The three users of the one walk of a stored history (重放, `walkHistory`): `Engine.replay`,
 * `taskOpenings` and `PastFlags`, each in the cases where a history is not what it should be.
 * One unit from 1 March 2024: 方案 due when 10 March ends (11 March 00:00), its due timer makes it
 * overdue then and flags the unit 逾期; the unit does it on 14 March 12:00. 总结 is due 31 March.
 * Its history: the start (revision 1), the due timer (2), the completion (3).
 */
const CAMPAIGN = minimalCampaign({
  id: '重放的用处',
  roles: [unit('单位', '各单位')],
  blocks: `
    flags:
      - { id: 逾期, title: 逾期 }`,
  phases: [
    {
      id: '动员',
      window: '3月',
      body: `
        tasks:
          - { id: 方案, title: 报送方案, owner: 单位, due: 3月10日 }
          - { id: 总结, title: 总结, owner: 单位, due: 3月31日 }`,
    },
  ],
  after: `
    consequences:
      - id: 逾期
        title: 逾期
        on: { event: task-overdue }
        subject: unit
        flags: [逾期]`,
});

const STARTED = shanghai('2024-03-01T00:00:00');
const OVERDUE = shanghai('2024-03-11T00:00:00');
const DONE = shanghai('2024-03-14T12:00:00');

interface Played {
  readonly store: Store;
  readonly definition: DefinitionRecord;
  readonly instance: InstanceRecord;
  readonly history: readonly HistoryRecord[];
  /** `Engine.replay` of `c/u01` on the same store, its history read through `doctor`. */
  readonly replay: (doctor: (history: HistoryRecord[]) => HistoryRecord[]) => Promise<unknown>;
}

async function played(): Promise<Played> {
  const h = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
  await h.engine.startCampaign({ process: h.processId, organisation: organisation(1, 0), campaignId: 'c' });
  await runUntil(h.engine, h.clock, DONE);
  await h.engine.send('c/u01', { type: 'task.completed', task: '方案' });
  await runUntil(h.engine, h.clock, shanghai('2024-03-20T00:00:00'));
  const instance = (await h.store.getInstance('c/u01')) as InstanceRecord;
  const campaign = await h.store.getCampaign('c');
  const definition = (await h.store.getDefinition(h.processId, campaign?.version)) as DefinitionRecord;
  const history = await h.store.history('c/u01');
  const replay = async (doctor: (history: HistoryRecord[]) => HistoryRecord[]) => {
    const store = withHistory(h.store, doctor);
    return createEngine({ store, clock: h.clock, effects: { deliver: () => undefined } }).replay('c/u01');
  };
  return { store: h.store, definition, instance, history, replay };
}

/** The same store, its histories read through `doctor` (a damaged store, as a test makes one). */
function withHistory(store: Store, doctor: (history: HistoryRecord[]) => HistoryRecord[]): Store {
  return new Proxy(store, {
    get(target, key) {
      if (key === 'history') return async (id: string) => doctor(await target.history(id));
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** What a promise rejects with (undefined when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error;
  }
}

const damaged = (entry: HistoryRecord): HistoryRecord => ({ ...entry, event: '{' });

describe('the users of the one walk of a stored history (重放)', () => {
  it('the history is the start, the due timer and the completion, as the campaign says', async () => {
    const { history } = await played();
    expect(history.map((e) => [e.revision, e.type, e.at])).toEqual([
      [1, 'start', STARTED],
      [2, 'timer.fired', OVERDUE],
      [3, 'task.completed', DONE],
    ]);
  });

  it('Engine.replay: agrees with a whole history; ENGINE_REPLAY_MISMATCH without a start, for a step that fails (its cause), a damaged event (its cause) or a history cut short', async () => {
    const { replay } = await played();
    await expect(replay((h) => h)).resolves.toMatchObject({ revision: 3 });

    const noStart = await rejection(replay((h) => h.slice(1)));
    expect(noStart).toMatchObject({ code: 'ENGINE_REPLAY_MISMATCH' });
    expect((noStart as Error).cause).toBeUndefined();

    // The completion dated before the due timer: time would run backwards.
    const backwards = await rejection(replay((h) => [h[0], h[1], { ...(h[2] as HistoryRecord), at: OVERDUE - 1 }] as HistoryRecord[]));
    expect(backwards).toMatchObject({ code: 'ENGINE_REPLAY_MISMATCH', cause: expect.objectContaining({ code: 'ENGINE_TIME_BACKWARDS' }) });

    const unreadable = await rejection(replay((h) => [h[0], damaged(h[1] as HistoryRecord), h[2]] as HistoryRecord[]));
    expect(unreadable).toMatchObject({ code: 'ENGINE_REPLAY_MISMATCH' });
    expect((unreadable as Error).cause).toBeInstanceOf(SyntaxError);

    // Without the completion, 方案 is still overdue: not the stored state.
    const short = await rejection(replay((h) => h.slice(0, 2)));
    expect(short).toMatchObject({ code: 'ENGINE_REPLAY_MISMATCH' });
    expect((short as Error).cause).toBeUndefined();

    // A start entry whose input cannot be read: ENGINE_REPLAY_MISMATCH too, its cause the parse error
    // (replay-damaged-start.test.ts; it was an uncoded SyntaxError).
    const unreadableStart = await rejection(replay((h) => [damaged(h[0] as HistoryRecord), ...h.slice(1)]));
    expect(unreadableStart).toMatchObject({ code: 'ENGINE_REPLAY_MISMATCH' });
    expect((unreadableStart as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it('taskOpenings: both tasks opened at the start (going overdue is no opening); nothing without a start', async () => {
    const { definition, instance, history } = await played();
    expect(taskOpenings({ definition, instance, history })).toEqual(
      new Map([
        ['方案', STARTED],
        ['总结', STARTED],
      ]),
    );
    expect(taskOpenings({ definition, instance, history: history.slice(1) })).toEqual(new Map());
  });

  it('PastFlags: 逾期 not held on 5 March, held from 11 March on; an instance without a start skipped before its snapshot is read', async () => {
    const { definition, instance, history } = await played();
    const times = [shanghai('2024-03-05T00:00:00'), shanghai('2024-03-12T00:00:00'), shanghai('2024-03-20T00:00:00')];
    const flags = new PastFlags(definition, times);
    flags.add(instance, history);
    expect(flags.replayed).toBe(1);
    expect(flags.counts()).toEqual([{ 逾期: 0 }, { 逾期: 1 }, { 逾期: 1 }]);

    // A snapshot no format has is never decoded when the history has no start …
    const unreadable = { ...instance, snapshot: { formatVersion: 99 } };
    const skipped = new PastFlags(definition, times);
    skipped.add(unreadable, history.slice(1));
    expect(skipped.replayed).toBe(0);
    expect(skipped.counts()).toEqual([{ 逾期: 0 }, { 逾期: 0 }, { 逾期: 0 }]);
    // … and refused when it has one (a plan that takes no flag away looks at the flags held now first).
    expect(() => new PastFlags(definition, times).add(unreadable, history)).toThrow(expect.objectContaining({ code: 'STORE_UNSUPPORTED_FORMAT' }));
  });

  it('PastFlags: once every instant is counted, the rest of the history is not read', async () => {
    const { definition, instance, history } = await played();
    const cut = [history[0], history[1], damaged(history[2] as HistoryRecord)] as HistoryRecord[];
    // 12 March falls before the damaged completion (14 March): the walk stops before reading it.
    const early = new PastFlags(definition, [shanghai('2024-03-12T00:00:00')]);
    early.add(instance, cut);
    expect(early.counts()).toEqual([{ 逾期: 1 }]);
    // 20 March falls after it: the completion must be stepped, and cannot be read.
    expect(() => new PastFlags(definition, [shanghai('2024-03-20T00:00:00')]).add(instance, cut)).toThrow(SyntaxError);
  });
});
