import { describe, expect, it } from 'vitest';
import { validateProcessText } from '../src/validate/validate-processes.js';
import { BASE_CAMPAIGN, BASE_SUBPROCESS, positionOf, replaceOnce } from './fixtures.js';

/*
 * 同一子流程多处引用 (issue 18, defect 2): each use runs, its work named by the use's name; two uses
 * that would give their work the same names are refused where the second one is written.
 */

/** A sub-process that uses 小评 itself, without a name of its own. */
const OUTER = `kind: subprocess
id: 大评
title: 大评
tasks:
  - { id: 总结, title: 总结, owner: 支部 }
uses:
  - use: 小评
`;

const library = [
  { file: 'sub.yaml', text: BASE_SUBPROCESS },
  { file: 'outer.yaml', text: OUTER },
];
const validate = (text: string) => validateProcessText(text, { file: 'campaign.yaml', library });

/** The base campaign with 动员部署 using `first` and 组织实施 using `second` (both YAML flow mappings). */
function twoUses(first: string, second: string, weights = '{ 自评: 1, 互评: 1 }'): string {
  let text = replaceOnce(BASE_CAMPAIGN, '        due: 5月20日前\n', `        due: 5月20日前\n    uses:\n      - ${first}\n`);
  text = replaceOnce(text, '    uses:\n      - use: 小评\n', `    uses:\n      - ${second}\n`);
  return replaceOnce(text, '    weights: { 自评: 1, 互评: 1 }\n', `    weights: ${weights}\n`);
}

describe('a sub-process used in two places of one campaign', () => {
  it('without a name of its own in either is refused at the second use, which names the first (file:line:column)', () => {
    const text = twoUses('{ use: 小评 }', '{ use: 小评 }');
    const result = validate(text);
    expect(result.ok).toBe(false);
    const found = result.diagnostics.filter((d) => d.code === 'DSL_USE_UNNAMED_TWICE');
    expect(found).toHaveLength(1);
    const d = found[0];
    const first = positionOf(text, '小评 }', 1);
    expect({ line: d?.line, column: d?.column }).toEqual(positionOf(text, '小评 }', 2));
    expect(d?.message.en).toContain(`first used at campaign.yaml:${first.line}:${first.column}`);
    expect(d?.message.zh).toContain(`首次引用在 campaign.yaml:${first.line}:${first.column}`);
    expect(d?.message.zh).toContain('请为每次引用写上 id');
  });

  it('with a name for each is valid, and a ranking weighs each use\'s evaluation by its use\'s name', () => {
    const text = twoUses('{ use: 小评, id: 小评2009 }', '{ use: 小评, id: 小评2010 }', '{ 自评: 1, 小评2009/互评: 1, 小评2010/互评: 1 }');
    expect(validate(text).diagnostics).toEqual([]);
  });

  it('with a name for each, a weight on the bare evaluation id is unknown, and the message lists the names there are', () => {
    const text = twoUses('{ use: 小评, id: 小评2009 }', '{ use: 小评, id: 小评2010 }');
    const result = validate(text);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['DSL_UNKNOWN_REFERENCE']);
    expect(result.diagnostics[0]?.message.en).toContain('小评2009/互评');
    expect(result.diagnostics[0]?.message.en).toContain('小评2010/互评');
  });

  it('when only the second has a name, the first keeps the sub-process id as its name: both are named, and valid', () => {
    const text = twoUses('{ use: 小评 }', '{ use: 小评, id: 小评2010 }', '{ 自评: 1, 小评/互评: 1, 小评2010/互评: 1 }');
    expect(validate(text).diagnostics).toEqual([]);
  });

  it('once in the campaign and once, unnamed, inside another sub-process the campaign uses, is refused at the second use met', () => {
    // 动员部署 uses 大评 (which uses 小评); 组织实施 uses 小评 again, with no name of its own.
    const text = twoUses('{ use: 大评 }', '{ use: 小评 }');
    const result = validate(text);
    const found = result.diagnostics.filter((d) => d.code === 'DSL_USE_UNNAMED_TWICE');
    expect(found).toHaveLength(1);
    expect({ line: found[0]?.line, column: found[0]?.column }).toEqual(positionOf(text, '小评 }'));
    const inOuter = positionOf(OUTER, '小评\n');
    expect(found[0]?.message.en).toContain(`outer.yaml:${inOuter.line}:${inOuter.column}`);
  });
});

describe('a shared sub-process used inline in a campaign and from another sub-process (reuse)', () => {
  it('is valid when the campaign names its own use, and each run is weighed by its name', () => {
    const text = twoUses('{ use: 大评 }', '{ use: 小评, id: 本级小评 }', '{ 自评: 1, 小评/互评: 1, 本级小评/互评: 1 }');
    expect(validate(text).diagnostics).toEqual([]);
  });
});

describe('a sub-process used once', () => {
  it('keeps its work\'s ids as written (互评 in the base campaign\'s weights)', () => {
    expect(validate(BASE_CAMPAIGN).diagnostics).toEqual([]);
  });
});
