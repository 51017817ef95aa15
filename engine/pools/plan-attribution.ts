import type { CallColumns } from '../columns/call-columns.js';
import type { CallTable } from '../columns/call-table.js';
import { isCallingPlanKind, type Allowances } from '../model/allowances.js';
import { ROUTE } from '../model/route.js';
import type { Scenario } from '../model/scenario.js';
import { unpackCountry } from '../columns/call-columns.js';

/**
 * What the attribution pass did, for the reports: rows the export records as paid by a payment
 * source (MCOPSTNPP) given to their caller's plan, by plan; how many of those the scenario's
 * `plans` named; rows left paid from credits; rows of an alias given the capability it stands for;
 * and accepted rows (inbound: no rule refuses them) whose capability the allowances file lacks.
 */
export interface Attribution {
  byPlan: Record<string, number>;
  fromScenario: number;
  unresolved: number;
  aliased: Record<string, number>;
  unknownCapabilities: UnknownCapability[];
}

export interface UnknownCapability {
  capability: string;
  rows: number;
  /** The first such row, as file:line. */
  first: string;
  /** What to do about it, naming the allowances file and the line to add. */
  hint: string;
}

export function emptyAttribution(): Attribution {
  return { byPlan: {}, fromScenario: 0, unresolved: 0, aliased: {}, unknownCapabilities: [] };
}

// What a capability of the table is to this pass.
const OTHER = 0;
const PLAN = 1;
const PAYMENT = 2;
const ALIAS = 3;
const UNKNOWN = 4;

/**
 * Whether any accepted row of a part needs this pass (an outbound call paid by a payment source, an
 * alias or an unknown capability): a replay fed while the ingest reads gives way to one after it
 * when so, since a row's plan may come from the user's later rows.
 */
export function partNeedsAttribution(table: CallTable, partIndex: number, allowances: Allowances): boolean {
  const statuses = capabilityStatuses(table, allowances);
  const part = table.parts[partIndex] as CallColumns;
  const rejected = table.rejected[partIndex] as Uint8Array;
  for (let i = 0; i < part.count; i++) {
    const capability = part.capability[i] as number;
    if (capability < 0 || rejected[i] === 1) continue;
    const status = statuses[capability] as number;
    if (status === ALIAS || status === UNKNOWN || (status === PAYMENT && isPaidOutbound(part.route[i] as number))) return true;
  }
  return false;
}

/**
 * Each call's plan, resolved once, after the ingest and before any pool (RULES.md §2, "Payment
 * sources"): an alias's rows take the capability it stands for; a row recorded as paid by a payment
 * source takes its caller's plan, as the scenario's `plans` names it, else the plan of that user's
 * row nearest in time (ties: the earlier), and is routed as a call of that plan, so that the pool
 * stage decides afresh what the pool pays. The export's capability stays in `recordedCapability`.
 * A user's plan rows are put in (start, file, line) order, so the answer does not depend on how
 * the files were cut into parts.
 */
