import type { PoolRounding } from '../model/scenario.js';
import type { EpochMs } from '../kernel/time.js';
import type { Allowance } from '../model/allowances.js';
import type { PoolSide } from '../model/route.js';
import type { PoolNotice } from '../model/events.js';
import { monthLabel } from '../kernel/calendar.js';
import { unpackCountry } from '../columns/call-columns.js';
import type { LicenceSchedule } from './licensed-users.js';

const SIDES: readonly PoolSide[] = ['domestic', 'international', 'conference'];

interface SideState {
  minutes: number;
  remainingSeconds: number;
  drawnSeconds: number;
  exhaustedAt: EpochMs | null;
  /** Whether pool-80 and pool-100 were raised for this pool and month (once each). */
  noticed80: boolean;
  noticed100: boolean;
}

/** Told when a pool reaches 80% or 100% of its minutes, and where. */
export type PoolNoticeSink = (notice: PoolNotice, at: EpochMs, address: PoolAddress) => void;

/** One plan's allowance in one month (for one user, for per-user plans). */
interface PlanState {
  allowance: Allowance;
  country: number;
  monthIndex: number;
  users: number;
  sides: (SideState | undefined)[];
  /** When any side ran out: from then on the whole plan is used up ("whichever is reached first"), until licences are added. */
  cappedAt: EpochMs | null;
  /** Licences added within the month, in time order, and how many have been. */
  later: LicenceSchedule['later'];
  added: number;
}

export interface PoolReport {
  capability: string;
  country: string;
  month: string;
  kind: PoolSide;
  users: number;
  minutes: number;
  used: number;
  usedSeconds: number;
  exhaustedAt: EpochMs | null;
}

/** Which pool a call draws on: a plan's side, in a pool country (packed; 0 = tenant-wide), in a month. */
export interface PoolAddress {
  allowance: Allowance;
  side: number;
  country: number;
  monthIndex: number;
  user: number;
}

/** The pool's name in the explain file: capability/country/month/side[/user]. */
export function poolLabel(address: PoolAddress, userName: string): string {
  const country = address.country === 0 ? '*' : unpackCountry(address.country);
  const user = address.allowance.kind === 'calling_plan_per_user' ? `/${userName}` : '';
  return `${address.allowance.capability}/${country}/${monthLabel(address.monthIndex)}/${SIDES[address.side]}${user}`;
}

/**
 * Calling-plan and conferencing minute pools (RULES.md §3). Whole minutes per call, rounded up
 * (or seconds, as a setting); a call that empties a pool keeps what it covered and the rest goes on.
 * Pools are found by number, not by a string key, since every pool call looks one up.
 */
export class PoolBook {
  private readonly plans = new Map<number, PlanState>();
  private readonly perUserPlans = new Map<number, Map<number, PlanState>>();

  constructor(
    private readonly licensedUsers: (allowance: Allowance, country: number, monthIndex: number) => LicenceSchedule,
    private readonly rounding: PoolRounding,
    private readonly onNotice: PoolNoticeSink | null = null,
  ) {}

  /** Seconds of a call of `durationSeconds` starting at `startAt` the pool would cover, without drawing. */
  peek(address: PoolAddress, startAt: EpochMs, durationSeconds: number): number {
    const plan = this.planOf(address);
    if (plan.added < plan.later.length) addLicences(plan, startAt);
    return this.cover(this.sideOf(plan, address.side), plan, durationSeconds);
  }

  /** Draws the call's minutes; returns the seconds the pool covered. */
  draw(address: PoolAddress, startAt: EpochMs, durationSeconds: number): number {
    const plan = this.planOf(address);
    if (plan.added < plan.later.length) addLicences(plan, startAt);
    const side = this.sideOf(plan, address.side);
    const poolSeconds = this.cover(side, plan, durationSeconds);
    const drawSeconds = this.drawSeconds;
    side.remainingSeconds -= drawSeconds;
    side.drawnSeconds += drawSeconds;
    if (side.remainingSeconds === 0 && durationSeconds > 0 && plan.cappedAt === null) {
      plan.cappedAt = startAt + poolSeconds * 1000;
      // The first time it ran out is the report's; licences added later may open it again.
      side.exhaustedAt ??= plan.cappedAt;
    }
    if (this.onNotice !== null && drawSeconds > 0) this.notice(side, address, startAt, poolSeconds, side.drawnSeconds - drawSeconds);
    return poolSeconds;
  }

  /**
   * pool-80 and pool-100 (DOMAIN §2), once each per pool and month: dated where, within this call,
   * the pool's drawn seconds reach the share, at most where the call's pool part ends (a call
   * rounded up to whole minutes draws more than it lasts). A pool of no minutes raises neither.
   */
  private notice(side: SideState, address: PoolAddress, startAt: EpochMs, poolSeconds: number, drawnBefore: number): void {
    const sizeSeconds = side.minutes * 60;
    if (sizeSeconds === 0) return;
    const at = (share: number) => startAt + Math.min(Math.max(share - drawnBefore, 0), poolSeconds) * 1000;
    // 80% of a whole number of minutes is a whole number of seconds (48 a minute).
    const eighty = side.minutes * 48;
    if (!side.noticed80 && side.drawnSeconds >= eighty) {
      side.noticed80 = true;
      (this.onNotice as PoolNoticeSink)('pool-80', at(eighty), address);
    }
    if (!side.noticed100 && side.drawnSeconds >= sizeSeconds) {
      side.noticed100 = true;
      (this.onNotice as PoolNoticeSink)('pool-100', at(sizeSeconds), address);
    }
  }

