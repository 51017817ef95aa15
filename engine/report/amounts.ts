import { formatMicros, formatMicrosPlain } from '../kernel/money.js';
import { formatInstant, type EpochMs } from '../kernel/time.js';
import type { Notifications } from '../model/events.js';

/** Formatting shared by every writer: amounts in the currency's minor digits, instants in ISO 8601. */
export function amountFormatter(minorDigits: number): (micros: number) => string {
  return (micros) => formatMicros(micros, minorDigits);
}

/** An amount that may carry more decimals than the currency (a recorded charge): never rounded for show. */
export function amountAtLeastMinor(minorDigits: number): (micros: number) => string {
  const unit = 10 ** (6 - minorDigits);
  return (micros) => (micros % unit === 0 ? formatMicros(micros, minorDigits) : formatMicrosPlain(micros));
}

export function instantOrNull(at: EpochMs | null): string | null {
  return at === null ? null : formatInstant(at);
}

/** Notifications by the instant each kind first happened (ties by kind): one order for every report. */
export function notificationsInOrder(notifications: Notifications): [string, { count: number; firstAt: EpochMs }][] {
  return [...notifications].sort(([kindA, a], [kindB, b]) => a.firstAt - b.firstAt || (kindA < kindB ? -1 : kindA > kindB ? 1 : 0));
}
