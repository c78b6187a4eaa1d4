import { describe, expect, it } from 'vitest';
import { arabicNumerals } from '../src/calendar/chinese-numerals.js';
import { parseDateSpec } from '../src/calendar/date-spec.js';
import { parseDueSpec } from '../src/calendar/due-spec.js';
import { parseDurationSpec } from '../src/calendar/duration-spec.js';
import { holidayCalendarCovers } from '../src/calendar/holiday-coverage.js';
import { parseRecurrenceSpec } from '../src/calendar/recurrence-spec.js';
import { isoDay, resolveDate } from '../src/calendar/resolve-date.js';
import { parseWindowSpec } from '../src/calendar/window-spec.js';

const frame = { year: 2010, zone: 'Asia/Shanghai' };
const day = (text: string, side: 'start' | 'end' = 'end') => {
  const spec = parseDateSpec(text, side);
  const date = spec && resolveDate(spec, frame);
  return date ? isoDay(date) : undefined;
};

describe('dates as directives write them', () => {
  it('reads the Chinese and ISO forms of the same day alike', () => {
    for (const text of ['10-18', '10月18日', '10月18日前', '十月十八日', '2010-10-18', ' 10月18号 ']) {
      expect(day(text), text).toBe('2010-10-18');
    }
  });

  it('reads dekads and year ends as the end of the period for a deadline', () => {
    expect(day('7月中旬')).toBe('2010-07-20');
    expect(day('7月上旬')).toBe('2010-07-10');
    expect(day('2月下旬')).toBe('2010-02-28');
    expect(day('12月初')).toBe('2010-12-05');
    expect(day('年底')).toBe('2010-12-31');
    expect(day('5月')).toBe('2010-05-31');
    expect(day('5月', 'start')).toBe('2010-05-01');
  });

  it('rejects days that do not exist and text that is not a date', () => {
    expect(day('2月30日')).toBeUndefined();
    expect(parseDateSpec('13月1日')).toBeUndefined();
    expect(parseDateSpec('下周')).toBeUndefined();
  });

  it('counts from the campaign start when written relative to it', () => {
    const spec = parseDateSpec('开始后30天');
    const start = resolveDate({ kind: 'month-day', month: 4, day: 1 }, frame);
    expect(spec && start && isoDay(resolveDate(spec, { ...frame, start }) as never)).toBe('2010-05-01');
    expect(parseDateSpec('start+30d')).toEqual(spec);
  });

  it('turns Chinese numerals into digits without touching other text', () => {
    expect(arabicNumerals('二十五日')).toBe('25日');
    expect(arabicNumerals('三十一')).toBe('31');
    expect(arabicNumerals('十')).toBe('10');
    expect(arabicNumerals('五学')).toBe('5学');
  });
});

describe('windows', () => {
  const window = (text: string) => {
    const spec = parseWindowSpec(text);
    if (!spec) return undefined;
    return [resolveDate(spec.start, frame), resolveDate(spec.end, frame)].map((d) => d && isoDay(d)).join('..');
  };

  it('reads month ranges, single months and explicit ranges', () => {
    expect(window('4月至5月')).toBe('2010-04-01..2010-05-31');
    expect(window('6至11月')).toBe('2010-06-01..2010-11-30');
    expect(window('12月')).toBe('2010-12-01..2010-12-31');
    expect(window('04-01..05-31')).toBe('2010-04-01..2010-05-31');
    expect(window('10月1日至10月20日')).toBe('2010-10-01..2010-10-20');
    expect(window('7月中旬')).toBe('2010-07-11..2010-07-20');
  });

  it('refuses what is not a window', () => {
    expect(parseWindowSpec('全年度之内')).toBeUndefined();
    expect(parseWindowSpec('4月至5月至6月')).toBeUndefined();
  });
});

describe('durations, due dates and recurrences', () => {
  it('reads lengths of time in both languages', () => {
    expect(parseDurationSpec('5个工作日')).toEqual({ amount: 5, unit: 'working-day' });
    expect(parseDurationSpec('五个工作日内')).toEqual({ amount: 5, unit: 'working-day' });
    expect(parseDurationSpec('5 working days')).toEqual({ amount: 5, unit: 'working-day' });
    expect(parseDurationSpec('15天')).toEqual({ amount: 15, unit: 'day' });
    expect(parseDurationSpec('1个月')).toEqual({ amount: 1, unit: 'month' });
    expect(parseDurationSpec('2 weeks')).toEqual({ amount: 2, unit: 'week' });
    expect(parseDurationSpec('soon')).toBeUndefined();
    expect(parseDurationSpec('5 fortnights')).toBeUndefined();
  });

  it('reads absolute and relative due dates', () => {
    expect(parseDueSpec('10月18日前')).toEqual({ kind: 'date', date: { kind: 'month-day', month: 10, day: 18 } });
    expect(parseDueSpec('动员部署后5个工作日内')).toEqual({
      kind: 'after',
      anchor: '动员部署',
      duration: { amount: 5, unit: 'working-day' },
    });
    expect(parseDueSpec('5 working days after 动员部署')).toEqual(parseDueSpec('动员部署后5个工作日内'));
    expect(parseDueSpec('3 days after start')).toEqual({ kind: 'after', anchor: 'start', duration: { amount: 3, unit: 'day' } });
    expect(parseDueSpec('尽快')).toBeUndefined();
  });

  it('maps named periods to RFC 5545 rules and rejects broken rules', () => {
    expect(parseRecurrenceSpec('每季度')).toEqual({ rrule: 'FREQ=MONTHLY;INTERVAL=3', period: { amount: 3, unit: 'month' } });
    expect(parseRecurrenceSpec('half-yearly')).toEqual(parseRecurrenceSpec('每半年'));
    expect(parseRecurrenceSpec('FREQ=MONTHLY;BYMONTHDAY=-1')).toMatchObject({ period: { amount: 1, unit: 'month' } });
    expect(parseRecurrenceSpec('FREQ=SOMETIMES')).toHaveProperty('error');
    expect(parseRecurrenceSpec('每隔几天')).toHaveProperty('error');
    expect(parseRecurrenceSpec('FREQ=HOURLY')).toHaveProperty('error');
  });

  it('knows which years the bundled holiday calendar covers', () => {
    expect(holidayCalendarCovers(2010)).toBe(true);
    expect(holidayCalendarCovers(2026)).toBe(true);
    expect(holidayCalendarCovers(2030)).toBe(false);
  });
});
