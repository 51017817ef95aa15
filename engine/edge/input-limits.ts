/**
 * The limits every input file is read under, each checked while the file is read (a file that
 * never ends, such as /dev/zero or an endless pipe, stops at its limit, never at the end of memory).
 * Each is named in the message that refuses a file, and in the README's table of limits.
 */
export interface InputLimit {
  /** What the message calls the limit. */
  readonly name: string;
  readonly bytes: number;
}

const MIB = 1 << 20;

/** A scenario: with a million licensed UPNs and 100,000 top-ups it stays well under this. */
export const SCENARIO_FILE_LIMIT: InputLimit = { name: 'scenario file limit', bytes: 64 * MIB };

/** A rate table, the allowances file or a numbering table (calling codes, toll-free, emergency, Zone A). */
export const TABLE_FILE_LIMIT: InputLimit = { name: 'reference table limit', bytes: 64 * MIB };

/**
 * A Graph getPstnCalls JSON file is parsed whole, and its objects take several times its bytes;
 * the service pages its answer, and each page can be a file of its own.
 */
export const GRAPH_JSON_FILE_LIMIT: InputLimit = { name: 'Graph JSON file limit', bytes: 256 * MIB };

/**
 * The header row of a CDR export: a few hundred bytes in every export; a file whose first record
 * never ends (one unclosed quote) would otherwise be read whole to find it.
 */
export const CDR_HEADER_LIMIT: InputLimit = { name: 'CDR header limit', bytes: 1 * MIB };

/**
 * Arrays and objects inside one another in a JSON input (scenario or Graph file). Both are a few
 * levels deep; the limit stops a hostile file before anything walks it recursively.
 */
export const MAX_JSON_DEPTH = 64;
