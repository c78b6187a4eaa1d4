import { describe, expect, it } from 'vitest';
import { parseDateSpec } from '../src/calendar/date-spec.js';
import { parseRecurrenceSpec } from '../src/calendar/recurrence-spec.js';
import { isoDay, resolveDate, type CalendarFrame } from '../src/calendar/resolve-date.js';
import { parseWindowSpec } from '../src/calendar/window-spec.js';

/*
 * Dates as directives write them (issue 18, "Time"): years after the campaign year (次年, 翌年,
 * 第二年), years written out (2024年6月底前), quarters and halves, windows over years, and
 * recurrences written as one text (每季度末, 每月5日前, 每年1月中旬和7月中旬). Every expected day
 * below is worked out by hand from the text and a campaign year of 2024 (a leap year).
 */
const frame: CalendarFrame = { year: 2024, zone: 'Asia/Shanghai' };

const day = (text: string, side: 'start' | 'end' = 'end', at: CalendarFrame = frame) => {
  const spec = parseDateSpec(text, side);
  const date = spec && resolveDate(spec, at);
  return date ? isoDay(date) : undefined;
};

const window = (text: string, at: CalendarFrame = frame) => {
  const spec = parseWindowSpec(text);
  if (!spec) return undefined;
  return [resolveDate(spec.start, at), resolveDate(spec.end, at)].map((d) => d && isoDay(d)).join('..');
};

describe('dates in a later year', () => {
  it('reads 次年, 翌年 and 第二年 as the year after the campaign year, 第三年 as two after', () => {
    expect(day('次年1月底前')).toBe('2025-01-31');
    expect(day('翌年3月')).toBe('2025-03-31');
    expect(day('翌年3月', 'start')).toBe('2025-03-01');
    expect(day('第二年6月')).toBe('2025-06-30');
    expect(day('第三年6月底前')).toBe('2026-06-30');
    expect(day('第一年6月')).toBe('2024-06-30');
    expect(day('次年年底')).toBe('2025-12-31');
    expect(day('次年底')).toBe('2025-12-31');
    expect(day('当年12月20日')).toBe('2024-12-20');
  });

  it('counts from the campaign year, with no second turn at New Year in a campaign that starts in December', () => {
    const december = resolveDate({ kind: 'month-day', month: 12, day: 10 }, frame);
    const crossing: CalendarFrame = { ...frame, ...(december ? { start: december } : {}) };
    // A bare 1月底 in a campaign starting 10 December 2024 is already in 2025; 次年1月底 is 2025 too, not 2026.
    expect(day('1月底', 'end', crossing)).toBe('2025-01-31');
    expect(day('次年1月底', 'end', crossing)).toBe('2025-01-31');
    expect(day('次年12月20日', 'end', crossing)).toBe('2025-12-20');
    // A year written out is that year, even before the start.
    expect(day('2024年1月5日', 'end', crossing)).toBe('2024-01-05');
  });

  it('refuses a year ordinal that is no year of the campaign', () => {
    expect(parseDateSpec('第零年6月')).toBeUndefined();
    expect(parseDateSpec('第年6月')).toBeUndefined();
  });
});

describe('dates with their year written out', () => {
  it('reads a year before every form of the day', () => {
    expect(day('2024年6月底前')).toBe('2024-06-30');
    expect(day('2024年6月')).toBe('2024-06-30');
    expect(day('2024年6月', 'start')).toBe('2024-06-01');
    expect(day('2025年3月中旬')).toBe('2025-03-20');
    expect(day('2026年底')).toBe('2026-12-31');
    expect(day('2026年年底')).toBe('2026-12-31');
    expect(day('2025年初', 'start')).toBe('2025-01-01');
    expect(day('2024年2月底')).toBe('2024-02-29');
    expect(day('2025年2月底')).toBe('2025-02-28');
    expect(day('二〇二四年6月')).toBeUndefined();
  });

  it('reads a year alone as the whole year', () => {
    expect(day('2025年')).toBe('2025-12-31');
    expect(day('2025年', 'start')).toBe('2025-01-01');
    expect(parseDateSpec('年')).toBeUndefined();
  });
});

describe('quarters and halves of a year', () => {
  it('reads 季末 of a numbered quarter as its last day, the quarter as its first or last', () => {
    expect(day('一季度末')).toBe('2024-03-31');
    expect(day('第三季度', 'start')).toBe('2024-07-01');
    expect(day('第三季度')).toBe('2024-09-30');
    expect(day('2025年第二季度末')).toBe('2025-06-30');
    expect(day('4季末')).toBe('2024-12-31');
    expect(parseDateSpec('第五季度')).toBeUndefined();
    expect(parseDateSpec('季末')).toBeUndefined();
  });

  it('reads 上半年 and 下半年 as January to June and July to December', () => {
    expect(window('上半年')).toBe('2024-01-01..2024-06-30');
    expect(window('下半年')).toBe('2024-07-01..2024-12-31');
    expect(window('2025年上半年')).toBe('2025-01-01..2025-06-30');
    expect(day('次年上半年')).toBe('2025-06-30');
    expect(day('上半年末')).toBe('2024-06-30');
  });
});

