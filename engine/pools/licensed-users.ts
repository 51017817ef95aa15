import { packCountry, type CallColumns } from '../columns/call-columns.js';
import type { CallTable } from '../columns/call-table.js';
import { daysFromCivil, MonthFinder } from '../kernel/calendar.js';
import type { EpochMs } from '../kernel/time.js';
import type { Allowance } from '../model/allowances.js';
import type { LicenseCount, Scenario } from '../model/scenario.js';
import type { Rules } from '../rules/classify.js';

const PR = packCountry('PR');
const US = packCountry('US');

/** US and PR share one pool (RULES.md §3). */
export function poolCountry(country: number): number {
  return country === PR ? US : country;
}

/**
 * Licensed users per (plan, pool country, month): the scenario's count where it gives one, else the
 * distinct users seen with that capability there that month, in any direction (RULES.md §3).
 * Counted part by part, since a replay may start before the last part is read.
 */
export class LicensedUsers {
  private readonly months: MonthFinder;
  // Per capability, per usage country (16 bits): the pool kind's id plus one, 0 until first seen.
  private readonly kindIdsByCapability: Int32Array[] = [];
  private readonly kindKeys: number[] = [];
  // Distinct users per (month, pool kind): a bitmap over user ids, since every call passes here.
  // Calls come in time order, so the month's list of kinds is looked up only when the month changes.
  private readonly seen = new Map<number, (UserSet | undefined)[]>();

  constructor(
    private readonly table: CallTable,
    private readonly scenario: Scenario,
    private readonly rules: Rules,
  ) {
    this.months = new MonthFinder(scenario.offsetMinutes);
  }

  addPart(partIndex: number): void {
    const { table, months } = this;
    const part = table.parts[partIndex] as CallColumns;
    const rejected = table.rejected[partIndex] as Uint8Array;
    let lastMonth = NaN;
    let kinds: (UserSet | undefined)[] = [];
    for (let i = 0; i < part.count; i++) {
      const capability = part.capability[i] as number;
      if (capability < 0 || rejected[i] === 1) continue;
      const kindId = this.kindIdOf(capability, part.country[i] as number);
      const month = months.indexOf(part.startAt[i] as number);
      if (month !== lastMonth) {
        kinds = this.kindsOf(month);
        lastMonth = month;
      }
      let users = kinds[kindId];
      if (users === undefined) kinds[kindId] = users = { users: new Uint8Array(Math.max(64, table.users.length)), count: 0 };
      const user = part.user[i] as number;
      if (user >= users.users.length) {
        const larger = new Uint8Array(Math.max(table.users.length, 2 * users.users.length));
        larger.set(users.users);
        users.users = larger;
      }
      if (users.users[user] === 0) {
        users.users[user] = 1;
        users.count++;
      }
    }
  }

  private kindsOf(month: number): (UserSet | undefined)[] {
    let kinds = this.seen.get(month);
    if (kinds === undefined) this.seen.set(month, (kinds = []));
    return kinds;
  }

  private kindIdOf(capability: number, country: number): number {
    const kindIds = (this.kindIdsByCapability[capability] ??= new Int32Array(65_536));
    let kindId = (kindIds[country] as number) - 1;
    if (kindId < 0) {
      const lookup = this.rules.allowances.lookup(this.table.capabilities[capability] as string, countryText(country));
      const wide = 'found' in lookup && lookup.found.kind === 'conferencing';
      // Conferencing pools are tenant-wide: every country of a capability shares one kind.
      const poolKey = capability * 65_536 + (wide ? 0 : poolCountry(country));
      kindId = this.kindKeys.indexOf(poolKey);
      if (kindId < 0) kindId = this.kindKeys.push(poolKey) - 1;
      kindIds[country] = kindId + 1;
    }
    return kindId;
  }

  /** Pools sized from the users seen, as no licences entry names them, as "CAPABILITY COUNTRY" (country * for tenant-wide). */
  readonly guessed = new Set<string>();