  /** Per (capability, country, month, side), per-user pools summed over their users. */
  report(): PoolReport[] {
    const rows = new Map<string, PoolReport>();
    const plans = [...this.plans.values(), ...[...this.perUserPlans.values()].flatMap((byUser) => [...byUser.values()])];
    for (const plan of plans) {
      plan.sides.forEach((side, sideIndex) => {
        if (side === undefined) return;
        const kind = SIDES[sideIndex] as PoolSide;
        const country = plan.country === 0 ? '*' : unpackCountry(plan.country);
        const month = monthLabel(plan.monthIndex);
        const key = `${plan.allowance.capability}|${country}|${month}|${kind}`;
        const row = rows.get(key) ?? { capability: plan.allowance.capability, country, month, kind, users: 0, minutes: 0, used: 0, usedSeconds: 0, exhaustedAt: null };
        row.users += plan.users;
        row.minutes += side.minutes;
        row.usedSeconds += side.drawnSeconds;
        row.used = row.usedSeconds / 60;
        const exhaustedAt = side.exhaustedAt ?? plan.cappedAt;
        if (exhaustedAt !== null && (row.exhaustedAt === null || exhaustedAt < row.exhaustedAt)) row.exhaustedAt = exhaustedAt;
        rows.set(key, row);
      });
    }
    return [...rows.values()].sort(
      (a, b) => a.month.localeCompare(b.month) || a.capability.localeCompare(b.capability) || a.country.localeCompare(b.country) || a.kind.localeCompare(b.kind),
    );
  }

  /** What `cover` would take from the pool for the call it last looked at. */
  private drawSeconds = 0;

  /**
   * Seconds of the call the pool covers, and (in `drawSeconds`) what that takes from it. Not an
   * object returned: every pool call passes here twice, and that was a collection every few ms.
   */
  private cover(side: SideState, plan: PlanState, durationSeconds: number): number {
    const available = plan.cappedAt === null ? side.remainingSeconds : 0;
    const wanted = this.rounding === 'minute' ? Math.ceil(durationSeconds / 60) * 60 : durationSeconds;
    if (wanted <= available) {
      this.drawSeconds = wanted;
      return durationSeconds;
    }
    this.drawSeconds = available;
    return Math.min(available, durationSeconds);
  }

  // A call is peeked at, then drawn: the plan found for the one is kept for the other.
  private lastKey = -1;
  private lastUser = -1;
  private lastPlan: PlanState | undefined;

  private planOf(address: PoolAddress): PlanState {
    const key = (address.allowance.index * 65_536 + address.country) * 65_536 + (address.monthIndex & 0xffff);
    if (key === this.lastKey && address.user === this.lastUser && this.lastPlan !== undefined) return this.lastPlan;
    this.lastKey = key;
    this.lastUser = address.user;
    return (this.lastPlan = this.findPlan(key, address));
  }

  private findPlan(key: number, address: PoolAddress): PlanState {
    if (address.allowance.kind !== 'calling_plan_per_user') {
      let plan = this.plans.get(key);
      if (plan === undefined) this.plans.set(key, (plan = this.newPlan(address, this.licensedUsers(address.allowance, address.country, address.monthIndex))));
      return plan;
    }
    let byUser = this.perUserPlans.get(key);
    if (byUser === undefined) this.perUserPlans.set(key, (byUser = new Map()));
    let plan = byUser.get(address.user);
    if (plan === undefined) byUser.set(address.user, (plan = this.newPlan(address, { users: 1, later: [] })));
    return plan;
  }

  private newPlan(address: PoolAddress, licences: LicenceSchedule): PlanState {
    return { allowance: address.allowance, country: address.country, monthIndex: address.monthIndex, users: licences.users, sides: [], cappedAt: null, later: licences.later, added: 0 };
  }

  private sideOf(plan: PlanState, sideIndex: number): SideState {
    let side = plan.sides[sideIndex];
    if (side === undefined) {
      const perUser = sideIndex === 1 ? plan.allowance.internationalMinutes : plan.allowance.minutes;
      const minutes = perUser * plan.users;
      side = { minutes, remainingSeconds: minutes * 60, drawnSeconds: 0, exhaustedAt: null, noticed80: false, noticed100: false };
      plan.sides[sideIndex] = side;
    }
    return side;
  }
}

/**
 * Licences that start within the month and by `at`: each adds its full monthly minutes to the
 * plan's sides from its instant (DOMAIN §2), and a plan capped for want of minutes is open again
 * once every side has some.
 */
function addLicences(plan: PlanState, at: EpochMs): void {
  while (plan.added < plan.later.length && (plan.later[plan.added] as LicenceSchedule['later'][number]).at <= at) {
    const users = (plan.later[plan.added++] as LicenceSchedule['later'][number]).users;
    plan.users += users;
    plan.sides.forEach((side, sideIndex) => {
      if (side === undefined) return;
      const minutes = (sideIndex === 1 ? plan.allowance.internationalMinutes : plan.allowance.minutes) * users;
      side.minutes += minutes;
      side.remainingSeconds += minutes * 60;
    });
  }
  if (plan.cappedAt !== null && plan.sides.every((side) => side === undefined || side.remainingSeconds > 0)) plan.cappedAt = null;
}
