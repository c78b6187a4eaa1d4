import { describe, expect, it } from 'vitest';
import { validateProcessText } from '@luoshi/dsl';
import { createEngine, createMemoryStore, EngineError, VirtualClock } from '@luoshi/engine';
import { parseTaskKey, taskKey } from '../src/runtime/record-keeper.js';

describe('task keys', () => {
  it('name the item, the occurrence and the member, and read back what they were built from', () => {
    for (const [item, member, n] of [['报送', undefined, undefined], ['每月学习', 'u01-m1', 3], ['自评', 'zhang', undefined], ['季度', undefined, 0]] as const) {
      const key = taskKey(item, member, n);
      expect(parseTaskKey(key)).toEqual({ item, ...(member ? { member } : {}), ...(n === undefined ? {} : { occurrence: n }) });
    }
    expect(taskKey('每月学习', 'u01-m1', 3)).toBe('每月学习#3@u01-m1');
  });

  it('cannot be built from an item id with "#", so such a process is refused at deploy', async () => {
    const v = validateProcessText(
      `
kind: campaign
id: 井号
title: 井号
source: { title: t }
year: 2024
subjects: [unit]
roles: [{ id: 单位, title: 单位, level: unit }]
phases:
  - { id: 一, title: 一, window: 1月, tasks: [{ id: "报送#1", title: 报送, owner: 单位 }] }
`,
      { file: 'h.yaml' },
    );
    expect(v.definition).toBeDefined();
    const engine = createEngine({ store: createMemoryStore(), clock: new VirtualClock(0) });
    const error = await engine.deploy(v.definition ? [v.definition] : []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('ENGINE_INVALID_DEFINITION');
    expect((error as EngineError).messages.en).toContain('报送#1');
  });
});
