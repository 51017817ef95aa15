import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteInterner, type SpellingArena } from '../../engine/ingest/interner.js';
import { foldUpn } from '../../engine/model/scenario.js';
import { wasmScanner } from '../wasm-scanner.js';

/**
 * An interner whose spellings live in the WebAssembly module's memory (compared there) gives the
 * same ids and strings as one that keeps them in its own arena: for spellings read from the
 * module's buffer or from elsewhere (an unescaped field), and after its arena fills up and the
 * spellings move out (an arena of 40 bytes here, 4 MiB in the decoder).
 */
const scanner = wasmScanner();
const arenas = scanner.fieldReader.arenas;

/** The module's users arena, as if it had room for `capacity` bytes only. */
function smallArena(capacity: number): SpellingArena {
  if (arenas === null) throw new Error('the WebAssembly field reader has no arenas');
  const { users } = arenas;
  return { capacity, equals: (...args) => users.equals(...args), store: (...args) => users.store(...args), copyOut: (length) => users.copyOut(length) };
}

describe('byte interner with its arena in WebAssembly memory (fast-check; a failure prints its seed)', () => {
  it('gives the ids and strings of the plain interner', () => {
    // A few spellings, each coming back many times, so spellings are found again after the move.
    const pool = fc.array(fc.oneof(fc.constantFrom('ann@x.com', 'Ann@X.com', 'bo@y.org', 'a', ''), fc.string({ maxLength: 40, size: 'max' })), { minLength: 1, maxLength: 8 });
    const picks = fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 80, size: 'max' });
    fc.assert(
      fc.property(pool, picks, fc.constantFrom(40, 1 << 16), (spellings, sequence, capacity) => {
        const plain = new ByteInterner(foldUpn);
        const inWasm = new ByteInterner(foldUpn, false, smallArena(capacity));
        const encoder = new TextEncoder();
        for (const [pick, fromBuffer] of sequence) {
          const bytes = encoder.encode(spellings[pick % spellings.length] as string);
          // From the module's buffer at an odd offset, or from a separate array (as the scratch).
          const source = fromBuffer ? scanner.ensureBuffer(bytes.length + 3, 0) : new Uint8Array(bytes.length + 3);
          source.set(bytes, 3);
          expect(inWasm.intern(source, 3, 3 + bytes.length)).toBe(plain.intern(bytes, 0, bytes.length));
        }
        expect(inWasm.strings).toEqual(plain.strings);
      }),
      { numRuns: 300 },
    );
  });

  // The arena is compared only when lengths and 32-bit hashes agree, so a wrong comparison would
  // almost never show above: it is held to a plain comparison directly, on near-equal bytes, both
  // in the module (bytes in the scanner's buffer) and in JavaScript (bytes elsewhere).
  it('compares bytes as a plain comparison does', () => {
    const users = smallArena(1 << 16);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70, size: 'max' }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), (bytes, at, value, change) => {
        const other = Uint8Array.from(bytes);
        if (change && other.length > 0) other[at % other.length] = value;
        users.store(0, bytes, 0, bytes.length);
        const buffer = scanner.ensureBuffer(other.length + 5, 0);
        buffer.set(other, 5);
        const elsewhere = new Uint8Array(other.length + 5);
        elsewhere.set(other, 5);
        const same = bytes.every((byte, index) => byte === other[index]);
        expect(users.equals(0, scanner.buffer, 5, bytes.length)).toBe(same);
        expect(users.equals(0, elsewhere, 5, bytes.length)).toBe(same);
      }),
      { numRuns: 2000 },
    );
  });
});
