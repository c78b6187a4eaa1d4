import { DateTime, IANAZone } from 'luxon';
import type { DateSpec } from './date-spec.js';
import type { DurationSpec } from './duration-spec.js';

/** The default time zone of a campaign: directives are issued in China. */
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

/** Whether a time zone name is one luxon (and so the engine) can compute in. */
export function isKnownTimezone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** The calendar frame a date is read in: the campaign year, its zone and its start. */
export interface CalendarFrame {
  readonly year: number;
  readonly zone: string;
  /** The campaign start, for dates written relative to it. */
  readonly start?: DateTime;
}

/**
 * Turns a normalised date into the start of that day in the campaign's zone. Undefined when the
 * day does not exist (2月30日) or it is relative to a start the frame lacks.
 *
 * A month and day without a year is a day of the campaign year (活动年度), which runs from the
 * campaign start for twelve months: when the campaign starts in its own year and the day falls
 * before that start, it is the day of the next calendar year ("12月10日至1月5日" in a campaign that
 * starts on 10 December ends on 5 January of the following year). A campaign starting on 1 January
 * reads every month-day in its year, as before. A date with its year written out ("2024年6月底")
 * is in that year; one counted from the campaign year ("次年1月底", "第三年6月") is in the campaign
 * year plus that many, with no turn at New Year.
 */
export function resolveDate(spec: DateSpec, frame: CalendarFrame): DateTime | undefined {
  const date = resolveInYear(spec, frame);
  if (!date || spec.kind !== 'month-day' || spec.year !== undefined || spec.yearOffset !== undefined || !frame.start) return date;
  const start = frame.start.startOf('day');
  if (start.year !== frame.year || date >= start) return date;
  return resolveInYear({ ...spec, year: frame.year + 1 }, frame);
}

function resolveInYear(spec: DateSpec, frame: CalendarFrame): DateTime | undefined {
  if (spec.kind === 'from-start') {
    // luxon throws on a non-finite amount ("开始后<400 digits>天") and gives an invalid date past
    // its range: neither may reach a caller, which would store NaN as an instant.
    if (!frame.start || !Number.isSafeInteger(spec.days)) return undefined;
    const date = frame.start.plus({ days: spec.days }).startOf('day');
    return date.isValid ? date : undefined;
  }
  const year = spec.year ?? frame.year + (spec.yearOffset ?? 0);
  const first = DateTime.fromObject({ year, month: spec.month, day: 1 }, { zone: frame.zone });
  if (!first.isValid) return undefined;
  if (spec.day === 'last') {
    const last = first.endOf('month').startOf('day');
    return last.isValid ? last : undefined;
  }
  const date = DateTime.fromObject({ year, month: spec.month, day: spec.day }, { zone: frame.zone });
  return date.isValid ? date : undefined;
}

/**
 * The earliest a duration can end, counted from a day, without a holiday calendar: working days
 * take at least five weekdays per week. Used by the validator to check deadlines statically.
 */
export function earliestEnd(from: DateTime, duration: DurationSpec): DateTime {
  // luxon throws on a non-finite amount; an invalid date compares false with everything, so callers check `isValid`.
  if (!Number.isSafeInteger(duration.amount)) return DateTime.invalid('the amount is not a safe integer');
  switch (duration.unit) {
    case 'day':
      return from.plus({ days: duration.amount });
    case 'working-day':
      return from.plus({ days: Math.floor(duration.amount / 5) * 7 + (duration.amount % 5) });
    case 'week':
      return from.plus({ weeks: duration.amount });
    case 'month':
      return from.plus({ months: duration.amount });
    case 'year':
      return from.plus({ years: duration.amount });
  }
}

/** `yyyy-MM-dd`, the form dates are shown in messages. */
export function isoDay(date: DateTime): string {
  return date.toFormat('yyyy-MM-dd');
}
