import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { timerCampaign as exportedTimerCampaign } from '@luoshi/engine';
import { formatTimerKey, isCampaignTimer, parseTimerKey, timerCampaign, type TimerKey } from '../src/runtime/timer-keys.js';

/** Ids as processes and organisations have them, and as hostile ones could: colons, slashes, Chinese, prototype names. */
const IDS = ['报送方案', 'a', 'a:b', ':lead', 'trail:', 'x::y', 'c1/u1', '每月学习#3@u01-m1', '检查@张三', '__proto__', 'constructor', ' ', '\u{1F600}'];

/** One key of each kind for `id`, with the text stored for it (since release 7967bde; `opens` since issue 18), written out by hand. */
function everyKind(id: string): [TimerKey, string][] {
  return [
    [{ kind: 'due', task: id }, 'due:' + id],
    [{ kind: 'remind', task: id }, 'remind:' + id],
    [{ kind: 'phase', phase: id }, 'phase:' + id],
    [{ kind: 'opens', phase: id }, 'opens:' + id],
    [{ kind: 'recur', item: id }, 'recur:' + id],
    [{ kind: 'rectify', inspection: id }, 'rectify:' + id],
    [{ kind: 'ranking', ranking: id }, 'ranking:' + id],
    [{ kind: 'grading', grading: id }, 'grading:' + id],
  ];
}

describe('timer keys (定时器键)', () => {
  it('keep the stored text of every kind', () => {
    expect(formatTimerKey({ kind: 'due', task: '报送方案@u01-m1' })).toBe('due:报送方案@u01-m1');
    expect(formatTimerKey({ kind: 'remind', task: '每月学习#3' })).toBe('remind:每月学习#3');
    expect(formatTimerKey({ kind: 'phase', phase: '动员部署' })).toBe('phase:动员部署');
    expect(formatTimerKey({ kind: 'opens', phase: '全面推开' })).toBe('opens:全面推开');
    expect(formatTimerKey({ kind: 'recur', item: '每月学习' })).toBe('recur:每月学习');
    expect(formatTimerKey({ kind: 'rectify', inspection: '专项检查@u01-m2' })).toBe('rectify:专项检查@u01-m2');
    expect(formatTimerKey({ kind: 'ranking', ranking: '十佳单位评选' })).toBe('ranking:十佳单位评选');
  });

  it('read back what they were made from, for every kind and id', () => {
    for (const id of IDS)
      for (const [key, text] of everyKind(id)) {
        expect(formatTimerKey(key)).toBe(text);
        expect(parseTimerKey(text)).toEqual(key);
      }
  });

  it('name the later dates of a ranking (年度排名 of each year) while the first keeps the text of release 7967bde', () => {
    expect(formatTimerKey({ kind: 'ranking', ranking: '年度排名', occurrence: 0 })).toBe('ranking:年度排名');
    expect(formatTimerKey({ kind: 'ranking', ranking: '年度排名', occurrence: 2 })).toBe('ranking#2:年度排名');
    for (const id of IDS) expect(parseTimerKey(`ranking#12:${id}`)).toEqual({ kind: 'ranking', ranking: id, occurrence: 12 });
    expect(parseTimerKey('ranking:年度排名')).toEqual({ kind: 'ranking', ranking: '年度排名' });
    for (const text of ['ranking#0:x', 'ranking#01:x', 'ranking#:x', 'ranking#-1:x', 'ranking#1.5:x', 'ranking#1234567:x', 'ranking#1:', 'ranking##1:x'])
      expect(parseTimerKey(text), text).toBeUndefined();
  });

  it('name a dated grading (等次评定) and its later dates as a ranking’s are named', () => {
    expect(formatTimerKey({ kind: 'grading', grading: '年度等次' })).toBe('grading:年度等次');
    expect(formatTimerKey({ kind: 'grading', grading: '年度等次', occurrence: 2 })).toBe('grading#2:年度等次');
    for (const id of IDS) expect(parseTimerKey(`grading#3:${id}`)).toEqual({ kind: 'grading', grading: id, occurrence: 3 });
    for (const text of ['grading#0:x', 'grading#01:x', 'grading#:x', 'grading#1:', 'gradings#1:x']) expect(parseTimerKey(text), text).toBeUndefined();
  });

  it('name the campaign period at whose start flags lapse (活动年度), as a plain positive number', () => {
    expect(formatTimerKey({ kind: 'lapse', period: 2 })).toBe('lapse:2');
    expect(parseTimerKey('lapse:2')).toEqual({ kind: 'lapse', period: 2 });
    for (const text of ['lapse:0', 'lapse:02', 'lapse:-1', 'lapse:x', 'lapse:1.5', 'lapse:', 'lapse:1234567'])
      expect(parseTimerKey(text), text).toBeUndefined();
  });

  it('name the campaign end at which an instance in its wrap-up (收尾) closes, as one fixed text', () => {
    expect(formatTimerKey({ kind: 'close' })).toBe('close:end');
    expect(parseTimerKey('close:end')).toEqual({ kind: 'close' });
    for (const text of ['close:', 'close:x', 'close:end:', 'close::end']) expect(parseTimerKey(text), text).toBeUndefined();
  });

  it('end the kind at the first colon: the id keeps its own colons', () => {
    expect(parseTimerKey('rectify:检查:一:二@m')).toEqual({ kind: 'rectify', inspection: '检查:一:二@m' });
    expect(parseTimerKey('due::')).toEqual({ kind: 'due', task: ':' });
    expect(parseTimerKey('phase:due:x')).toEqual({ kind: 'phase', phase: 'due:x' });
  });

  it('are undefined for text that is none: no colon, an unknown kind, an empty id or text', () => {
    for (const text of [
      '',
      ':',
      ':x',
      'due',
      'dueX',
      'due:',
      'ranking:',
      'Due:x',
      ' due:x',
      'overdue:x',
      'ladder:举报投诉查实:2',
      '__proto__',
      '__proto__:x',
      'constructor:x',
      'toString:x',
      'hasOwnProperty:x',
      '到期:x',
    ])
      expect(parseTimerKey(text), text).toBeUndefined();
  });

  it('never throw, whatever the text', () => {
    for (const text of ['\ud800', 'due:\udfff', 'x'.repeat(100_000), `due:${':'.repeat(10_000)}`, '\u0000:\u0000'])
      expect(() => parseTimerKey(text)).not.toThrow();
    expect(parseTimerKey('due:\udfff')).toEqual({ kind: 'due', task: '\udfff' });
  });

  it('tell the campaign a timer belongs to, and whether it is campaign-wide', () => {
    expect(timerCampaign('c1/u1')).toBe('c1');
    expect(timerCampaign('专项行动/市局/办公室')).toBe('专项行动');
    expect(timerCampaign('c1')).toBe('c1');
    expect(timerCampaign('')).toBe('');
    expect(timerCampaign('/u1')).toBe('');
    expect(isCampaignTimer('c1')).toBe(true);
    expect(isCampaignTimer('c1/u1')).toBe(false);
    expect(isCampaignTimer('/')).toBe(false);
    // Stores in other packages apply the same rule.
    expect(exportedTimerCampaign('c1/u1')).toBe('c1');
  });
});