  /**
   * Users licensed for a plan in a pool country and month, after the scenario's headcount changes:
   * those at the month's start, and the entries starting within it (DOMAIN §2), each adding its
   * users from its `from` instant. Without an entry for the plan, the users seen (a guess, noted in
   * `guessed`).
   */
  counter(): (allowance: Allowance, country: number, monthIndex: number) => LicenceSchedule {
    const { scenario, table } = this;
    // Entries for the same capability and pool country add up (DOMAIN §2); exact repeats were refused at load.
    const given = new Map<string, LicenseCount[]>();
    for (const license of scenario.licenses) {
      const key = `${license.capability}|${license.country === null ? 0 : poolCountry(packCountry(license.country))}`;
      given.set(key, [...(given.get(key) ?? []), license]);
    }
    const counted = (allowance: Allowance, country: number, monthIndex: number): LicenceSchedule => {
      const entries = given.get(`${allowance.capability}|${country}`) ?? given.get(`${allowance.capability}|0`);
      if (entries !== undefined) return scheduleOf(entries, monthIndex, scenario.offsetMinutes);
      this.guessed.add(`${allowance.capability} ${country === 0 ? '*' : countryText(country)}`);
      // Capabilities are few: a look along the table's list, once per pool and month.
      const capability = table.capabilities.indexOf(allowance.capability);
      const kindId = capability < 0 ? -1 : this.kindKeys.indexOf(capability * 65_536 + country);
      return { users: kindId < 0 ? 0 : (this.seen.get(monthIndex)?.[kindId]?.count ?? 0), later: [] };
    };
    return (allowance: Allowance, country: number, monthIndex: number): LicenceSchedule => {
      const change = scenario.headcount.find((entry) => entry.capability === allowance.capability && (entry.country === null || poolCountry(packCountry(entry.country)) === country));
      const schedule = counted(allowance, country, monthIndex);
      return change === undefined ? schedule : scaled(schedule, change.factor);
    };
  }
}

/** Licensed users of a pool in a month: at its start, then added at instants within it (in time order). */
export interface LicenceSchedule {
  users: number;
  later: { at: EpochMs; users: number }[];
}

/**
 * The entries' users in a month [start, end): an entry counts from the month's start if it began
 * by then and had not ended; one starting within the month adds its users at its `from`; one ending
 * within the month leaves the pool as it is until the month ends (DOMAIN §2: no pro-rating).
 */
function scheduleOf(entries: readonly LicenseCount[], monthIndex: number, offsetMinutes: number): LicenceSchedule {
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  const start = daysFromCivil(year, month, 1) * 86_400_000 - offsetMinutes * 60_000;
  const end = (month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1)) * 86_400_000 - offsetMinutes * 60_000;
  let users = 0;
  const later: LicenceSchedule['later'] = [];
  for (const entry of entries) {
    if (entry.to !== null && entry.to <= start) continue;
    if (entry.from === null || entry.from <= start) users += entry.users;
    else if (entry.from < end) later.push({ at: entry.from, users: entry.users });
  }
  later.sort((a, b) => a.at - b.at);
  return { users, later };
}

/**
 * A schedule under a headcount factor: the users licensed at each instant are scaled and rounded
 * half up, and each addition is what that adds to the count before it, so the month ends where
 * scaling its final count would.
 */
function scaled(schedule: LicenceSchedule, factor: number): LicenceSchedule {
  const round = (users: number) => Math.floor(users * factor + 0.5);
  let unscaled = schedule.users;
  let before = round(unscaled);
  const later = schedule.later.map((step) => {
    unscaled += step.users;
    const now = round(unscaled);
    const added = { at: step.at, users: now - before };
    before = now;
    return added;
  });
  return { users: round(schedule.users), later };
}

/** Users seen in one pool kind and month: a bitmap by user id and how many are set. */
interface UserSet {
  users: Uint8Array;
  count: number;
}

function countryText(packed: number): string {
  return packed === 0 ? '' : String.fromCharCode(packed >> 8, packed & 0xff);
}

