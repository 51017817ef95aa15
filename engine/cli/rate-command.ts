import type { Argv } from 'yargs';
import { Exact } from '../cgrates/cgr-round.js';
import { MAX_DURATION_NS, parseGoDurationNs } from '../cgrates/go-duration.js';
import { rateCall, type CallCost, type CostApi, type RatedSpan } from '../cgrates/rate-call.js';
import { loadTariffPlan } from '../edge/load/load-tariff-plan.js';
import { InputError } from '../kernel/errors.js';
import { quoted } from '../kernel/quote.js';
import { parseInstant, parseOffsetMinutes } from '../kernel/time.js';

interface RateArgs {
  'tariff-plan': string;
  tenant: string;
  category: string;
  subject: string;
  destination: string;
  start: string;
  end: string | undefined;
  usage: string | undefined;
  tor: string;
  'increment-decimals': number;
  'cost-api': string;
  json: boolean;
}

const TORS = ['voice', 'data'] as const;
const COST_APIS: readonly CostApi[] = ['responder', 'apier'];

export function rateOptions(yargs: Argv): Argv<RateArgs> {
  return yargs
    .option('tariff-plan', { type: 'string', demandOption: true, describe: 'CGRateS tariff-plan folder (Destinations, Timings, Rates, DestinationRates, RatingPlans, RatingProfiles CSV)' })
    .option('tenant', { type: 'string', demandOption: true, describe: 'rating profile tenant' })
    .option('category', { type: 'string', demandOption: true, describe: 'rating profile category' })
    .option('subject', { type: 'string', demandOption: true, describe: 'rating profile subject (falls back to *any)' })
    .option('destination', { type: 'string', demandOption: true, describe: 'the dialled number, matched by longest prefix' })
    .option('start', { type: 'string', demandOption: true, describe: 'call start, ISO 8601; its offset is the calendar the timings are read in' })
    .option('end', { type: 'string', describe: 'call end, ISO 8601 (or give --usage)' })
    .option('usage', { type: 'string', describe: 'call length: a Go duration (90s, 1m30s) or a bare number of nanoseconds (or give --end)' })
    .option('tor', { type: 'string', default: 'voice', describe: 'voice (cut at midnights) or data' })
    .option('increment-decimals', { type: 'number', default: 5, describe: "G, CGRateS's increment rounding decimals: 5 as a running cgr-engine, 6 as its unit tests" })
    .option('cost-api', { type: 'string', default: 'responder', describe: 'responder (Responder.GetCost: MaxCost and DestinationRate rounding) or apier (APIerSv1.GetCost)' })
    .option('json', { type: 'boolean', default: false, describe: 'print { cost, connectFee, spans } as JSON' }) as unknown as Argv<RateArgs>;
}

export function rateCommand(args: RateArgs): void {
  for (const [name, value] of Object.entries(args)) {
    // The options as written (yargs adds camelCase copies, and `_` for the command words).
    if (Array.isArray(value) && /^[a-z][a-z-]*$/.test(name)) throw new InputError(`--${name}: given ${value.length} times, expected once`);
  }
  const text = (name: keyof RateArgs): string => {
    const value = String(args[name]);
    if (value.trim() === '') throw new InputError(`--${name}: expected a value, got an empty one`);
    return value;
  };
  const start = parseStart(text('start'));
  const usageNs = usageOf(args, start.ms);
  if (!(TORS as readonly string[]).includes(args.tor)) throw new InputError(`--tor: expected voice or data, got ${quoted(args.tor)}`);
  if (!COST_APIS.includes(args['cost-api'] as CostApi)) throw new InputError(`--cost-api: expected responder or apier, got ${quoted(args['cost-api'])}`);
  const decimals = args['increment-decimals'];
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 10) throw new InputError(`--increment-decimals: expected a whole number from 0 to 10, got ${decimals}`);
  const plan = loadTariffPlan(text('tariff-plan'));
  const result = rateCall(plan, {
    tenant: text('tenant'),
    category: text('category'),
    subject: text('subject'),
    destination: text('destination'),
    startMs: start.ms,
    offsetMinutes: start.offsetMinutes,
    usageNs,
    voice: args.tor === 'voice',
    incrementDecimals: decimals,
    costApi: args['cost-api'] as CostApi,
  });
  if ('error' in result) throw new InputError(`${result.error}: ${result.detail}`);
  process.stdout.write(args.json ? `${JSON.stringify(costJson(result, start.ms), null, 2)}\n` : costTable(result, start.ms));
}

