import { fileURLToPath } from 'node:url';
import { validateProcessPaths } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../src/compiler/compile-plan.js';
import { processBundle } from '../src/compiler/process-bundle.js';

const processes = fileURLToPath(new URL('../../../processes/', import.meta.url));

describe('given the seed process folder with four sub-processes', () => {
  const validation = validateProcessPaths([processes]);
  const bundle = (id: string) => {
    const campaign = validation.campaigns.get(id);
    if (!campaign) throw new Error(`${id} is not among the seeds`);
    return processBundle(campaign, validation.subprocesses);
  };

  it('when a campaign uses a sub-process inside a workstream that uses another, then its bundle holds both and no other', () => {
    expect(validation.ok).toBe(true);
    // 002 uses 五评 in a workstream of a phase; 五评 itself uses 满意度测评.
    expect(new Set(bundle('机关作风建设年').subprocesses.map((s) => s.id))).toEqual(new Set(['五评', '满意度测评']));
    expect(new Set(bundle('三型机关动员月').subprocesses.map((s) => s.id))).toEqual(new Set(['五学', '五查']));
  });

  it('when the host’s locale orders the sub-processes otherwise, then the bundle lists them in the same order (code units)', () => {
    const ids = bundle('机关作风建设年').subprocesses.map((s) => s.id);
    // 五 is U+4E94, 满 U+6EE1; Chinese collation puts 满 (man) before 五 (wu).
    expect(ids).toEqual(['五评', '满意度测评']);
    expect(['五评', '满意度测评'].sort((a, b) => a.localeCompare(b, 'zh-CN'))).toEqual(['满意度测评', '五评']);
  });

  it('when its plan is compiled, then the flags of sub-processes it does not use are not among them', () => {
    const plan = compilePlan(bundle('三型机关动员月'), 1);
    // 重点整改单位 is declared by 五评 only, which 000 does not use.
    expect(plan.flags.has('重点整改单位')).toBe(false);
    expect(compilePlan(bundle('机关作风建设年'), 1).flags.has('重点整改单位')).toBe(true);
  });
});
