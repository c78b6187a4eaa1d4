import { describe, expect, it } from 'vitest';
import { createEngine, taskOpenings, type DefinitionRecord, type HistoryRecord, type InstanceRecord, type Store } from '@luoshi/engine';
import { minimalCampaign, unit } from '../../../test/support/minimal-campaign.js';
import { engineWith, organisation } from './support/harness.js';

/*
 * 重放 of a history whose start entry is damaged (a bad disk, a hand edit of `history.event`):
 * `Engine.replay` promises ENGINE_REPLAY_MISMATCH "when the history does not begin with the start
 * and when a step fails", and gives it for a later entry that cannot be read. A start entry that
 * could not be read was thrown as the bare SyntaxError (or TypeError) of reading it: an error with
 * no code and no zh/en text from a public method. Now it is ENGINE_REPLAY_MISMATCH with the parse
 * error as its cause, as for any later entry. `taskOpenings` (no `failed`) throws it as it is, as
 * before: the simulator's reader turns that into SIM_LIVE_DAMAGED.
 */

const CAMPAIGN = minimalCampaign({
  id: '起点受损',
  roles: [unit('单位', '各单位')],
  phases: [{ id: '动员', window: '3月', body: 'tasks:\n  - { id: 方案, title: 报送方案, owner: 单位, due: 3月10日 }' }],
});

/** The same store, the start entry of every history replaced by `start`. */
function withStart(store: Store, start: (entry: HistoryRecord) => HistoryRecord): Store {
  return new Proxy(store, {
    get(target, key) {
      if (key === 'history')
        return async (id: string) => {
          const [first, ...rest] = await target.history(id);
          return first === undefined ? [] : [start(first), ...rest];
        };
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('given a stored history whose start entry cannot be read', () => {
  const damages: readonly (readonly [string, string, ErrorConstructor])[] = [
    ['not JSON', '{', SyntaxError],
    ['JSON null', 'null', TypeError],
  ];

  for (const [what, event, kind] of damages)
    it(`when Engine.replay reads it (${what}), then it is ENGINE_REPLAY_MISMATCH naming the instance, the read's ${kind.name} its cause`, async () => {
      const h = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
      await h.engine.startCampaign({ process: h.processId, organisation: organisation(1, 0), campaignId: 'c' });
      await expect(h.engine.replay('c/u01')).resolves.toMatchObject({ revision: 1 });
      const damaged = createEngine({ store: withStart(h.store, (e) => ({ ...e, event })), clock: h.clock });
      const error = await rejection(damaged.replay('c/u01'));
      expect(error).toMatchObject({ code: 'ENGINE_REPLAY_MISMATCH', details: { id: 'c/u01' } });
      expect((error as Error).cause).toBeInstanceOf(kind);
    });

  it('when taskOpenings reads it, then the read error is thrown as it is (its callers name the damaged row)', async () => {
    const h = await engineWith(CAMPAIGN, { start: '2024-03-01T00:00:00' });
    await h.engine.startCampaign({ process: h.processId, organisation: organisation(1, 0), campaignId: 'c' });
    const instance = (await h.store.getInstance('c/u01')) as InstanceRecord;
    const definition = (await h.store.getDefinition(h.processId)) as DefinitionRecord;
    const [start] = await h.store.history('c/u01');
    expect(() => taskOpenings({ definition, instance, history: [{ ...(start as HistoryRecord), event: '{' }] })).toThrow(SyntaxError);
  });
});
