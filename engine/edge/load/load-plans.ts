import { dirname, relative, resolve } from 'node:path';
import { z } from 'zod';
import { InputError, place } from '../../kernel/errors.js';
import { isCallingPlanKind, type Allowances } from '../../model/allowances.js';
import { foldUpn, type Scenario, type UserPlan } from '../../model/scenario.js';
import { readCsvTable } from './csv-table.js';

/** The scenario's `plans`: a list of { upn, capability }, or the path of a CSV file with those two columns. */
export const plansSchema = z
  .union([z.array(z.strictObject({ upn: z.string().min(1), capability: z.string().min(1) })).max(1_000_000), z.string().min(1)], {
    error: 'expected a list of { "upn": "...", "capability": "..." } (each a non-empty text, no other keys) or the path of a CSV file with columns upn,capability',
  })
  .default([]);

/** Each user's plan, UPNs folded; a user named twice with two plans stops the run naming both places. */
export function toPlans(plans: z.infer<typeof plansSchema>, scenarioFile: string): UserPlan[] {
  const entries =
    typeof plans === 'string'
      ? readPlansFile(relative(process.cwd(), resolve(dirname(resolve(scenarioFile)), plans)) || '.')
      : plans.map((plan, index) => ({ upn: plan.upn, capability: plan.capability.trim(), at: `${scenarioFile}: plans[${index}]` }));
  const firstPlace = new Map<string, { capability: string; at: string }>();
  const result: UserPlan[] = [];
  for (const entry of entries) {
    const upn = foldUpn(entry.upn);
    const earlier = firstPlace.get(upn);
    if (earlier === undefined) {
      firstPlace.set(upn, entry);
      result.push({ upn, capability: entry.capability, at: entry.at });
    } else if (earlier.capability !== entry.capability) {
      throw new InputError(`${entry.at}: user ${JSON.stringify(upn)} has plan ${JSON.stringify(entry.capability)} here and ${JSON.stringify(earlier.capability)} at ${earlier.at}; give each user one plan`);
    }
  }
  return result;
}

function readPlansFile(file: string): { upn: string; capability: string; at: string }[] {
  return readCsvTable(file, ['upn', 'capability']).map((row) => {
    const at = place(file, row.line);
    const upn = row.field('upn').trim();
    const capability = row.field('capability').trim();
    if (upn === '') throw new InputError(`${at}: upn is empty`);
    if (capability === '') throw new InputError(`${at}: capability is empty`);
    return { upn, capability, at };
  });
}

/** Every plan the scenario names is a calling plan of the allowances file (directly, or through an alias). */
export function checkPlans(scenario: Scenario, allowances: Allowances): void {
  for (const plan of scenario.plans ?? []) {
    const kind = allowances.kindOf(plan.capability);
    if (kind !== undefined && isCallingPlanKind(kind)) continue;
    const plans = [...new Set(allowances.rows.filter((row) => isCallingPlanKind(row.kind)).map((row) => row.capability))].join(', ');
    const what = kind === undefined ? 'is not a capability of the allowances file' : `is of kind ${kind}, not a calling plan`;
    throw new InputError(`${plan.at}: capability ${JSON.stringify(plan.capability)} ${what} (calling plans: ${plans})`);
  }
}