export function attributePlans(table: CallTable, scenario: Scenario, allowances: Allowances): Attribution {
  const result = emptyAttribution();
  const statuses = capabilityStatuses(table, allowances);
  if (!statuses.some((status) => status >= PAYMENT)) return result;
  const capabilities = table.capabilities as string[];
  const targets = capabilities.map((name) => indexOfCapability(capabilities, allowances.aliasTarget(name)));
  // What a row is once its alias is replaced by the capability it stands for.
  const resolved = statuses.map((status, capability) => (status === ALIAS ? capabilityStatus(allowances, capabilities[targets[capability] as number] as string) : status));
  const planOfUser = scenarioPlans(scenario, table, capabilities);
  const paid: { part: CallColumns; index: number }[] = [];
  const unknown = new Map<number, UnknownCapability>();
  const needsPlan = new Uint8Array(table.users.length);
  table.parts.forEach((part, partIndex) => {
    const rejected = table.rejected[partIndex] as Uint8Array;
    for (let index = 0; index < part.count; index++) {
      const capability = part.capability[index] as number;
      if (capability < 0 || rejected[index] === 1 || (statuses[capability] as number) < PAYMENT) continue;
      if (statuses[capability] === ALIAS) {
        rewrite(part, index, targets[capability] as number);
        result.aliased[capabilities[capability] as string] = (result.aliased[capabilities[capability] as string] ?? 0) + 1;
      }
      if (resolved[capability] === UNKNOWN) noteUnknown(unknown, table, part, index, allowances);
      else if (resolved[capability] === PAYMENT && isPaidOutbound(part.route[index] as number)) {
        paid.push({ part, index });
        if (!planOfUser.has(part.user[index] as number)) needsPlan[part.user[index] as number] = 1;
      }
    }
  });
  const plansSeen = planRowsOf(table, (capability) => capability >= 0 && resolved[capability] === PLAN, needsPlan);
  for (const { part, index } of paid) {
    const user = part.user[index] as number;
    const named = planOfUser.get(user);
    const plan = named ?? nearestPlan(plansSeen.get(user), part.startAt[index] as number);
    if (plan !== undefined && takeOver(part, index, plan, capabilities, allowances)) {
      const name = capabilities[plan] as string;
      result.byPlan[name] = (result.byPlan[name] ?? 0) + 1;
      if (named !== undefined) result.fromScenario++;
    } else result.unresolved++;
  }
  result.unknownCapabilities = [...unknown.values()];
  result.byPlan = Object.fromEntries(Object.entries(result.byPlan).sort(([a], [b]) => (a < b ? -1 : 1)));
  return result;
}

/**
 * The rows carrying a plan of each user marked in `wanted`, in (start, file, line) order: parts
 * are in file order and rows in line order, so a stable sort by start (only for a user whose rows
 * are not already in start order) gives it. A walk in replay order took as long as the replay's own.
 */
function planRowsOf(table: CallTable, isPlan: (capability: number) => boolean, wanted: Uint8Array): Map<number, PlanRows> {
  const plansSeen = new Map<number, PlanRows>();
  table.parts.forEach((part, partIndex) => {
    const rejected = table.rejected[partIndex] as Uint8Array;
    for (let index = 0; index < part.count; index++) {
      const user = part.user[index] as number;
      if (wanted[user] !== 1 || rejected[index] === 1 || !isPlan(part.capability[index] as number)) continue;
      addPlanRow(plansSeen, user, part.startAt[index] as number, part.capability[index] as number);
    }
  });
  for (const rows of plansSeen.values()) inStartOrder(rows);
  return plansSeen;
}

function inStartOrder(rows: PlanRows): void {
  const { startAt, capability } = rows;
  let sorted = true;
  for (let i = 1; i < startAt.length && sorted; i++) if ((startAt[i] as number) < (startAt[i - 1] as number)) sorted = false;
  if (sorted) return;
  const order = startAt.map((_, i) => i).sort((a, b) => (startAt[a] as number) - (startAt[b] as number));
  rows.startAt = order.map((i) => startAt[i] as number);
  rows.capability = order.map((i) => capability[i] as number);
}

/** A user's rows that carry a plan, in start order: their starts and plans (table capability ids). */
interface PlanRows {
  startAt: number[];
  capability: number[];
}

function addPlanRow(plansSeen: Map<number, PlanRows>, user: number, startAt: number, capability: number): void {
  let rows = plansSeen.get(user);
  if (rows === undefined) plansSeen.set(user, (rows = { startAt: [], capability: [] }));
  rows.startAt.push(startAt);
  rows.capability.push(capability);
}

