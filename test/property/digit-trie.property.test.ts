import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DialledNumber, DigitTrie } from '../../engine/rules/digit-trie.js';

/**
 * The trie's longest-prefix and exact lookups (rates, countries, toll-free ranges) against a plain
 * search over the prefixes as strings.
 */
describe('digit trie (fast-check; a failure prints its seed)', () => {
  it('finds the longest stored prefix and exact matches', () => {
    const digits = (max: number) => fc.stringMatching(new RegExp(`^[0-9]{0,${max}}$`));
    fc.assert(
      fc.property(fc.uniqueArray(digits(6), { maxLength: 60, size: 'max' }), fc.array(digits(9), { minLength: 1, maxLength: 30, size: 'max' }), (prefixes, numbers) => {
        const trie = new DigitTrie();
        prefixes.forEach((prefix, value) => trie.insert(prefix, value));
        const longest = (number: string) => {
          let best = -1;
          let bestLength = -1;
          prefixes.forEach((prefix, value) => {
            if (number.startsWith(prefix) && prefix.length > bestLength) [best, bestLength] = [value, prefix.length];
          });
          return best;
        };
        const answers = numbers.map((number) => {
          const dialled = new DialledNumber().readString(number);
          return [trie.longest(dialled), trie.exact(dialled)];
        });
        expect(answers).toEqual(numbers.map((number) => [longest(number), prefixes.indexOf(number)]));
      }),
      { numRuns: 400 },
    );
  });
});
