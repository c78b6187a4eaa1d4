import chineseDays from 'chinese-days';
import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import rrule from 'rrule';
import {
  holidayCalendarCovers,
  parseDateSpec,
  parseRecurrenceSpec,
  parseWindowSpec,
  resolveDate,
  type DateSpec,
  type DurationSpec,
  type HolidayCalendar,
  type OccurrenceDue,
} from '@luoshi/dsl';

const { RRule } = rrule;

/** What a campaign calendar is made from. */
export interface CalendarOptions {
  readonly zone: string;
  readonly year: number;
  readonly holidays?: HolidayCalendar | undefined;
  readonly start?: number;
  /** 周期 — months a later cycle's dates are moved on (see `shifted`). */
  readonly shiftMonths?: number;
}

/** A calendar window as instants: from the start of its first day to the end of its last day. */
export interface ResolvedWindow {
  readonly start: number;
  readonly end: number;
}

/**
 * Calendar arithmetic of one campaign, in its time zone: dates of the campaign year, the end of a
 * day (deadlines fall due when their day is over), durations in calendar or Chinese working days
 * (chinese-days, plus holidays the process file or the host supplies), and RRULE occurrences.
 */
export class CampaignCalendar {
  readonly zone: string;
  readonly year: number;
  /** The zone luxon computes in: a fixed offset when the named zone keeps one over the campaign's years. */
  readonly #zone: Zone | string;
  readonly #holidays: ReadonlySet<string>;
  readonly #workdays: ReadonlySet<string>;
  readonly #covered: boolean;
  /** The campaign start, for dates written relative to it ("开始后30天"). */
  readonly start: number | undefined;

  /** 周期 — months the file's dates are moved on: a later cycle's calendar (`shifted`); 0 for the campaign's own. */
  readonly #shift: number;
  readonly #options: CalendarOptions;

  constructor(options: CalendarOptions) {
    this.#options = options;
    this.#shift = options.shiftMonths ?? 0;
    this.zone = options.zone;
    this.year = options.year;
    this.#zone = steadyZone(options.zone, options.year);
    this.start = options.start;
    this.#holidays = new Set(options.holidays?.holidays ?? []);
    this.#workdays = new Set(options.holidays?.workdays ?? []);
    this.#covered = holidayCalendarCovers(options.year);
  }

  readonly #years: { start: number; end: number; year: number }[] = [];

