import { packCountry, type CallColumns } from '../columns/call-columns.js';
import type { CallTable } from '../columns/call-table.js';
import { MonthFinder } from '../kernel/calendar.js';
import type { Allowance } from '../model/allowances.js';
import type { Scenario } from '../model/scenario.js';
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

  /** Users licensed for a plan in a pool country and month, after the scenario's headcount changes. */
  counter(): (allowance: Allowance, country: number, monthIndex: number) => number {
    const { scenario, table } = this;
    const given = new Map<string, number>();
    // Entries for the same capability and pool country add up (DOMAIN §2); exact repeats were refused at load.
    for (const license of scenario.licenses) {
      const key = `${license.capability}|${license.country === null ? 0 : poolCountry(packCountry(license.country))}`;
      given.set(key, (given.get(key) ?? 0) + license.users);
    }
    const counted = (allowance: Allowance, country: number, monthIndex: number): number => {
      const count = given.get(`${allowance.capability}|${country}`) ?? given.get(`${allowance.capability}|0`);
      if (count !== undefined) return count;
      // Capabilities are few: a look along the table's list, once per pool and month.
      const capability = table.capabilities.indexOf(allowance.capability);
      if (capability < 0) return 0;
      const kindId = this.kindKeys.indexOf(capability * 65_536 + country);
      if (kindId < 0) return 0;
      return this.seen.get(monthIndex)?.[kindId]?.count ?? 0;
    };
    return (allowance: Allowance, country: number, monthIndex: number): number => {
      const change = scenario.headcount.find((entry) => entry.capability === allowance.capability && (entry.country === null || poolCountry(packCountry(entry.country)) === country));
      const users = counted(allowance, country, monthIndex);
      return change === undefined ? users : Math.floor(users * change.factor + 0.5);
    };
  }
}

/** Users seen in one pool kind and month: a bitmap by user id and how many are set. */
interface UserSet {
  users: Uint8Array;
  count: number;
}

function countryText(packed: number): string {
  return packed === 0 ? '' : String.fromCharCode(packed >> 8, packed & 0xff);
}

