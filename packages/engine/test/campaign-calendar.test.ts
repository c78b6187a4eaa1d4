import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { CampaignCalendar } from '../src/calendar/campaign-calendar.js';

const zone = 'Asia/Shanghai';
const at = (iso: string) => DateTime.fromISO(iso, { zone }).toMillis();
const show = (ms: number | undefined) => (ms === undefined ? undefined : DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm"));

describe('given the calendar of a 2010 campaign in Asia/Shanghai', () => {
  const calendar = new CampaignCalendar({ zone, year: 2010 });

  it('when a deadline day is written, then it falls due when that day is over', () => {
    expect(show(calendar.endOfDay('10月18日前'))).toBe('2010-10-19T00:00');
    expect(show(calendar.endOfDay('年底'))).toBe('2011-01-01T00:00');
    expect(calendar.endOfDay('2月30日')).toBeUndefined();
  });

  it('when a window is written, then it runs from the start of its first day to the end of its last', () => {
    const window = calendar.window('4月至5月');
    expect([show(window?.start), show(window?.end)]).toEqual(['2010-04-01T00:00', '2010-06-01T00:00']);
  });

  it('when working days are counted across National Day, then holidays are skipped and make-up Saturdays count', () => {
    // 2010: 10月1日–7日 holidays; Saturday 10月9日 was a make-up working day (调休).
    expect(show(calendar.addDuration(at('2010-09-30T10:00'), { amount: 5, unit: 'working-day' }))).toBe('2010-10-14T00:00');
    expect(calendar.isWorkingDay(DateTime.fromISO('2010-10-09', { zone }))).toBe(true);
    expect(calendar.isWorkingDay(DateTime.fromISO('2010-10-04', { zone }))).toBe(false);
  });

  it('when calendar days are counted, then the deadline is the end of the last day', () => {
    expect(show(calendar.addDuration(at('2010-06-10T15:00'), { amount: 30, unit: 'day' }))).toBe('2010-07-11T00:00');
    expect(show(calendar.addDuration(at('2010-01-31T09:00'), { amount: 1, unit: 'month' }))).toBe('2010-03-01T00:00');
  });

  it('when a span begins with a day (an occurrence of a recurring duty, dueWithin), then that day is its first and counts', () => {
    // 5天 from 1 March: 1–5 March, over when 5 March is.
    expect(show(calendar.spanFrom(at('2010-03-01T00:00'), { amount: 5, unit: 'day' }))).toBe('2010-03-06T00:00');
    // 3个月 from 1 October: October to December, over at the end of 31 December.
    expect(show(calendar.spanFrom(at('2010-10-01T00:00'), { amount: 3, unit: 'month' }))).toBe('2011-01-01T00:00');
    // 5个工作日 from Friday 5 March 2010: Friday 5, Monday 8 to Thursday 11 March.
    expect(show(calendar.spanFrom(at('2010-03-05T00:00'), { amount: 5, unit: 'working-day' }))).toBe('2010-03-12T00:00');
    // From Saturday 6 March the Saturday is no working day: Monday 8 to Friday 12 March.
    expect(show(calendar.spanFrom(at('2010-03-06T00:00'), { amount: 5, unit: 'working-day' }))).toBe('2010-03-13T00:00');
  });

  it('when a reminder is set working days before a deadline, then it is counted back over working days', () => {
    // Deadline at the end of 6月30日 (a Wednesday): three working days back is the start of Monday 6月28日.
    expect(show(calendar.subtractDuration(at('2010-07-01T00:00'), { amount: 3, unit: 'working-day' }))).toBe('2010-06-28T00:00');
  });

  it('when a recurrence is expanded over a window, then each occurrence starts a day in the zone', () => {
    const window = calendar.window('6月至11月');
    if (!window) throw new Error('window');
    expect(calendar.occurrences('每月', window.start, window.end).map(show)).toEqual([
      '2010-06-01T00:00',
      '2010-07-01T00:00',
      '2010-08-01T00:00',
      '2010-09-01T00:00',
      '2010-10-01T00:00',
      '2010-11-01T00:00',
    ]);
    expect(calendar.occurrences('每季度', window.start, window.end).map(show)).toEqual(['2010-06-01T00:00', '2010-09-01T00:00']);
    expect(calendar.occurrences('FREQ=MONTHLY;BYMONTHDAY=-1', window.start, window.end).map(show)[0]).toBe('2010-06-30T00:00');
    expect(calendar.occurrences('FREQ=NEVER', window.start, window.end)).toEqual([]);
  });
});

describe('given a year the bundled holiday data does not cover', () => {
  it('when the process supplies holidays and make-up days, then they are used, and weekdays otherwise', () => {
    const calendar = new CampaignCalendar({ zone, year: 2031, holidays: { holidays: ['2031-10-01', '2031-10-02'], workdays: ['2031-09-28'] } });
    expect(calendar.isWorkingDay(DateTime.fromISO('2031-10-01', { zone }))).toBe(false);
    expect(calendar.isWorkingDay(DateTime.fromISO('2031-09-28', { zone }))).toBe(true);
    expect(calendar.isWorkingDay(DateTime.fromISO('2031-10-03', { zone }))).toBe(true);
    expect(calendar.isWorkingDay(DateTime.fromISO('2031-10-04', { zone }))).toBe(false);
  });
});

describe('given a campaign start', () => {
  it('when a date is written relative to it, then it is counted from that start', () => {
    const calendar = new CampaignCalendar({ zone, year: 2010, start: at('2010-04-01T00:00') });
    expect(show(calendar.endOfDay('开始后30天'))).toBe('2010-05-02T00:00');
    expect(new CampaignCalendar({ zone, year: 2010 }).endOfDay('start+30d')).toBeUndefined();
  });
});

describe('yearOf', () => {
  it('gives the year in the campaign zone, not in UTC, on both sides of midnight', () => {
    const calendar = new CampaignCalendar({ zone: 'Asia/Shanghai', year: 2010 });
    expect(calendar.yearOf(Date.parse('2010-12-31T23:59:59+08:00'))).toBe(2010);
    expect(calendar.yearOf(Date.parse('2011-01-01T00:00:00+08:00'))).toBe(2011);
    // 2010-12-31T16:30Z is already 2011 in Shanghai; asked again, the cached answer holds.
    expect(calendar.yearOf(Date.parse('2010-12-31T16:30:00Z'))).toBe(2011);
    expect(calendar.yearOf(Date.parse('2010-06-01T00:00:00+08:00'))).toBe(2010);
  });
});

describe('zones with and without daylight saving', () => {
  it('counts days across a daylight-saving change in the named zone (a day of 23 hours stays one day)', () => {
    const berlin = 'Europe/Berlin';
    const calendar = new CampaignCalendar({ zone: berlin, year: 2026 });
    // Clocks go forward on 2026-03-29: the deadline is still the end of the 5th day, at local midnight.
    const from = DateTime.fromISO('2026-03-27T10:00', { zone: berlin }).toMillis();
    const due = DateTime.fromMillis(calendar.addDuration(from, { amount: 5, unit: 'day' }), { zone: berlin });
    expect(due.toFormat("yyyy-MM-dd'T'HH:mm")).toBe('2026-04-02T00:00');
    // Summer time: UTC+2 after the change, UTC+1 before it.
    expect(due.offset).toBe(120);
    expect(calendar.dateTime(from).offset).toBe(60);
  });

  it('gives in a zone without daylight saving exactly what luxon gives in the named zone', () => {
    const calendar = new CampaignCalendar({ zone, year: 2010 });
    for (let day = 0; day < 365; day += 7) {
      const from = DateTime.fromISO('2010-01-01T09:30', { zone }).plus({ days: day });
      const named = from.startOf('day').plus({ days: 4 }).toMillis();
      expect(calendar.addDuration(from.toMillis(), { amount: 3, unit: 'day' })).toBe(named);
      expect(calendar.subtractDuration(from.toMillis(), { amount: 1, unit: 'month' })).toBe(from.minus({ months: 1 }).toMillis());
      expect(calendar.dateTime(from.toMillis()).toISO()).toBe(from.toISO());
    }
  });
});

describe('the zone a calendar computes in, decided once per zone and year', () => {
  it('when calendars are made again for the same zone and year, then each computes in the same kind of zone', () => {
    // The decision is kept by luxon's zone object, one per name (an assumption a luxon upgrade could break).
    expect(IANAZone.create(zone)).toBe(IANAZone.create(zone));
    for (let round = 0; round < 2; round++) {
      const steady = new CampaignCalendar({ zone, year: 2010 });
      expect(steady.dateTime(at('2010-07-01T12:00')).zone.type).toBe('fixed');
      const berlin = new CampaignCalendar({ zone: 'Europe/Berlin', year: 2026 });
      expect(berlin.dateTime(Date.parse('2026-07-01T12:00:00Z')).zone.type).toBe('iana');
      expect(berlin.dateTime(Date.parse('2026-07-01T12:00:00Z')).offset).toBe(120);
    }
  });
});

describe('sums asked again', () => {
  it('when durations are counted from both sides of a local midnight, then each side keeps its own day (UTC is eight hours behind)', () => {
    const calendar = new CampaignCalendar({ zone, year: 2010 });
    const three = { amount: 3, unit: 'day' } as const;
    // 23:30 and 00:30 Shanghai fall on the same UTC day, but on two local days.
    const late = at('2010-05-03T23:30');
    const early = at('2010-05-04T00:30');
    for (let round = 0; round < 2; round++) {
      expect(show(calendar.addDuration(late, three))).toBe('2010-05-07T00:00');
      expect(show(calendar.addDuration(early, three))).toBe('2010-05-08T00:00');
      expect(show(calendar.addDuration(at('2010-05-04T12:00'), three))).toBe('2010-05-08T00:00');
      expect(show(calendar.subtractDuration(at('2010-05-08T00:00'), { amount: 2, unit: 'working-day' }))).toBe('2010-05-06T00:00');
      expect(show(calendar.subtractDuration(at('2010-05-08T12:00'), { amount: 1, unit: 'day' }))).toBe('2010-05-07T12:00');
    }
  });
});
