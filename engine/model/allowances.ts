import { quoted } from '../kernel/quote.js';

export const ALLOWANCE_KINDS = [
  'calling_plan',
  'calling_plan_per_user',
  'pay_as_you_go',
  'credits_only',
  'conferencing',
  'conferencing_pay_per_minute',
  'free',
  'payment_source',
  'alias',
] as const;
export type AllowanceKind = (typeof ALLOWANCE_KINDS)[number];

/** One row of the allowances file: what a licence capability gives in some usage countries. */
export interface Allowance {
  /** Position in the allowances file's rows: how columns and workers refer to it. */
  index: number;
  capability: string;
  kind: AllowanceKind;
  /** Usage countries the row covers; null for every country ("*"). */
  countries: ReadonlySet<string> | null;
  /** Domestic minutes per user (calling plans) or dial-out minutes per licence (conferencing). */
  minutes: number;
  internationalMinutes: number;
  /** For kind `alias`: the capability this one stands for (its rows decide); '' otherwise. */
  aliasOf: string;
  source: string;
}

/** A kind whose rows size a minute pool for each user holding it: a calling plan. */
export function isCallingPlanKind(kind: AllowanceKind): boolean {
  return kind === 'calling_plan' || kind === 'calling_plan_per_user';
}

export type AllowanceLookup = { found: Allowance } | { unknownCapability: true } | { noAllowanceFor: string };

export class Allowances {
  private readonly byCapability = new Map<string, Allowance[]>();

  /** `file`: the file's name as messages show it (the rows' sources name it too). */
  constructor(
    readonly rows: readonly Allowance[],
    private readonly file = 'the allowances file',
  ) {
    for (const row of rows) {
      const list = this.byCapability.get(row.capability) ?? [];
      list.push(row);
      this.byCapability.set(row.capability, list);
    }
  }

  // Every call asks: answers are kept per (capability, country), found once each.
  private readonly answers = new Map<string, Map<string, AllowanceLookup>>();

  /** The row naming the country, else the capability's "*" row. */
  lookup(capability: string, country: string): AllowanceLookup {
    let byCountry = this.answers.get(capability);
    if (byCountry === undefined) this.answers.set(capability, (byCountry = new Map()));
    let answer = byCountry.get(country);
    if (answer === undefined) byCountry.set(country, (answer = this.find(capability, country)));
    return answer;
  }

  private find(capability: string, country: string): AllowanceLookup {
    const target = this.aliasTarget(capability);
    const rows = this.byCapability.get(target ?? capability);
    if (rows === undefined) return { unknownCapability: true };
    const found = rows.find((row) => row.countries?.has(country)) ?? rows.find((row) => row.countries === null);
    return found === undefined ? { noAllowanceFor: country } : { found };
  }

  has(capability: string): boolean {
    return this.byCapability.has(capability);
  }

  /** The capability an alias stands for (the loader allows no alias of an alias), or undefined. */
  aliasTarget(capability: string): string | undefined {
    const first = this.byCapability.get(capability)?.[0];
    return first?.kind === 'alias' ? first.aliasOf : undefined;
  }

  /**
   * What a row with a capability this file does not name is told: the file, and the line to add
   * (an alias of a plan, or a row of its own).
   */
  unknownCapabilityHint(capability: string): string {
    const lastLine = /:(\d+)$/.exec(this.rows[this.rows.length - 1]?.source ?? '')?.[1];
    const file = this.file;
    const where = lastLine === undefined ? '' : ` after line ${lastLine}`;
    return `Capability ${quoted(capability)} is not in ${file}: add a line${where} such as ${quoted(`${capability},alias,*,0,0,what it is,MCOPSTN1`)} (alias_of: the plan it stands for) or a row of its own kind`;
  }

  /** The kind of a capability's rows (an alias answers with the kind it stands for), or undefined when unknown. */
  kindOf(capability: string): AllowanceKind | undefined {
    return this.byCapability.get(this.aliasTarget(capability) ?? capability)?.[0]?.kind;
  }

  /** Whether a capability names how a call was paid (MCOPSTNPP) rather than the caller's plan. */
  isPaymentSource(capability: string): boolean {
    return this.byCapability.get(capability)?.[0]?.kind === 'payment_source';
  }
}
