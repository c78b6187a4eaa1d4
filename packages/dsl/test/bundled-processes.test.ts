import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseProcessText } from '../src/source/parsed-file.js';
import { validateParsedFiles, validateProcessPaths } from '../src/validate/validate-processes.js';
import { positionOf, replaceOnce } from './fixtures.js';

const processesDir = fileURLToPath(new URL('../../../processes/', import.meta.url));
const seed002 = `${processesDir}002-jiguan-zuofeng.yaml`;

/** Validates the bundled directory with one file's text replaced. */
function validateWith(file: string, text: string) {
  const all = validateProcessPaths([processesDir]);
  const parsed = all.files.map((f) => parseProcessText(f.file === file ? text : readFileSync(f.file, 'utf8'), f.file));
  return validateParsedFiles(parsed);
}

describe('the bundled process files', () => {
  it('are all valid, with no warnings', () => {
    const result = validateProcessPaths([processesDir]);
    expect(result.diagnostics).toEqual([]);
    expect([...result.campaigns.keys()].sort()).toEqual(['三型机关动员月', '机关作风建设年', '机关创新行动'].sort());
    expect([...result.subprocesses.keys()].sort()).toEqual(['五学', '五查', '五评', '满意度测评'].sort());
  });

  it('model the deadlines and the ladder of seed 002 as the directive states them', () => {
    const campaign = validateProcessPaths([processesDir]).campaigns.get('机关作风建设年');
    const tasks = campaign?.phases.flatMap((p) => [...(p.tasks ?? []), ...(p.workstreams ?? []).flatMap((w) => w.tasks ?? [])]);
    const due = Object.fromEntries((tasks ?? []).map((t) => [t.id, t.due]));
    expect(due.党员先锋岗报送).toBe('6月30日前');
    expect(due.制度汇编报送).toBe('9月30日前');
    expect(campaign?.phases.map((p) => p.window)).toEqual(['4月至5月', '6月至11月', '12月']);
    expect(campaign?.ladders?.[0]?.rungs.map((r) => r.actions?.[0])).toEqual(['诫勉谈话', '通报批评', '交流换岗']);
  });

  const original = readFileSync(seed002, 'utf8');
  const mistakes: { name: string; from: string; to: string; code: string; at: string }[] = [
    { name: 'a syntax error', from: '    window: 6月至11月\n', to: '    window: [6月至11月\n', code: 'DSL_YAML_SYNTAX', at: 'exit: window-end\n    quote: 「（二）' },
    { name: 'an impossible date', from: 'due: 6月30日前', to: 'due: 6月31日前', code: 'DSL_BAD_DUE', at: '6月31日前' },
    { name: 'a deadline before its phase', from: 'due: 9月30日前', to: 'due: 5月20日前', code: 'DSL_DEADLINE_OUTSIDE_WINDOW', at: '5月20日前' },
    { name: 'an unknown action', from: '{ level: 3, actions: [交流换岗] }', to: '{ level: 3, actions: [降职] }', code: 'DSL_UNKNOWN_REFERENCE', at: '降职' },
    { name: 'a broken ladder', from: '{ level: 3, actions: [交流换岗] }', to: '{ level: 4, actions: [交流换岗] }', code: 'DSL_LADDER_RUNGS', at: '- { level: 1' },
    { name: 'an unknown flag in a condition', from: 'when: flags.重点整改单位', to: 'when: flags.重点单位', code: 'DSL_EXPRESSION_UNKNOWN_NAME', at: 'flags.重点单位' },
    { name: 'an unknown key', from: '    exit: window-end\n    quote: 「（三）', to: '    exits: window-end\n    quote: 「（三）', code: 'DSL_SCHEMA_UNKNOWN_KEY', at: 'exits' },
  ];

  for (const mistake of mistakes) {
    it(`report ${mistake.name} inserted into seed 002 at its line and column`, () => {
      const text = replaceOnce(original, mistake.from, mistake.to);
      const result = validateWith(seed002, text);
      expect(result.ok).toBe(false);
      const found = result.diagnostics.find((d) => d.code === mistake.code);
      expect(found, JSON.stringify(result.diagnostics.map((d) => d.code))).toBeDefined();
      expect({ file: found?.file, line: found?.line, column: found?.column }).toEqual({ file: seed002, ...positionOf(text, mistake.at) });
    });
  }
});
