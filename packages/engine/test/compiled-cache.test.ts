import { describe, expect, it } from 'vitest';
import { validateProcessText, type ProcessFile } from '@luoshi/dsl';
import { CompiledCache, createEngine, createMemoryStore, VirtualClock } from '@luoshi/engine';
import { organisation, shanghai } from './support/harness.js';

function campaign(taskTitle: string): ProcessFile {
  const v = validateProcessText(
    `
kind: campaign
id: 缓存
title: 缓存
source: { title: 测试 }
year: 2024
subjects: [unit]
roles: [{ id: 单位, title: 单位, level: unit }]
phases:
  - id: 实施
    title: 实施
    window: 1月至12月
    tasks: [{ id: 报送, title: ${taskTitle}, owner: 单位, due: 6月30日 }]
`,
    { file: 'c.yaml' },
  );
  if (!v.definition) throw new Error(v.diagnostics.map((d) => d.message.en).join('; '));
  return v.definition;
}

const start = shanghai('2024-01-02T00:00:00');

describe('given engines sharing one compiled cache', () => {
  it('when two stores each hold different content as version 1 of one process, then each campaign runs its own content', async () => {
    const cache = new CompiledCache();
    const first = createEngine({ store: createMemoryStore(), clock: new VirtualClock(start), compiledCache: cache });
    const second = createEngine({ store: createMemoryStore(), clock: new VirtualClock(start), compiledCache: cache });
    expect(await first.deploy([campaign('报送材料')])).toEqual([{ processId: '缓存', version: 1, created: true }]);
    expect(await second.deploy([campaign('报送新材料')])).toEqual([{ processId: '缓存', version: 1, created: true }]);
    await first.startCampaign({ process: '缓存', organisation: organisation(1, 0), campaignId: 'a' });
    await second.startCampaign({ process: '缓存', organisation: organisation(1, 0), campaignId: 'b' });
    expect((await first.tasks('a/u01')).map((t) => t.title)).toEqual(['报送材料']);
    expect((await second.tasks('b/u01')).map((t) => t.title)).toEqual(['报送新材料']);
  });

  it('when a process is deployed, then the cache holds it under the version it was stored as, and under no other', async () => {
    const cache = new CompiledCache();
    const engine = createEngine({ store: createMemoryStore(), clock: new VirtualClock(start), compiledCache: cache });
    await engine.deploy([campaign('报送材料')]);
    const [listed] = await engine.processes();
    const hash = listed?.versions[0]?.hash ?? '';
    // A body that does not parse: only a version already compiled comes back without compiling it.
    const unparsable = { processId: '缓存', hash, body: '{' };
    expect(cache.of({ ...unparsable, version: 1 }).plan.version).toBe(1);
    expect(() => cache.of({ ...unparsable, version: 0 })).toThrow();
  });
});
