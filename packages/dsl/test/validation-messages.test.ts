import { describe, expect, it } from 'vitest';
import { validateProcessText } from '../src/validate/validate-processes.js';
import { BASE_CAMPAIGN, BASE_SUBPROCESS, positionOf, replaceOnce } from './fixtures.js';

/* Issue 18, "Validation messages found confusing": each message says where and what to do. */

const library = [{ file: 'sub.yaml', text: BASE_SUBPROCESS }];
const validate = (text: string) => validateProcessText(text, { file: 'campaign.yaml', library });

describe('an unquoted value starting with *', () => {
  it('is reported at its own line with a hint to add quotes, in zh and en, not as "Unresolved alias" at 1:1', () => {
    const text = replaceOnce(BASE_CAMPAIGN, '        title: 报送方案\n', '        title: *重点* 报送方案\n');
    const result = validate(text);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['DSL_YAML_UNQUOTED_STAR']);
    const d = result.diagnostics[0];
    expect({ line: d?.line, column: d?.column }).toEqual(positionOf(text, '*重点* 报送方案'));
    expect(d?.message.en).toContain('add quotes');
    expect(d?.message.en).toContain("'*重点* 报送方案'");
    expect(d?.message.zh).toContain('加上引号');
    expect(JSON.stringify(d?.message)).not.toContain('Unresolved alias');
  });

  it('a value that is only an alias (title: *重点) is reported the same way', () => {
    const text = replaceOnce(BASE_CAMPAIGN, '        title: 报送方案\n', '        title: *重点\n');
    const result = validate(text);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['DSL_YAML_UNQUOTED_STAR']);
    expect({ line: result.diagnostics[0]?.line, column: result.diagnostics[0]?.column }).toEqual(positionOf(text, '*重点'));
  });

  it('an alias to an anchor set before it still works', () => {
    const text = replaceOnce(replaceOnce(BASE_CAMPAIGN, '        title: 报送方案\n', '        title: &方案 报送方案\n'), '    title: 组织实施\n', '    title: 组织实施\n    note: *方案\n');
    expect(validate(text).diagnostics).toEqual([]);
  });
});
