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

describe('starts and due dates are said as what they are', () => {
  it('a recurring duty whose from: lies outside its phase is said as a start, not as a deadline', () => {
    const text = replaceOnce(
      BASE_CAMPAIGN,
      '    window: 6月至11月\n',
      '    window: 6月至11月\n    recurring:\n      - { id: 月学, title: 每月学习, owner: 支部, every: 每月, from: 5月1日 }\n',
    );
    const result = validate(text);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['DSL_DUTY_OUTSIDE_WINDOW']);
    const d = result.diagnostics[0];
    expect({ line: d?.line, column: d?.column }).toEqual(positionOf(text, '5月1日'));
    expect(d?.message.en).toBe('The recurring duty starts on 2010-05-01, outside the window of phase "组织实施" (2010-06-01 to 2010-11-30)');
    expect(d?.message.zh).toContain('定期工作开始于 2010-05-01');
  });

  it('a recurring duty whose from: lies inside its phase is valid', () => {
    const text = replaceOnce(
      BASE_CAMPAIGN,
      '    window: 6月至11月\n',
      '    window: 6月至11月\n    recurring:\n      - { id: 月学, title: 每月学习, owner: 支部, every: 每月, from: 7月1日 }\n',
    );
    expect(validate(text).diagnostics).toEqual([]);
  });

  it('a date before the campaign starts is said as one date, not as a window from it to itself', () => {
    const text = replaceOnce(BASE_CAMPAIGN, 'at: 11月30日', 'at: 2010-01-05');
    const d = validate(text).diagnostics.find((x) => x.code === 'DSL_DEADLINE_BEFORE_START');
    expect(d?.message.en).toBe('Due 2010-01-05, before the campaign starts (2010-04-01)');
    expect(d?.message.zh).not.toContain('时段');
  });
});

describe('a recurrence that cannot be read', () => {
  const withEvery = (every: string) =>
    replaceOnce(BASE_CAMPAIGN, '    window: 6月至11月\n', `    window: 6月至11月\n    recurring:\n      - { id: 月学, title: 每月学习, owner: 支部, every: '${every}' }\n`);

  it('is said in words of its own, in zh and en, with the forms that can be written, never as the rule library’s text', () => {
    const result = validate(withEvery('每年1月中旬和7月下旬'));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['DSL_BAD_RECURRENCE']);
    const d = result.diagnostics[0];
    expect(JSON.stringify(d?.message)).not.toMatch(/Unknown RRULE property|RRULE property/);
    expect(d?.message.en).toContain('the months listed must fall due on the same day');
    expect(d?.message.en).toContain('每年1月中旬和7月中旬');
    expect(d?.message.en).toContain('FREQ=MONTHLY;INTERVAL=2');
    expect(d?.message.zh).toContain('所列各月的截止日须相同');
    expect(d?.message.zh).toContain('每季度');
    expect(d?.message.zh).not.toMatch(/[A-Za-z]{12,}/);
  });

  it.each([
    ['FREQ=MONTHY', 'RRULE 缺少可识别的 FREQ'],
    ['FREQ=MONTHLY;每月=1', 'RRULE 规则无法解析'],
    ['FREQ=HOURLY', '只支持 DAILY、WEEKLY、MONTHLY、YEARLY 四种频率'],
    ['FREQ=MONTHLY;INTERVAL=0', 'INTERVAL 必须是正整数'],
  ])('an RRULE %s is refused with its reason in Chinese (%s)', (every, zh) => {
    const d = validate(withEvery(every)).diagnostics.find((x) => x.code === 'DSL_BAD_RECURRENCE');
    expect(d?.message.zh).toContain(zh);
  });
});

describe('a date or window that cannot be read', () => {
  it('is said with the forms that can be written, the ones with years among them (zh and en)', () => {
    const date = validate(replaceOnce(BASE_CAMPAIGN, 'at: 11月30日', 'at: 明年秋天')).diagnostics.find((x) => x.code === 'DSL_BAD_DATE');
    expect(date?.message.en).toContain('"2024年6月底前"');
    expect(date?.message.en).toContain('"次年1月底前"');
    expect(date?.message.zh).toContain('“第二年6月”');
    expect(date?.message.zh).toContain('“2026年底”');
    const window = validate(replaceOnce(BASE_CAMPAIGN, 'window: 6月至11月', 'window: 6月至明年')).diagnostics.find((x) => x.code === 'DSL_BAD_WINDOW');
    expect(window?.message.en).toContain('"2008年1月至2月"');
    expect(window?.message.zh).toContain('“2024年3月至2026年12月”');
    expect(window?.message.zh).toContain('“2008-01-01..2008-02-29”');
  });

  it('is not said of the forms with years, which validate', () => {
    const text = replaceOnce(replaceOnce(BASE_CAMPAIGN, 'window: 6月至11月', 'window: 2010年6月至11月'), 'at: 11月30日', 'at: 2010年11月底');
    expect(validate(text).diagnostics.filter((d) => d.code === 'DSL_BAD_DATE' || d.code === 'DSL_BAD_WINDOW')).toEqual([]);
  });
});