  /** The calendar year of an instant in the campaign's zone (cached: ladders ask on every count). */
  yearOf(ms: number): number {
    for (const y of this.#years) if (ms >= y.start && ms < y.end) return y.year;
    const year = this.dateTime(ms).year;
    const start = DateTime.fromObject({ year }, { zone: this.#zone }).toMillis();
    this.#years.push({ start, end: DateTime.fromObject({ year: year + 1 }, { zone: this.#zone }).toMillis(), year });
    return year;
  }

  dateTime(ms: number): DateTime {
    return DateTime.fromMillis(ms, { zone: this.#zone });
  }

  /**
   * The calendar of a later cycle of a cycled campaign (周期): every date of the file resolved as in
   * the first cycle, then moved `months` on, a month's last day staying the last (6月底 half a year
   * on is 12月31日, 2月29日 a year on 2月28日). Its durations and recurrences are the campaign's.
   */
  shifted(months: number): CampaignCalendar {
    return months === 0 ? this : new CampaignCalendar({ ...this.#options, shiftMonths: this.#shift + months });
  }

  /** An instant moved on by whole months in the zone, the last day of a month staying the last. */
  shiftMonths(ms: number, months: number): number {
    if (months === 0) return ms;
    const at = this.dateTime(ms);
    const day = at.startOf('day');
    const moved = at.plus({ months });
    // Only a day's start is a date of the file; another instant (an end of day) is the next day's start.
    if (+day !== ms || day.day !== day.endOf('month').day) return moved.toMillis();
    return moved.endOf('month').startOf('day').toMillis();
  }

  /** The start of a normalised date's day, in ms. */
  dayStart(spec: DateSpec): number | undefined {
    const start = this.start === undefined ? undefined : this.dateTime(this.start);
    const date = resolveDate(spec, { year: this.year, zone: this.zone, ...(start ? { start } : {}) });
    return date === undefined ? undefined : this.shiftMonths(date.toMillis(), this.#shift);
  }

  /** The instant a date written in the file is over: the start of the next day. */
  endOfDay(text: string): number | undefined {
    const spec = parseDateSpec(text, 'end');
    const start = spec && this.dayStart(spec);
    return start === undefined ? undefined : this.dateTime(start).plus({ days: 1 }).toMillis();
  }

  /**
   * The instant a month-day written in the file is over, taken on or after `from` (its day in the
   * year of `from`, else the next year): a recurring duty's `due: 12月20日` in each occurrence's year.
   * A date with its own year is that date. Undefined when the text is not a date.
   */
  endOfDayFrom(text: string, from: number): number | undefined {
    const spec = parseDateSpec(text, 'end');
    if (!spec || spec.kind !== 'month-day') return undefined;
    const start = this.dateTime(from);
    const day = resolveDate(spec, { year: start.year, zone: this.zone, start });
    return day && this.dateTime(day.toMillis()).plus({ days: 1 }).toMillis();
  }

  /**
   * The later yearly dates of a month-day without a year (年底, 12月20日): the instant `first` (the
   * end of its first day) a year, two years… on, up to `end`. Empty for any other date: a date
   * with its year, or relative to the start, happens once.
   */
  laterYears(text: string, first: number, end: number): number[] {
    const spec = parseDateSpec(text, 'end');
    // 次年1月底 is one day too: the year after the campaign year, not after each year.
    if (!spec || spec.kind !== 'month-day' || spec.year !== undefined || spec.yearOffset !== undefined) return [];
    const out: number[] = [];
    const day = this.dateTime(first).minus({ days: 1 });
    for (let k = 1; k <= MAX_YEARS; k++) {
      // The month's last day stays the last (2月29日 of a leap year is 2月28日 in the next).
      const next = (spec.day === 'last' ? day.plus({ years: k }).endOf('month').startOf('day') : day.plus({ years: k })).plus({ days: 1 }).toMillis();
      if (next > end) break;
      out.push(next);
    }
    return out;
  }

  /**
   * The campaign periods (活动年度) from `start` to `end`: `start`, then each anniversary of it
   * before `end` (at most 100). Anniversaries of 29 February fall on 28 February.
   */
  anniversaries(start: number, end: number): number[] {
    const first = this.dateTime(start);
    const out = [start];
    for (let k = 1; k < MAX_YEARS; k++) {
      const next = first.plus({ years: k }).toMillis();
      if (next >= end) break;
      out.push(next);
    }
    return out;
  }

  /** The start of a date written in the file. */
  startOfDay(text: string): number | undefined {
    const spec = parseDateSpec(text, 'start');
    return spec && this.dayStart(spec);
  }

  window(text: string): ResolvedWindow | undefined {
    const spec = parseWindowSpec(text);
    if (!spec) return undefined;
    const start = this.dayStart(spec.start);
    const lastDay = this.dayStart(spec.end);
    if (start === undefined || lastDay === undefined) return undefined;
    return { start, end: this.dateTime(lastDay).plus({ days: 1 }).toMillis() };
  }

  /** Whether a day is a working day on the Chinese calendar (weekends, holidays and 调休). */
  isWorkingDay(day: DateTime): boolean {
    const iso = day.toFormat('yyyy-MM-dd');
    if (this.#holidays.has(iso)) return false;
    if (this.#workdays.has(iso)) return true;
    if (this.#covered || holidayCalendarCovers(day.year)) return chineseDays.isWorkday(iso);
    return day.weekday <= 5;
  }

  /**
   * The instant a duration counted from `from` is over. Working days count whole working days
   * after the day of `from`; the deadline is the end of the last one.
   */
  addDuration(from: number, duration: DurationSpec): number {
    // The answer depends on the day of `from` only; in a fixed offset that day is arithmetic, and a
    // simulated year asks the same few questions (a deadline, a rectification window) again and again.
    const offset = this.#zone instanceof FixedOffsetZone ? this.#zone.offset(from) * 60_000 : undefined;
    const key = offset === undefined ? undefined : `${Math.floor((from + offset) / 86_400_000)}|${duration.amount}|${duration.unit}`;
    const known = key === undefined ? undefined : this.#sums.get(key);
    if (known !== undefined) return known;
    const sum = this.#addDuration(from, duration);
    if (key !== undefined) {
      if (this.#sums.size >= MEMO_LIMIT) this.#sums.clear();
      this.#sums.set(key, sum);
    }
    return sum;
  }

  readonly #sums = new Map<string, number>();

  #addDuration(from: number, duration: DurationSpec): number {
    const start = this.dateTime(from);
    switch (duration.unit) {
      case 'day':
        return start.startOf('day').plus({ days: duration.amount + 1 }).toMillis();
      case 'week':
        return start.startOf('day').plus({ weeks: duration.amount, days: 1 }).toMillis();
      case 'month':
        return start.startOf('day').plus({ months: duration.amount, days: 1 }).toMillis();
      case 'year':
        return start.startOf('day').plus({ years: duration.amount, days: 1 }).toMillis();
      case 'working-day': {
        let day = start.startOf('day');
        let left = duration.amount;
        while (left > 0) {
          day = day.plus({ days: 1 });
          if (this.isWorkingDay(day)) left--;
        }
        return day.plus({ days: 1 }).toMillis();
      }
    }
  }

  /**
   * The instant a span of `duration` that begins with the day starting at `dayStart` is over: an
   * occurrence of a recurring duty starts at the start of its first day, which is wholly its own, so
   * "5天" from 1 March is 1–5 March, over when 5 March is (6 March 00:00), and "5个工作日" counts
   * that day when it is a working day. (`addDuration` counts from an event inside a day, which is
   * not counted: 期限 from the next day.)
   */
  spanFrom(dayStart: number, duration: DurationSpec): number {
    const start = this.dateTime(dayStart).startOf('day');
    switch (duration.unit) {
      case 'day':
        return start.plus({ days: duration.amount }).toMillis();
      case 'week':
        return start.plus({ weeks: duration.amount }).toMillis();
      case 'month':
        return start.plus({ months: duration.amount }).toMillis();
      case 'year':
        return start.plus({ years: duration.amount }).toMillis();
      case 'working-day':
        return this.addDuration(start.minus({ days: 1 }).toMillis(), duration);
    }
  }

  /** Subtracts a duration (for reminders before a deadline). */
  subtractDuration(from: number, duration: DurationSpec): number {
    // Reminders are counted back from deadlines, which are few instants: remembered by instant and duration.
    const key = `${from}|${duration.amount}|${duration.unit}`;
    const known = this.#differences.get(key);
    if (known !== undefined) return known;
    const difference = this.#subtractDuration(from, duration);
    if (this.#differences.size >= MEMO_LIMIT) this.#differences.clear();
    this.#differences.set(key, difference);
    return difference;
  }

  readonly #differences = new Map<string, number>();

  #subtractDuration(from: number, duration: DurationSpec): number {
    const end = this.dateTime(from);
    if (duration.unit === 'working-day') {
      let day = end.startOf('day');
      let left = duration.amount;
      while (left > 0) {
        day = day.minus({ days: 1 });
        if (this.isWorkingDay(day)) left--;
      }
      return day.toMillis();
    }
    const unit = duration.unit === 'day' ? 'days' : duration.unit === 'week' ? 'weeks' : duration.unit === 'month' ? 'months' : 'years';
    return end.minus({ [unit]: duration.amount }).toMillis();
  }

  /**
   * Occurrence starts of a recurrence inside [from, until), each the start of a day in the zone.
   * The rule is evaluated by rrule on floating dates, then placed in the campaign's zone.
   */
  occurrences(every: string, from: number, until: number): number[] {
    const spec = parseRecurrenceSpec(every);
    if ('error' in spec) return [];
    return this.#ruleDays(spec.rrule, this.dateTime(from), until).filter((ms) => ms >= from && ms < until);
  }

  /**
   * The occurrences of a calendar form (每季度末, 每月5日前, 每年1月中旬和7月中旬) inside [from, until)
   * with the deadline of each, or undefined for a recurrence without a deadline rule of its own.
   * Its occurrences are calendar periods: a period that began before `from` and is still running
   * then is an occurrence from `from`, when its deadline is after `from` (a phase starting on
   * 15 February has the first quarter, due 31 March; one starting on 3 February has no report on
   * January, due 5 February).
   */
  calendarOccurrences(every: string, from: number, until: number): { starts: number[]; dues: number[] } | undefined {
    const spec = parseRecurrenceSpec(every);
    if ('error' in spec || !spec.due || !spec.aligned) return undefined;
    // Periods start at most a year apart: a year before `from` holds the period running at `from`.
    const days = this.#ruleDays(spec.rrule, this.dateTime(from).minus({ years: 1 }), until);
    const starts: number[] = [];
    const dues: number[] = [];
    days.forEach((day, i) => {
      if (day >= until) return;
      const next = days[i + 1];
      const due = this.#dueAfter(day, spec.due as OccurrenceDue);
      if (day >= from) {
        starts.push(day);
        dues.push(due);
      } else if ((next === undefined || next > from) && due > from) {
        starts.push(from);
        dues.push(due);
      }
    });
    return { starts, dues };
  }

  /** The end of the due day of an occurrence starting on `day`: day `due.day` of the month `due.monthsAfter` months on. */
  #dueAfter(day: number, due: OccurrenceDue): number {
    const month = this.dateTime(day).startOf('month').plus({ months: due.monthsAfter });
    const last = month.endOf('month').startOf('day');
    const dueDay = due.day === 'last' || due.day > last.day ? last : month.set({ day: due.day });
    return dueDay.plus({ days: 1 }).toMillis();
  }

  /** The days of a rule from `first` until `until`, each the start of a day in the zone (at most 1000). */
  #ruleDays(rule: string, first: DateTime, until: number): number[] {
    const options = RRule.parseString(rule);
    const rrule = new RRule({
      ...options,
      dtstart: new Date(Date.UTC(first.year, first.month - 1, first.day)),
      until: new Date(until - 1 + this.dateTime(until).offset * 60_000),
    });
    return rrule
      .all((_, i) => i < 1000)
      .map((d) => DateTime.fromObject({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, { zone: this.#zone }).toMillis());
  }
}

/** Years a yearly date recurs at most (a standing mechanism's end is far off; its plan stays small). */
const MAX_YEARS = 100;

/** Entries a calendar remembers per kind of sum before it starts again. */
const MEMO_LIMIT = 10_000;

/** Hours between the offset samples of `steadyZone`: no daylight-saving period is this short. */
const SAMPLE_HOURS = 24;

/**
 * The zone to compute in: the named zone itself, or an equal fixed offset when the zone keeps one
 * offset from the year before the campaign to the year after it (Asia/Shanghai has since 1991).
 * Luxon finds a named zone's offset through Intl on every date it makes, and a simulated year
 * makes one per deadline, reminder and ladder count; a fixed offset is arithmetic. A zone with
 * daylight saving, or an unknown one, stays named and behaves exactly as before.
 */
function steadyZone(name: string, year: number): Zone | string {
  const zone = IANAZone.create(name);
  if (!zone.isValid) return name;
  let years = steadyByZone.get(zone);
  if (years === undefined) steadyByZone.set(zone, (years = new Map()));
  let found = years.get(year);
  if (found === undefined) {
    if (years.size >= YEARS_PER_ZONE) years.clear();
    years.set(year, (found = fixedOffsetOf(zone, year)));
  }
  return found ?? name;
}

/**
 * Per zone, year → what `steadyZone` decided (稳定时区; null: the zone stays named), kept by luxon's
 * zone object: deciding samples the zone's offset daily over three years (about 5 ms for
 * Asia/Shanghai), and a campaign's calendar is made on every compile. Luxon makes one object per
 * zone name and keeps it, so the answer is found again, and it lives exactly as long as its zone.
 */
const steadyByZone = new WeakMap<IANAZone, Map<number, FixedOffsetZone | null>>();

/** Years remembered per zone before its entries start again: a campaign year is one of a few, and the year comes from a process file. */
const YEARS_PER_ZONE = 64;

/** The fixed offset equal to `zone` over the year before `year` to the year after it, or null when its offset changes. */
function fixedOffsetOf(zone: IANAZone, year: number): FixedOffsetZone | null {
  const from = Date.UTC(year - 1, 0, 1);
  const until = Date.UTC(year + 2, 0, 1);
  const offset = zone.offset(from);
  for (let t = from; t <= until; t += SAMPLE_HOURS * 3_600_000) if (zone.offset(t) !== offset) return null;
  return FixedOffsetZone.instance(offset);
}
