import type { EpochMs } from '../time.js';
import type { Allowance } from './allowances.js';
import type { PoolSide } from '../replay/classify.js';

export type PoolRounding = 'minute' | 'second';

/** Which pool a call draws on: plans are pooled per (capability, country, month), or per user. */
export interface PoolAddress {
  allowance: Allowance;
  side: PoolSide;
  /** Pool country (PR folded into US), or "*" for the tenant-wide conferencing pool. */
  country: string;
  month: string;
  upn: string;
}

interface SideState {
  minutes: number;
  remainingSeconds: number;
  drawnSeconds: number;
  exhaustedAt: EpochMs | null;
}

/** One plan's allowance in one month: a domestic (or conference) side and an optional international one. */
interface PlanState {
  capability: string;
  country: string;
  month: string;
  users: number;
  sides: Map<PoolSide, SideState>;
  /** When any side ran out: from then on the whole plan is used up ("whichever is reached first"). */
  cappedAt: EpochMs | null;
}

export interface PoolDraw {
  poolSeconds: number;
  creditSeconds: number;
  /** Key of the pool drawn on, for the explain file. */
  poolLabel: string;
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

/**
 * Calling-plan and conferencing minute pools (DOMAIN.md §2-3). Whole minutes per call, rounded up
 * (or seconds, as a setting); a call that empties a pool keeps what it covered and the rest goes on.
 */
export class PoolBook {
  private readonly plans = new Map<string, PlanState>();

  constructor(
    private readonly licensedUsers: (capability: string, country: string, month: string) => number,
    private readonly rounding: PoolRounding,
  ) {}

  /** Seconds of a call of `durationSeconds` the pool would cover now, without drawing. */
  peek(address: PoolAddress, durationSeconds: number): number {
    return this.cover(this.sideOf(address), this.planOf(address), durationSeconds).poolSeconds;
  }

  draw(address: PoolAddress, startAt: EpochMs, durationSeconds: number): PoolDraw {
    const plan = this.planOf(address);
    const side = this.sideOf(address);
    const { poolSeconds, drawSeconds } = this.cover(side, plan, durationSeconds);
    side.remainingSeconds -= drawSeconds;
    side.drawnSeconds += drawSeconds;
    if (side.remainingSeconds === 0 && side.exhaustedAt === null && durationSeconds > 0 && plan.cappedAt === null) {
      side.exhaustedAt = startAt + poolSeconds * 1000;
      plan.cappedAt = side.exhaustedAt;
    }
    return { poolSeconds, creditSeconds: durationSeconds - poolSeconds, poolLabel: labelOf(address) };
  }

  /** Per (capability, country, month, side), per-user pools summed over their users. */
  report(): PoolReport[] {
    const rows = new Map<string, PoolReport>();
    for (const plan of this.plans.values()) {
      for (const [kind, side] of plan.sides) {
        const key = `${plan.capability}|${plan.country}|${plan.month}|${kind}`;
        const row = rows.get(key) ?? { capability: plan.capability, country: plan.country, month: plan.month, kind, users: 0, minutes: 0, used: 0, usedSeconds: 0, exhaustedAt: null };
        row.users += plan.users;
        row.minutes += side.minutes;
        row.usedSeconds += side.drawnSeconds;
        row.used = row.usedSeconds / 60;
        const exhaustedAt = side.exhaustedAt ?? plan.cappedAt;
        if (exhaustedAt !== null && (row.exhaustedAt === null || exhaustedAt < row.exhaustedAt)) row.exhaustedAt = exhaustedAt;
        rows.set(key, row);
      }
    }
    return [...rows.values()].sort(
      (a, b) => a.month.localeCompare(b.month) || a.capability.localeCompare(b.capability) || a.country.localeCompare(b.country) || a.kind.localeCompare(b.kind),
    );
  }

  private cover(side: SideState, plan: PlanState, durationSeconds: number): { poolSeconds: number; drawSeconds: number } {
    const available = plan.cappedAt === null ? side.remainingSeconds : 0;
    const wanted = this.rounding === 'minute' ? Math.ceil(durationSeconds / 60) * 60 : durationSeconds;
    if (wanted <= available) return { poolSeconds: durationSeconds, drawSeconds: wanted };
    return { poolSeconds: Math.min(available, durationSeconds), drawSeconds: available };
  }

  private planOf(address: PoolAddress): PlanState {
    const perUser = address.allowance.kind === 'calling_plan_per_user';
    const key = `${address.allowance.capability}|${address.country}|${address.month}|${perUser ? address.upn : ''}`;
    let plan = this.plans.get(key);
    if (plan === undefined) {
      const users = perUser ? 1 : this.licensedUsers(address.allowance.capability, address.country, address.month);
      plan = { capability: address.allowance.capability, country: address.country, month: address.month, users, sides: new Map(), cappedAt: null };
      this.plans.set(key, plan);
    }
    return plan;
  }

  private sideOf(address: PoolAddress): SideState {
    const plan = this.planOf(address);
    let side = plan.sides.get(address.side);
    if (side === undefined) {
      const perUser = address.side === 'international' ? address.allowance.internationalMinutes : address.allowance.minutes;
      const minutes = perUser * plan.users;
      side = { minutes, remainingSeconds: minutes * 60, drawnSeconds: 0, exhaustedAt: null };
      plan.sides.set(address.side, side);
    }
    return side;
  }
}

function labelOf(address: PoolAddress): string {
  const user = address.allowance.kind === 'calling_plan_per_user' ? `/${address.upn}` : '';
  return `${address.allowance.capability}/${address.country}/${address.month}/${address.side}${user}`;
}