function parseStart(text: string): { ms: number; offsetMinutes: number } {
  const ms = parseInstant(text);
  if (ms === undefined) throw new InputError(`--start: expected an ISO 8601 instant such as 2026-03-02T18:30:00+01:00, got ${quoted(text)}`);
  const zone = /(Z|z|[+-]\d{2}:?\d{2})\s*$/.exec(text)?.[1];
  return { ms, offsetMinutes: zone === undefined ? 0 : (parseOffsetMinutes(zone) as number) };
}

function usageOf(args: RateArgs, startMs: number): number {
  if ((args.end === undefined) === (args.usage === undefined)) throw new InputError('--end, --usage: expected exactly one of them, the call end or its length');
  if (args.usage !== undefined) {
    const ns = parseGoDurationNs(args.usage.trim());
    if (ns === undefined) throw new InputError(`--usage: expected a Go duration such as 90s or 1m30s, or a whole number of nanoseconds, up to ${MAX_DURATION_NS / 1e9 / 86_400} days, got ${quoted(args.usage)}`);
    return ns;
  }
  const endMs = parseInstant(args.end as string);
  if (endMs === undefined) throw new InputError(`--end: expected an ISO 8601 instant, got ${quoted(args.end as string)}`);
  if (endMs < startMs) throw new InputError(`--end: ${args.end} is before --start`);
  if ((endMs - startMs) * 1e6 > MAX_DURATION_NS) throw new InputError(`--end: ${args.end} is more than 30 days after --start`);
  return (endMs - startMs) * 1_000_000;
}

/** An offset from the call start as an ISO instant, to the nanosecond where it has one. */
function instantAt(startMs: number, offsetNs: number): string {
  const iso = new Date(startMs + Math.floor(offsetNs / 1e6)).toISOString();
  const subMs = offsetNs % 1e6;
  return subMs === 0 ? iso : iso.replace('Z', `${String(subMs).padStart(6, '0')}Z`);
}

/** Nanoseconds as a Go duration of one unit: 60s, 500ms, 1024ns. */
function goDuration(ns: number): string {
  if (ns % 1e9 === 0) return `${ns / 1e9}s`;
  if (ns % 1e6 === 0) return `${ns / 1e6}ms`;
  return `${ns}ns`;
}

function spanJson(span: RatedSpan, startMs: number) {
  return {
    start: instantAt(startMs, span.startNs),
    end: instantAt(startMs, span.endNs),
    ratingPlan: span.ratingPlanId,
    destinationId: span.destinationId,
    timing: span.timingId,
    rateId: span.rateId,
    slot: { index: span.slotIndex, groupIntervalStart: goDuration(span.slot.groupIntervalStartNs) },
    increment: goDuration(span.slot.rateIncrementNs),
    increments: span.increments,
    incrementCost: span.incrementCost.toFixed(),
    billedSeconds: new Exact(span.endNs - span.startNs).div(1e9).toFixed(),
    cost: span.cost.toFixed(),
    ...(span.floatDecided ? { floatDecided: true } : {}),
  };
}

function costJson(cost: CallCost, startMs: number) {
  return {
    cost: cost.cost.toFixed(),
    connectFee: cost.connectFee.toFixed(),
    spans: cost.spans.map((span) => spanJson(span, startMs)),
    ...(cost.floatDecided ? { floatDecided: true } : {}),
  };
}

function costTable(cost: CallCost, startMs: number): string {
  const header = ['start', 'end', 'destination', 'timing', 'rate', 'slot', 'increment', 'billed s', 'cost'];
  const rows = cost.spans.map((span) => {
    const json = spanJson(span, startMs);
    return [json.start, json.end, json.destinationId, json.timing, json.rateId, String(json.slot.index), `${json.increments} x ${json.increment}`, json.billedSeconds, `${json.cost}${span.floatDecided ? ' *' : ''}`];
  });
  const widths = header.map((name, column) => Math.max(name.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ').trimEnd();
  const floatNote = cost.floatDecided || cost.spans.some((span) => span.floatDecided) ? "\n* a last digit where CGRateS's float rounding took the other side from exact arithmetic (README: CGRateS tariff plans)\n" : '';
  return `cost ${cost.cost.toFixed()} (connect fee ${cost.connectFee.toFixed()})\n${[line(header), ...rows.map(line)].join('\n')}\n${floatNote}`;
}
