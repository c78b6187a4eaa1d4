import chineseDays from 'chinese-days';

/**
 * Whether the bundled Chinese holiday calendar (chinese-days) knows a year's holidays. National Day
 * always gives weekday holidays in the first week of October, so a year with none is not covered.
 */
export function holidayCalendarCovers(year: number): boolean {
  for (let day = 1; day <= 7; day++) {
    const date = new Date(Date.UTC(year, 9, day));
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6 && chineseDays.isHoliday(date.toISOString().slice(0, 10))) return true;
  }
  return false;
}
