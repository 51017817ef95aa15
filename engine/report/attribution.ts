import type { ReplayResult } from '../replay/result.js';

const DIFFERENCES_SHOWN = 5;

/** The `--json` keys for the attribution pass and the funding-source reconciliation. */
export function attributionJson(result: ReplayResult): object {
  const { attribution } = result;
  return {
    attribution: {
      byPlan: attribution.byPlan,
      fromScenario: attribution.fromScenario,
      unresolved: attribution.unresolved,
      aliased: attribution.aliased,
      unknownCapabilities: attribution.unknownCapabilities,
    },
    fundingDifferences: result.fundingDifferences,
  };
}

/** Summary lines: rows given to their caller's plan, capabilities to add, and where funding sources differ. */
export function attributionLines(result: ReplayResult): string[] {
  const { attribution } = result;
  const lines: string[] = [];
  const planned = Object.entries(attribution.byPlan);
  if (planned.length > 0 || attribution.unresolved > 0) {
    const total = planned.reduce((sum, [, rows]) => sum + rows, 0);
    const byPlan = planned.map(([plan, rows]) => `${plan} ${rows}`).join(', ');
    lines.push('', `Plans    ${total} row(s) recorded as paid by credits given to the caller's plan (${byPlan || 'none'}; ${attribution.fromScenario} named by the scenario), ${attribution.unresolved} left on credits (no plan found)`);
  }
  for (const [alias, rows] of Object.entries(attribution.aliased)) lines.push(`  ${rows} row(s) of ${alias} replayed as the capability it is an alias of`);
  for (const unknown of attribution.unknownCapabilities) lines.push(`  ${unknown.first}: ${unknown.rows} accepted row(s) (inbound): ${unknown.hint}`);
  const differences = result.fundingDifferences;
  if (differences.length > 0) {
    const calls = differences.reduce((sum, row) => sum + row.calls, 0);
    lines.push('', `Funding  ${calls} call(s) funded otherwise than the export records (the scenario's licences or plans differ from the tenant's):`);
    for (const row of differences.slice(0, DIFFERENCES_SHOWN)) {
      lines.push(`  ${row.destination}, ${row.user}: ${row.calls} call(s) recorded from ${row.recorded}, replayed from ${row.simulated}`);
    }
    if (differences.length > DIFFERENCES_SHOWN) lines.push(`  ... ${differences.length - DIFFERENCES_SHOWN} more (--json lists them all)`);
  }
  return lines;
}