/** The engine's sources, relative to its `src` folder. */
const SRC = fileURLToPath(new URL('../src', import.meta.url));

/** The stored prefixes of timer keys. */
const PREFIXES = ['due:', 'remind:', 'phase:', 'opens:', 'recur:', 'rectify:', 'ranking:', 'grading:', 'lapse:'] as const;

/**
 * Where a literal may start with one of those prefixes, and why. Everything else builds its keys
 * with `formatTimerKey`. An allowance no longer used fails the test until it is taken off.
 */
const ALLOWED: ReadonlyMap<string, readonly string[]> = new Map([
  ['runtime/timer-keys.ts', [...PREFIXES]],
  // Effect causes, not timer keys: `remind:<task>` of a reminder, `ranking:<id>:<band>` of a place.
  ['runtime/tasks.ts', ['remind:']],
  ['runtime/ranking.ts', ['ranking:']],
]);

/** Folders not looked at: the store contract suite writes fixture keys, and a store holds keys as opaque text. */
const SKIPPED: ReadonlySet<string> = new Set(['testing']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(relative(SRC, path)) ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The timer-key prefixes a module's string and template literals start with (comments are not literals). */
function prefixesBuilt(file: string): Set<string> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    let text: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node)) text = node.head.text;
    if (text !== undefined) for (const prefix of PREFIXES) if (text.startsWith(prefix)) found.add(prefix);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('timer keys are built in one module', () => {
  it('no other engine module writes a literal timer-key prefix', () => {
    const offending: string[] = [];
    const used = new Map<string, Set<string>>();
    for (const file of sourceFiles(SRC)) {
      const name = relative(SRC, file).split('\\').join('/');
      const allowed = ALLOWED.get(name) ?? [];
      for (const prefix of prefixesBuilt(file)) {
        if (allowed.includes(prefix)) used.set(name, (used.get(name) ?? new Set()).add(prefix));
        else offending.push(`${name}: '${prefix}'`);
      }
    }
    expect(offending, 'build timer keys with formatTimerKey (runtime/timer-keys.ts)').toEqual([]);
    const stale = [...ALLOWED].flatMap(([name, prefixes]) => prefixes.filter((p) => !used.get(name)?.has(p)).map((p) => `${name}: '${p}'`));
    expect(stale, 'allowances no longer needed: take them off ALLOWED').toEqual([]);
  });
});