describe('windows with years', () => {
  it('reads the years in either form, the start year serving an end written without one', () => {
    expect(window('2008-01-01..2008-02-29')).toBe('2008-01-01..2008-02-29');
    expect(window('2008年1月至2月')).toBe('2008-01-01..2008-02-29');
    expect(window('2024年3月至2026年12月')).toBe('2024-03-01..2026-12-31');
    expect(window('2024至2026年')).toBe('2024-01-01..2026-12-31');
    expect(window('2024年至2026年')).toBe('2024-01-01..2026-12-31');
    expect(window('2024年12月至1月')).toBe('2024-12-01..2025-01-31');
    expect(window('次年1月至3月')).toBe('2025-01-01..2025-03-31');
    expect(window('2024年2月15日至12月31日')).toBe('2024-02-15..2024-12-31');
    expect(window('次年')).toBe('2025-01-01..2025-12-31');
  });

  it('refuses a window whose sides are not dates', () => {
    expect(parseWindowSpec('2024年3月至某时')).toBeUndefined();
    expect(parseWindowSpec('2024至2026')).toBeUndefined();
  });
});

describe('recurrences written as one text', () => {
  it('reads 每季度末 as the calendar quarters, each due on its last day', () => {
    expect(parseRecurrenceSpec('每季度末')).toEqual({
      rrule: 'FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=1',
      period: { amount: 3, unit: 'month' },
      due: { monthsAfter: 2, day: 'last' },
      aligned: true,
    });
    expect(parseRecurrenceSpec('每季末')).toEqual(parseRecurrenceSpec('每季度末'));
    expect(parseRecurrenceSpec('每月底')).toMatchObject({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', due: { monthsAfter: 0, day: 'last' } });
    expect(parseRecurrenceSpec('每半年末')).toMatchObject({ rrule: 'FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=1', due: { monthsAfter: 5, day: 'last' } });
    expect(parseRecurrenceSpec('每年底')).toMatchObject({ rrule: 'FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1', due: { monthsAfter: 11, day: 'last' } });
  });

  it('reads 每月5日前 as the report on each month, due on the 5th of the month after (每月5日前报送上月情况)', () => {
    const spec = { rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', period: { amount: 1, unit: 'month' }, due: { monthsAfter: 1, day: 5 }, aligned: true };
    expect(parseRecurrenceSpec('每月5日前')).toEqual(spec);
    expect(parseRecurrenceSpec('每月五日前')).toEqual(spec);
    expect(parseRecurrenceSpec('每月5号之前')).toEqual(spec);
  });

  it('reads 每年 with months or dekads as those months of every year, each due at the named day', () => {
    expect(parseRecurrenceSpec('每年1月中旬和7月中旬')).toEqual({
      rrule: 'FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=1',
      period: { amount: 1, unit: 'year' },
      due: { monthsAfter: 0, day: 20 },
      aligned: true,
    });
    expect(parseRecurrenceSpec('每年12月')).toMatchObject({ rrule: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=1', due: { monthsAfter: 0, day: 'last' } });
    expect(parseRecurrenceSpec('每年12月20日前')).toMatchObject({ rrule: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=1', due: { monthsAfter: 0, day: 20 } });
    expect(parseRecurrenceSpec('每年6月30日和12月31日')).toMatchObject({ rrule: 'FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=1', due: { day: 'last' } });
    expect(parseRecurrenceSpec('每年7月、1月')).toMatchObject({ rrule: 'FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=1' });
  });

  it('keeps 每季度 and 每半年 counted from the phase start, as before', () => {
    expect(parseRecurrenceSpec('每季度')).toEqual({ rrule: 'FREQ=MONTHLY;INTERVAL=3', period: { amount: 3, unit: 'month' } });
    expect(parseRecurrenceSpec('每半年')).toEqual({ rrule: 'FREQ=MONTHLY;INTERVAL=6', period: { amount: 6, unit: 'month' } });
  });

  it('says why a calendar form cannot be read', () => {
    expect(parseRecurrenceSpec('每年1月中旬和7月下旬')).toMatchObject({ problem: 'mixed-days' });
    expect(parseRecurrenceSpec('每月31日前')).toMatchObject({ problem: 'bad-day' });
    expect(parseRecurrenceSpec('每年2月30日')).toMatchObject({ problem: 'bad-day' });
    expect(parseRecurrenceSpec('每年2024年6月')).toMatchObject({ problem: 'unknown-form' });
    expect(parseRecurrenceSpec('每年上半年')).toMatchObject({ problem: 'unknown-form' });
    expect(parseRecurrenceSpec('每隔几天')).toMatchObject({ problem: 'unknown-form' });
  });
});
