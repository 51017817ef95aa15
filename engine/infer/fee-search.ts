/**
 * Billed rows under one price and one set of increments, each a (billed seconds, recorded amount)
 * pair with the number of rows that share it.
 */
export interface Constraints {
  billedSeconds: Float64Array;
  recordedMicros: Float64Array;
  rows: Float64Array;
  count: number;
}

/** Steps tried for a price or fee, coarsest first: a cent, a tenth of one, ... a micro-unit. */
export const AMOUNT_STEPS = [10_000, 1_000, 100, 10, 1] as const;

/**
 * The connection fee (micros, 0 or more) that lets `priceMicrosPerMinute` reproduce the most rows,
 * and how many: row i fits when fee + price x billed / 60, rounded half-up to `unitMicros`, is its
 * recorded amount c, that is 60c - 30u <= 60 fee + price x billed < 60c + 30u (all integers). Each
 * row allows an interval of fees; the fee is the simplest one (0, else the fewest decimals, else the
 * smallest) where the most intervals overlap.
 */
export function bestFee(priceMicrosPerMinute: number, constraints: Constraints, unitMicros: number, maxFeeMicros: number): { feeMicros: number; rows: number } {
  const positions: number[] = [];
  const deltas: number[] = [];
  for (let i = 0; i < constraints.count; i++) {
    const scaled = 60 * (constraints.recordedMicros[i] as number) - priceMicrosPerMinute * (constraints.billedSeconds[i] as number);
    const low = Math.max(0, Math.ceil((scaled - 30 * unitMicros) / 60));
    const high = Math.min(maxFeeMicros, Math.ceil((scaled + 30 * unitMicros) / 60) - 1);
    if (low > high) continue;
    positions.push(low, high + 1);
    const rows = constraints.rows[i] as number;
    deltas.push(rows, -rows);
  }
  if (positions.length === 0) return { feeMicros: 0, rows: 0 };
  const order = positions.map((_, index) => index).sort((a, b) => (positions[a] as number) - (positions[b] as number));
  // Segments [from, to] of fees where the overlap is deepest.
  let depth = 0;
  let best = 0;
  let segments: [number, number][] = [];
  for (let at = 0; at < order.length; ) {
    const position = positions[order[at] as number] as number;
    while (at < order.length && positions[order[at] as number] === position) depth += deltas[order[at++] as number] as number;
    const next = at < order.length ? (positions[order[at] as number] as number) : position;
    if (depth <= 0 || next <= position) continue;
    if (depth > best) {
      best = depth;
      segments = [];
    }
    if (depth === best) segments.push([position, next - 1]);
  }
  return { feeMicros: simplestIn(segments), rows: best };
}

/** 0 when a segment holds it, else the smallest multiple of the coarsest step any segment holds. */
function simplestIn(segments: readonly [number, number][]): number {
  if (segments.some(([from]) => from === 0)) return 0;
  for (const step of AMOUNT_STEPS) {
    let found = Infinity;
    for (const [from, to] of segments) {
      const multiple = Math.ceil(from / step) * step;
      if (multiple <= to && multiple < found) found = multiple;
    }
    if (found < Infinity) return found;
  }
  return segments[0]?.[0] ?? 0;
}
