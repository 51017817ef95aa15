import { DialledNumber } from '../rules/digit-trie.js';
import { RATE_SERVICES } from '../model/rate-row.js';
import { type RateTable } from '../rules/rate-table.js';
import { classifyInto, emptyClassification, factsOfCall, type Rules } from '../rules/classify.js';
import { formatInstant } from '../kernel/time.js';
import type { Call, Reject } from '../model/cdr.js';
import { ColumnBuilder, packCountry } from './call-columns.js';
import { CallTable } from './call-table.js';
import { mergeTables } from '../edge/read/ingest-files.js';

/**
 * A CallTable from hand-built calls (tests, synthetic traffic): each call is classified and rated
 * exactly as the ingest decoder does it, and what classification rejects is returned as rejects.
 */
export function tableFromCalls(
  calls: readonly Call[],
  rules: Rules,
  rates: RateTable | null,
  period: { start: number | null; end: number | null } = { start: null, end: null },
): { table: CallTable; rejects: Reject[] } {
  const builder = new ColumnBuilder(0, calls.length);
  const kept: Call[] = [];
  const rejects: Reject[] = [];
  const userIds = new Map<string, number>();
  const capabilityIds = new Map<string, number>();
  const classification = emptyClassification();
  const intern = (ids: Map<string, number>, list: string[], value: string) => {
    let id = ids.get(value);
    if (id === undefined) ids.set(value, (id = list.push(value) - 1));
    return id;
  };
  for (const call of calls) {
    const reject = (reason: Reject['reason'], detail: string) => rejects.push({ file: call.file, line: call.line, reason, detail, raw: call.raw });
    if ((period.start !== null && call.startAt < period.start) || (period.end !== null && call.startAt >= period.end)) {
      reject('outside-period', `Start Time ${formatInstant(call.startAt)} is outside the scenario period ${formatInstant(period.start ?? call.startAt)} to ${formatInstant(period.end ?? call.startAt)}`);
      continue;
    }
    const facts = factsOfCall(call);
    const classified = classifyInto(facts, rules, classification);
    if (classified.reject !== null) {
      reject(classified.reject, classified.detail);
      continue;
    }
    const number = new DialledNumber().readString(`${call.numberDigits}${call.numberMasked ? '*' : ''}`);
    builder.append({
      startAt: call.startAt,
      durationSeconds: call.durationSeconds,
      route: classified.route,
      allowance: classified.allowance,
      service: classified.service,
      rate: rates === null ? -1 : rates.lookupIndex(RATE_SERVICES[classified.service] ?? 'outbound', number, call.startAt),
      user: intern(userIds, builder.users, call.upn),
      capability: call.capability === '' ? -1 : intern(capabilityIds, builder.capabilities, call.capability),
      country: packCountry(call.userCountry),
      recordedMicros: call.recordedMicros ?? -1,
      line: call.line,
      byteOffset: kept.length,
      usageHashHigh: 0,
      usageHashLow: 0,
    });
    kept.push(call);
  }
  const rowOf = (index: number) => kept[index] as Call;
  const table: CallTable = mergeTables([builder.finish()], [
    {
      file: calls[0]?.file ?? '',
      raw: (part, index) => rowOf(part.byteOffset[index] as number).raw,
      usageId: (part, index) => rowOf(part.byteOffset[index] as number).usageId,
      describe(part, index) {
        const call = rowOf(part.byteOffset[index] as number);
        return { usageId: call.usageId, callType: call.callType, number: `${call.numberDigits}${call.numberMasked ? '*' : ''}` };
      },
      close() {},
    },
  ]);
  return { table, rejects };
}
