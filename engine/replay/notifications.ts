import type { EpochMs } from '../kernel/time.js';

/** How often the vendor would have notified admins of one kind, and the earliest instant. */
export interface NotificationCount {
  count: number;
  first: EpochMs;
}

/**
 * The vendor's notifications as a replay counts them, by kind (`pool-80`, `pool-100`, …): each
 * kind that happened at least once, its count and its earliest instant (events come in call order,
 * not always in time order, so the earliest is kept, not the first told).
 */
export class Notifications {
  readonly byKind: Record<string, NotificationCount> = {};

  add(kind: string, at: EpochMs): void {
    const seen = this.byKind[kind];
    if (seen === undefined) this.byKind[kind] = { count: 1, first: at };
    else {
      seen.count++;
      if (at < seen.first) seen.first = at;
    }
  }
}