/** The plan of the row nearest in time to `at`; of two as near, the earlier one. */
export function nearestPlan(rows: PlanRows | undefined, at: number): number | undefined {
  if (rows === undefined || rows.startAt.length === 0) return undefined;
  const starts = rows.startAt;
  // The first row starting after `at`: the nearest is it or the one before.
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((starts[middle] as number) <= at) low = middle + 1;
    else high = middle;
  }
  if (low === 0) return rows.capability[0];
  if (low === starts.length) return rows.capability[low - 1];
  const before = at - (starts[low - 1] as number);
  const after = (starts[low] as number) - at;
  return rows.capability[after < before ? low : low - 1];
}

/**
 * Routes row `index` as a call of `plan`, when the plan has an allowance in the caller's country:
 * a domestic call draws its domestic pool, an international one its international pool if it has
 * one, else pays credits as an international call on a domestic plan.
 */
function takeOver(part: CallColumns, index: number, plan: number, capabilities: readonly string[], allowances: Allowances): boolean {
  const route = part.route[index] as number;
  if (route !== ROUTE.creditsPaidDomestic && route !== ROUTE.creditsPaidInternational) return false;
  const lookup = allowances.lookup(capabilities[plan] as string, unpackCountry(part.country[index] as number));
  if (!('found' in lookup) || !isCallingPlanKind(lookup.found.kind)) return false;
  const allowance = lookup.found;
  rewrite(part, index, plan);
  part.allowance[index] = allowance.index;
  if (route === ROUTE.creditsPaidDomestic) part.route[index] = ROUTE.poolDomestic;
  else part.route[index] = allowance.internationalMinutes > 0 ? ROUTE.poolInternational : ROUTE.creditsInternational;
  return true;
}

/** Puts `capability` in the row's place, keeping what the export recorded. */
function rewrite(part: CallColumns, index: number, capability: number): void {
  part.recordedCapability ??= part.capability.slice();
  part.capability[index] = capability;
}

/** The scenario's `plans` by table user id (users the CDRs do not have are of no use here). */
function scenarioPlans(scenario: Scenario, table: CallTable, capabilities: string[]): Map<number, number> {
  const byUpn = new Map((scenario.plans ?? []).map((plan) => [plan.upn, plan.capability]));
  const planOfUser = new Map<number, number>();
  if (byUpn.size === 0) return planOfUser;
  table.users.forEach((upn, user) => {
    const plan = byUpn.get(upn);
    if (plan !== undefined) planOfUser.set(user, indexOfCapability(capabilities, plan));
  });
  return planOfUser;
}

/** A capability's id in the table, added when no row carries it yet (a plan the scenario names). */
function indexOfCapability(capabilities: string[], name: string | undefined): number {
  if (name === undefined) return -1;
  const known = capabilities.indexOf(name);
  return known >= 0 ? known : capabilities.push(name) - 1;
}

function capabilityStatuses(table: CallTable, allowances: Allowances): number[] {
  return table.capabilities.map((name) => capabilityStatus(allowances, name));
}

function capabilityStatus(allowances: Allowances, capability: string): number {
  if (!allowances.has(capability)) return UNKNOWN;
  if (allowances.aliasTarget(capability) !== undefined) return ALIAS;
  const kind = allowances.kindOf(capability) as NonNullable<ReturnType<Allowances['kindOf']>>;
  if (kind === 'payment_source') return PAYMENT;
  return isCallingPlanKind(kind) ? PLAN : OTHER;
}

function noteUnknown(unknown: Map<number, UnknownCapability>, table: CallTable, part: CallColumns, index: number, allowances: Allowances): void {
  const capability = part.capability[index] as number;
  const known = unknown.get(capability);
  if (known !== undefined) {
    known.rows++;
    return;
  }
  const name = table.capabilities[capability] as string;
  const first = `${table.source(part).file}:${part.line[index] as number}`;
  unknown.set(capability, { capability: name, rows: 1, first, hint: allowances.unknownCapabilityHint(name) });
}

/** An outbound call the payment source paid (inbound rows' capability decides nothing). */
function isPaidOutbound(route: number): boolean {
  return route === ROUTE.creditsPaidDomestic || route === ROUTE.creditsPaidInternational || route === ROUTE.creditsEveryMinute;
}
