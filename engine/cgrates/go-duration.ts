import { Exact } from './cgr-round.js';

/** The longest duration read: 30 days, the longest call creditcast reads, well inside 2^53 ns. */
export const MAX_DURATION_NS = 30 * 86_400 * 1_000_000_000;

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const TERM = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;

/**
 * A duration as CGRateS reads one: a bare whole number is nanoseconds, else a Go duration, terms
 * like `1h2m3.5s` added up. Undefined when it is neither, not whole nanoseconds, or over 30 days.
 */
export function parseGoDurationNs(text: string): number | undefined {
  if (/^\d+$/.test(text)) return within(new Exact(text));
  if (text === '') return undefined;
  let total = new Exact(0);
  TERM.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    TERM.lastIndex = at;
    const match = TERM.exec(text);
    if (match === null) return undefined;
    total = total.plus(new Exact(match[1] as string).times(UNIT_NS[match[2] as string] as number));
    at = TERM.lastIndex;
  }
  return within(total);
}

function within(ns: InstanceType<typeof Exact>): number | undefined {
  return ns.isInteger() && ns.lte(MAX_DURATION_NS) ? ns.toNumber() : undefined;
}
