/** Calendar arithmetic on epoch milliseconds without a Date: shared by ingest, pools, replay and forecasts. */

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export function monthLength(year: number, month: number): number {
  if (month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return 29;
  return MONTH_DAYS[month - 1] as number;
}

/** Calendar month of an instant at a UTC offset as year * 12 + (month - 1), without a Date. */
export function monthIndexOf(atMs: number, offsetMinutes: number): number {
  const days = Math.floor((atMs + offsetMinutes * 60_000) / 86_400_000);
  // H. Hinnant's civil_from_days, year and month only.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return year * 12 + month - 1;
}

export function monthLabel(monthIndex: number): string {
  const year = Math.floor(monthIndex / 12);
  return `${year}-${String(monthIndex - year * 12 + 1).padStart(2, '0')}`;
}

/**
 * monthIndexOf for instants that mostly arrive in time order: the month found last is remembered
 * with its bounds, so a run of calls in one month costs two comparisons each.
 */
export class MonthFinder {
  private low = Infinity;
  private high = -Infinity;
  private index = 0;

  constructor(private readonly offsetMinutes: number) {}

  indexOf(atMs: number): number {
    if (atMs >= this.low && atMs < this.high) return this.index;
    const index = monthIndexOf(atMs, this.offsetMinutes);
    const year = Math.floor(index / 12);
    const month = index - year * 12 + 1;
    const offsetMs = this.offsetMinutes * 60_000;
    this.low = daysFromCivil(year, month, 1) * 86_400_000 - offsetMs;
    this.high = (month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1)) * 86_400_000 - offsetMs;
    this.index = index;
    return index;
  }
}
