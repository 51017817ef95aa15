/**
 * A small seeded generator (mulberry32): the core never calls Math.random, so the same seed gives
 * the same failures and trials on every machine.
 */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A stream of its own for each (seed, stream) pair: xoshiro128** (period 2^128 - 1) from a state
 * whose first two words are bijective mixes of the seed and of the stream number, so no two pairs
 * start alike. mulberry32 streams would not do: they all walk one cycle of 2^32, and blocks of a
 * large generated export landed on each other's draws (repeated UsageIds in a 10M-row file).
 */
export function seededStream(seed: number, stream: number): Random {
  let a = mix32(seed);
  let b = mix32(stream ^ 0x5bd1e995);
  let c = mix32(seed ^ 0x27d4eb2f);
  let d = mix32(stream ^ 0x165667b1) | 1;
  return () => {
    const result = Math.imul(rotate(Math.imul(b, 5), 7), 9);
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotate(d, 11);
    return (result >>> 0) / 4294967296;
  };
}

/** murmur3's 32-bit finaliser: a bijection, so different inputs never mix to the same word. */
export function mix32(value: number): number {
  let z = value | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return z ^ (z >>> 16);
}

function rotate(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}
